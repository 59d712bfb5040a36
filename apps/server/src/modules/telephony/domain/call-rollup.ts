/**
 * What one call adds to the statistics rollups: its cell (UTC hour × attributed extension × direction ×
 * outcome) and its measures. The rollup table holds, per cell, the sum over calls of this contribution; the
 * fold's write replaces a call's old contribution by its new one in the same transaction, so the table always
 * equals this function summed over the call log — whatever order or repetition the events came in.
 */
import { attributeCall } from './call-attribution.js';
import { type CallOutcome, callOutcome, talkSeconds, waitingSeconds } from './call-outcome.js';
import type { CallRecord } from './fold-call.js';

const HOUR_MS = 3_600_000;

interface RollupCell {
  /** Whole hours since the Unix epoch (UTC): any time zone with whole-hour offsets regroups them exactly. */
  readonly hour: number;
  /** The attributed extension, '' when none (`unrouted`). */
  readonly extension: string;
  readonly direction: 'in' | 'out';
  readonly outcome: CallOutcome;
}

export interface RollupContribution extends RollupCell {
  readonly calls: number;
  readonly talkSeconds: number;
  readonly waitSeconds: number;
}

/**
 * The call's contribution, or null while it is not countable: not ended yet, or with no start time.
 * Why only ended calls: a figure must not change its mind about a call twice (ringing → missed).
 */
export function rollupContribution(call: CallRecord): RollupContribution | null {
  if (call.end === null || call.startedAt === null) {
    return null;
  }
  const at = Date.parse(call.startedAt);
  if (Number.isNaN(at)) {
    return null;
  }
  return {
    hour: Math.floor(at / HOUR_MS),
    extension: attributeCall(call).extension ?? '',
    direction: call.direction === 'outbound' ? 'out' : 'in',
    outcome: callOutcome(call),
    calls: 1,
    talkSeconds: talkSeconds(call) ?? 0,
    waitSeconds: waitingSeconds(call) ?? 0,
  };
}

/** Whether two contributions are the same cell with the same measures (nothing to write). */
function sameContribution(a: RollupContribution | null, b: RollupContribution | null): boolean {
  if (a === null || b === null) {
    return a === b;
  }
  return (
    a.hour === b.hour &&
    a.extension === b.extension &&
    a.direction === b.direction &&
    a.outcome === b.outcome &&
    a.talkSeconds === b.talkSeconds &&
    a.waitSeconds === b.waitSeconds
  );
}

/**
 * The signed changes to apply when a call's contribution goes from `before` to `after`: nothing when equal;
 * else minus the old cell's measures and plus the new cell's.
 */
export function rollupDeltas(
  before: RollupContribution | null,
  after: RollupContribution | null,
): RollupContribution[] {
  if (sameContribution(before, after)) {
    return [];
  }
  const deltas: RollupContribution[] = [];
  if (before !== null) {
    deltas.push({
      hour: before.hour,
      extension: before.extension,
      direction: before.direction,
      outcome: before.outcome,
      calls: -before.calls,
      talkSeconds: -before.talkSeconds,
      waitSeconds: -before.waitSeconds,
    });
  }
  if (after !== null) {
    deltas.push(after);
  }
  return deltas;
}
