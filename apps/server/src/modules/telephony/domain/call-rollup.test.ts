import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inboundAnswered, SCENARIOS } from '../test-support/call-scenarios.js';
import type { CallEvent } from './call-event.js';
import {
  firstDayOfMonth,
  monthOfDay,
  type RollupContribution,
  rollupContribution,
  rollupDeltas,
  rollupSpans,
} from './call-rollup.js';
import { emptyCallRecord, foldCall, mergeCall } from './fold-call.js';

function cellKey(c: RollupContribution): string {
  return `${c.hour}|${c.extension}|${c.direction}|${c.outcome}`;
}

/** Sums deltas per cell, dropping cells that net to nothing. */
function sumCells(deltas: readonly RollupContribution[]): Map<string, [number, number, number]> {
  const cells = new Map<string, [number, number, number]>();
  for (const d of deltas) {
    const [calls, talk, wait] = cells.get(cellKey(d)) ?? [0, 0, 0];
    cells.set(cellKey(d), [calls + d.calls, talk + d.talkSeconds, wait + d.waitSeconds]);
  }
  for (const [key, [calls, talk, wait]] of cells) {
    if (calls === 0 && talk === 0 && wait === 0) {
      cells.delete(key);
    }
  }
  return cells;
}

describe('rollupContribution', () => {
  it('counts an ended call once in its hour, extension, direction and outcome', () => {
    const c = rollupContribution(foldCall(inboundAnswered));
    expect(c).toMatchObject({
      extension: '101',
      direction: 'in',
      outcome: 'answered',
      calls: 1,
      talkSeconds: 67,
    });
    expect(c?.hour).toBe(Math.floor(Date.parse('2024-05-14T07:15:30.000Z') / 3_600_000));
  });

  it('does not count a call before it ends', () => {
    expect(rollupContribution(foldCall(inboundAnswered.slice(0, 4)))).toBeNull();
  });

  it('applying the deltas of every step of any arrival order leaves exactly the final contribution', () => {
    for (const events of Object.values(SCENARIOS)) {
      fc.assert(
        fc.property(
          fc.array(fc.nat(events.length - 1), { minLength: 1, maxLength: events.length * 3 }),
          (picks) => {
            const stream = picks.map((i) => events[i] as CallEvent);
            let record = emptyCallRecord((events[0] as CallEvent).pbxCallId);
            const deltas: RollupContribution[] = [];
            for (const event of stream) {
              const next = mergeCall(record, event);
              deltas.push(...rollupDeltas(rollupContribution(record), rollupContribution(next)));
              record = next;
            }
            const final = rollupContribution(record);
            expect(sumCells(deltas)).toEqual(sumCells(final ? [final] : []));
          },
        ),
        { numRuns: 60 },
      );
    }
  });
});

describe('rollupSpans', () => {
  const HOURS_2024 = Date.UTC(2024, 0, 1) / 3_600_000;

  it('reads whole months from the monthly grain and the edges from the finer ones', () => {
    // 15 Jan 2024 10:00 → 3 Apr 2024 05:00 UTC.
    const from = Date.UTC(2024, 0, 15, 10) / 3_600_000;
    const to = Date.UTC(2024, 3, 3, 5) / 3_600_000;
    const day = (y: number, m: number, d: number) => Date.UTC(y, m, d) / 86_400_000;
    expect(rollupSpans(from, to)).toEqual([
      { grain: 'hour', from, to: Date.UTC(2024, 0, 16) / 3_600_000 },
      { grain: 'day', from: day(2024, 0, 16), to: day(2024, 1, 1) },
      { grain: 'month', from: monthOfDay(day(2024, 1, 1)), to: monthOfDay(day(2024, 3, 1)) },
      { grain: 'day', from: day(2024, 3, 1), to: day(2024, 3, 3) },
      { grain: 'hour', from: Date.UTC(2024, 3, 3) / 3_600_000, to },
    ]);
    expect(monthOfDay(day(2024, 1, 1))).toBe((2024 - 1970) * 12 + 1);
  });

  it('covers every hour of any period exactly once', () => {
    fc.assert(
      fc.property(fc.nat(24 * 800), fc.nat(24 * 500), (offset, length) => {
        const from = HOURS_2024 + offset;
        const to = from + length;
        const covered: number[] = [];
        for (const span of rollupSpans(from, to)) {
          for (let k = span.from; k < span.to; k++) {
            if (span.grain === 'hour') {
              covered.push(k);
            } else {
              const firstDay = span.grain === 'day' ? k : firstDayOfMonth(k);
              const endDay = span.grain === 'day' ? k + 1 : firstDayOfMonth(k + 1);
              for (let h = firstDay * 24; h < endDay * 24; h++) {
                covered.push(h);
              }
            }
          }
        }
        expect(covered).toEqual(Array.from({ length: length }, (_, i) => from + i));
      }),
    );
  });

  it('maps a month back to its first day', () => {
    fc.assert(
      fc.property(fc.nat(12 * 200), (month) => {
        expect(monthOfDay(firstDayOfMonth(month))).toBe(month);
        expect(monthOfDay(firstDayOfMonth(month) - 1)).toBe(month - 1);
      }),
    );
  });
});
