/**
 * Answered and missed calls per local calendar day, counted in the database over the calls an actor may read.
 * Why: the calls page's chart says "last 14 days" and must count every call of those days, not the last page.
 */
import type { Actor } from '../../../platform/auth/actor.js';
import type { CallReadModel } from '../ports.js';
import { callReadScope } from './call-visibility.js';

/** The longest range the chart may ask for: a quarter keeps the CASE of day boundaries small. */
export const MAX_COUNT_DAYS = 92;

/** Statuses the chart shows as missed: the caller was not served, whatever the PBX's reason. */
const MISSED_STATUSES = ['missed', 'no_answer', 'busy'] as const;

/** One local day of the chart. */
interface DayCount {
  /** Local calendar day in the requested time zone, YYYY-MM-DD. */
  readonly day: string;
  readonly answered: number;
  readonly missed: number;
}

/** A local day and the instant it starts. */
interface DayStart {
  readonly day: string;
  readonly start: Date;
}

interface CountCallsByDayOptions {
  readonly readModel: CallReadModel;
  /** Whose calls: the same rule as the call log (`call-visibility.ts`). */
  readonly reader: Actor;
  /** IANA time zone the days are cut in (the browser's own). */
  readonly timeZone: string;
  readonly days: number;
  readonly now: Date;
}

/**
 * Whether `timeZone` names an IANA zone this runtime knows.
 * Why: the zone comes from the query string and must be refused early, not thrown from deep inside Intl.
 */
export function isTimeZone(timeZone: string): boolean {
  if (timeZone.length === 0 || timeZone.length > 64) {
    return false;
  }
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

function zonedParts(formatter: Intl.DateTimeFormat, instant: number): number[] {
  const parts = formatter.formatToParts(new Date(instant));
  const get = (type: Intl.DateTimeFormatPartTypes) =>
    Number(parts.find((part) => part.type === type)?.value ?? 0);
  return [get('year'), get('month'), get('day'), get('hour'), get('minute'), get('second')];
}

/** Milliseconds the zone's wall clock is ahead of UTC at `instant`. */
function offsetAt(formatter: Intl.DateTimeFormat, instant: number): number {
  const [y = 0, mo = 1, d = 1, h = 0, mi = 0, s = 0] = zonedParts(formatter, instant);
  return Date.UTC(y, mo - 1, d, h, mi, s) - Math.floor(instant / 1000) * 1000;
}

/**
 * The starts of the last `days` local days in `timeZone` (oldest first, today last), followed by the start of
 * tomorrow, which closes the range. Why: a day is 23 or 25 hours across a DST change, so each midnight is
 * resolved on its own rather than stepped by 24 hours.
 */
export function localDayStarts(timeZone: string, days: number, now: Date): DayStart[] {
  const formatter = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  const [year = 1970, month = 1, day = 1] = zonedParts(formatter, now.getTime());
  const starts: DayStart[] = [];
  for (let i = days - 1; i >= -1; i--) {
    const wallMidnight = Date.UTC(year, month - 1, day - i);
    // Two passes: the offset at the first guess may differ from the offset at midnight itself (DST).
    const guess = wallMidnight - offsetAt(formatter, wallMidnight);
    const start = wallMidnight - offsetAt(formatter, guess);
    starts.push({ day: new Date(wallMidnight).toISOString().slice(0, 10), start: new Date(start) });
  }
  return starts;
}

/**
 * Counts the calls `reader` may read per local day over the last `days` days, empty days included.
 * Why: one grouped, indexed count in the store instead of shipping every call to the browser.
 */
export async function countCallsByDay(options: CountCallsByDayOptions): Promise<DayCount[]> {
  const { readModel, reader, timeZone, days, now } = options;
  const starts = localDayStarts(timeZone, days, now);
  if (starts.length < 2) {
    return [];
  }
  const rows = await readModel.countByDay({
    scope: callReadScope(reader),
    boundaries: starts.map((s) => s.start.toISOString()),
    statuses: ['answered', ...MISSED_STATUSES],
  });
  const counts = starts.slice(0, -1).map((s) => ({ day: s.day, answered: 0, missed: 0 }));
  for (const row of rows) {
    const bucket = counts[row.dayIndex];
    if (!bucket) {
      continue;
    }
    if (row.status === 'answered') {
      bucket.answered += row.count;
    } else {
      bucket.missed += row.count;
    }
  }
  return counts;
}
