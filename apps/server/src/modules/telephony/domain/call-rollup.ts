/**
 * What one call adds to the statistics rollups: its cell (UTC hour × attributed extension × direction ×
 * outcome) and its measures. The rollup table holds, per cell, the sum over calls of this contribution; the
 * fold's write replaces a call's old contribution by its new one in the same transaction, so the table always
 * equals this function summed over the call log — whatever order or repetition the events came in.
 */
import { attributeCall } from './call-attribution.js';
import {
  type CallOutcome,
  callOutcome,
  MISSED_OUTCOMES,
  talkSeconds,
  waitingSeconds,
} from './call-outcome.js';
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

const DAY_HOURS = 24;

/** Whole UTC months since January 1970 of a UTC day (days since the epoch): the monthly grain's key. */
export function monthOfDay(day: number): number {
  const d = new Date(day * DAY_HOURS * HOUR_MS);
  return (d.getUTCFullYear() - 1970) * 12 + d.getUTCMonth();
}

/** The first UTC day (days since the epoch) of a month of {@link monthOfDay}. */
export function firstDayOfMonth(month: number): number {
  return Date.UTC(1970 + Math.floor(month / 12), month % 12, 1) / (DAY_HOURS * HOUR_MS);
}

/** One run of rollup keys to read: `[from, to)` hours, days or months. */
export interface RollupSpan {
  readonly grain: 'hour' | 'day' | 'month';
  readonly from: number;
  readonly to: number;
}

/**
 * The fewest rollup rows that sum to the UTC hours `[fromHour, toHour)`: the edge hours from the hourly grain,
 * the edge days from the daily one, the whole months between from the monthly one. Why: a year reads ~12 rows
 * per cell instead of ~365 (days) or ~8,760 (hours), and the sums are the same (every grain sums the hourly one).
 */
export function rollupSpans(fromHour: number, toHour: number): RollupSpan[] {
  const firstDay = Math.ceil(fromHour / DAY_HOURS);
  const endDay = Math.floor(toHour / DAY_HOURS);
  if (endDay <= firstDay) {
    return toHour > fromHour ? [{ grain: 'hour', from: fromHour, to: toHour }] : [];
  }
  const spans: RollupSpan[] = [];
  const hours = (from: number, to: number) => {
    if (to > from) {
      spans.push({ grain: 'hour', from, to });
    }
  };
  const days = (from: number, to: number) => {
    if (to > from) {
      spans.push({ grain: 'day', from, to });
    }
  };
  hours(fromHour, firstDay * DAY_HOURS);
  // The first month that starts on or after firstDay, and the last one that starts on or before endDay.
  const startMonth = monthOfDay(firstDay);
  const firstMonth = firstDayOfMonth(startMonth) === firstDay ? startMonth : startMonth + 1;
  const endMonth = monthOfDay(endDay);
  if (endMonth > firstMonth) {
    days(firstDay, firstDayOfMonth(firstMonth));
    spans.push({ grain: 'month', from: firstMonth, to: endMonth });
    days(firstDayOfMonth(endMonth), endDay);
  } else {
    days(firstDay, endDay);
  }
  hours(endDay * DAY_HOURS, toHour);
  return spans;
}

/** One hour's calls for the whole team, narrowed to what the trend and heatmap show (migration 0022). */
export interface HourTally {
  readonly hour: number;
  readonly calls: number;
  /** Answered, either way. */
  readonly answered: number;
  readonly inbound: number;
  /** Inbound and missed (call-outcome.ts `MISSED_OUTCOMES`). */
  readonly missed: number;
}

/**
 * What a rollup delta adds to its hour's tally. Why a narrow grain: the team's trend and heatmap over a year
 * read one row per hour instead of one per hour × direction × outcome.
 */
export function tallyOf(d: RollupContribution): HourTally {
  const inbound = d.direction === 'in' ? d.calls : 0;
  return {
    hour: d.hour,
    calls: d.calls,
    answered: d.outcome === 'answered' ? d.calls : 0,
    inbound,
    missed: MISSED_OUTCOMES.includes(d.outcome) ? inbound : 0,
  };
}
