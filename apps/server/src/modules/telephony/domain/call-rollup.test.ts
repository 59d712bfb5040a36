import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inboundAnswered, SCENARIOS } from '../test-support/call-scenarios.js';
import type { CallEvent } from './call-event.js';
import { type RollupContribution, rollupContribution, rollupDeltas } from './call-rollup.js';
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
