/**
 * The instants a local "weekday × hour" cell covers within a period, in a time zone: the statistics' heatmap
 * cell as ranges of the call log. Cut exactly as the heatmap cuts (read-call-statistics.ts): a UTC hour
 * belongs to the local weekday and hour its start falls on. Pure (Intl only).
 */

const HOUR_MS = 3_600_000;
const WEEKDAYS: Record<string, number> = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };

export interface InstantRange {
  /** ISO, inclusive. */
  readonly from: string;
  /** ISO, exclusive. */
  readonly to: string;
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** A zone's weekday-and-hour format, made once: making one costs more than formatting a year of cells. */
function formatIn(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      hour: '2-digit',
      weekday: 'short',
    });
    formats.set(timeZone, format);
  }
  return format;
}

/** The most slots one request may expand to (a year of one weekday's hour, with DST's extra hours). */
export const MAX_LOCAL_HOUR_SLOTS = 60;

/**
 * The UTC hour ranges within `[from, to)` whose start is on `weekday` (Monday = 0) at local `hour` in
 * `timeZone`, oldest first, adjacent ranges merged. Why whole UTC hours: the rollups' grain, so a cell's calls
 * are exactly the calls the cell counts (whole-hour offsets; see ARCHITECTURE.md).
 */
export function localHourSlots(
  from: string,
  to: string,
  weekday: number,
  hour: number,
  timeZone: string,
): InstantRange[] {
  const format = formatIn(timeZone);
  const start = Date.parse(from);
  const end = Date.parse(to);
  const slots: { from: number; to: number }[] = [];
  let h = Math.floor(start / HOUR_MS);
  const last = Math.ceil(end / HOUR_MS);
  while (h < last) {
    let w = -1;
    let localHour = -1;
    for (const part of format.formatToParts(new Date(h * HOUR_MS))) {
      if (part.type === 'weekday') {
        w = WEEKDAYS[part.value] ?? -1;
      } else if (part.type === 'hour') {
        localHour = Number(part.value);
      }
    }
    if (w === weekday && localHour === hour) {
      const slot = { from: Math.max(start, h * HOUR_MS), to: Math.min(end, (h + 1) * HOUR_MS) };
      const previous = slots.at(-1);
      if (previous && previous.to === slot.from) {
        previous.to = slot.to;
      } else {
        slots.push(slot);
      }
      h += 1;
      continue;
    }
    // Far from the cell: skip most of a week at once (a 23 h margin keeps DST shifts and the next match safe),
    // then all but 3 hours of the last day (no DST change moves the clock more than 2 h); past the cell's hour on
    // its own weekday, the cell is next week's. Why: a year's cell took ~35 formatToParts a week (3.7 ms a
    // request at 10 M calls, a fifth of the heatmap cell's page), now ~6.
    const ahead = ((weekday - w + 7) % 7) * 24 + (hour - localHour);
    const hoursAway = ahead > 0 ? ahead : ahead + 168;
    h += hoursAway > 24 ? hoursAway - 23 : hoursAway > 3 ? hoursAway - 3 : 1;
  }
  return slots.map((s) => ({ from: new Date(s.from).toISOString(), to: new Date(s.to).toISOString() }));
}

/** Ranges that repeat one week apart: calls in them are those of the span whose UTC hour of the week is listed. */
export interface WeeklyRun {
  /** ISO, inclusive: the first range's start. */
  readonly from: string;
  /** ISO, exclusive: the last range's end. */
  readonly to: string;
  /**
   * `floor(epoch hours) % 168` of the hours each range covers; null for a lone range (its bounds say it all).
   * Why: a run is read as one query (start time in the span, hour of the week in this list), not one per week.
   */
  readonly hoursOfWeek: readonly number[] | null;
}

const WEEK_MS = 7 * 24 * HOUR_MS;

/**
 * The UTC hours of the week (`floor(epoch hours) % 168`) a range touches, or null when it spans a week or more.
 * Implied by the range's bounds: a query may add it to read a range on an index keyed by the hour of the week.
 */
export function hoursOfWeekTouched(range: InstantRange): number[] | null {
  const first = Math.floor(Date.parse(range.from) / HOUR_MS);
  const last = Math.ceil(Date.parse(range.to) / HOUR_MS);
  if (last - first >= 168) {
    return null;
  }
  const hours: number[] = [];
  for (let h = first; h < last; h++) {
    hours.push(((h % 168) + 168) % 168);
  }
  return hours;
}

/**
 * `ranges` (disjoint, any order) as weekly runs, oldest first: consecutive whole-hour ranges exactly a week apart
 * join one run (a heatmap cell's hours between two DST changes); any other range stands alone. Exact: every
 * instant of a run's span on one of its hours of the week is in one of its ranges, since each week has one.
 */
export function weeklyRuns(ranges: readonly InstantRange[]): WeeklyRun[] {
  const sorted = ranges
    .map((r) => ({ from: Date.parse(r.from), to: Date.parse(r.to) }))
    .sort((a, b) => a.from - b.from);
  const runs: { from: number; to: number; last: { from: number; to: number }; weekly: boolean }[] = [];
  const whole = (r: { from: number; to: number }) =>
    r.from % HOUR_MS === 0 && r.to % HOUR_MS === 0 && r.to - r.from < WEEK_MS;
  for (const range of sorted) {
    const run = runs.at(-1);
    if (
      run &&
      whole(range) &&
      whole(run.last) &&
      range.from - run.last.from === WEEK_MS &&
      range.to - run.last.to === WEEK_MS
    ) {
      run.to = range.to;
      run.last = range;
      run.weekly = true;
    } else {
      runs.push({ from: range.from, to: range.to, last: range, weekly: false });
    }
  }
  return runs.map((run) => {
    const hours: number[] = [];
    for (let h = run.last.from / HOUR_MS; h < run.last.to / HOUR_MS; h++) {
      hours.push(h % 168);
    }
    return {
      from: new Date(run.from).toISOString(),
      to: new Date(run.to).toISOString(),
      hoursOfWeek: run.weekly ? hours : null,
    };
  });
}
