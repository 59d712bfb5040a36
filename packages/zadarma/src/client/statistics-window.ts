/**
 * Splitting a statistics period into windows Zadarma accepts. `/v1/statistics/*` serve at most one month
 * per call and silently cut a longer range (docs/zadarma-protocol.md §4.4), so a long import must ask window by window.
 *
 * Dates are Zadarma's naive `YYYY-MM-DD HH:MM:SS` in the account's timezone (§1); the arithmetic is done on
 * the wall-clock fields, so no timezone is needed (a DST day is still 24 wall-clock hours here, which only
 * moves a window edge, never loses a row, because the windows tile the range exactly).
 */

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

/** Default window: 30 days, the cut the official clients document for "one month" (§4.4). */
export const STATISTICS_WINDOW_DAYS = 30;

/** Reads `YYYY-MM-DD HH:MM:SS` as wall-clock milliseconds (computed as if UTC). */
export function parseZadarmaDateTime(text: string): number {
  const m = DATE_TIME.exec(text);
  if (!m) {
    throw new TypeError(`expected a Zadarma date-time "YYYY-MM-DD HH:MM:SS", got "${text}"`);
  }
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(ms);
  if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) {
    throw new TypeError(`not a valid date-time: "${text}"`);
  }
  return ms;
}

/** Writes wall-clock milliseconds back as `YYYY-MM-DD HH:MM:SS`. */
export function formatZadarmaDateTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

export interface StatisticsWindow {
  readonly start: string;
  readonly end: string;
}

/**
 * Tiles `[start, end]` (both inclusive, to the second) with consecutive windows of at most `windowDays`;
 * each window ends one second before the next begins, so no row is fetched twice.
 */
export function splitStatisticsWindow(
  start: string,
  end: string,
  windowDays: number = STATISTICS_WINDOW_DAYS,
): StatisticsWindow[] {
  const from = parseZadarmaDateTime(start);
  const to = parseZadarmaDateTime(end);
  if (to < from) {
    throw new RangeError(`statistics period ends (${end}) before it starts (${start})`);
  }
  if (!(windowDays > 0)) {
    throw new RangeError(`windowDays must be positive, got ${windowDays}`);
  }
  const span = Math.round(windowDays * 86_400_000);
  const windows: StatisticsWindow[] = [];
  for (let cursor = from; cursor <= to; cursor += span) {
    windows.push({
      start: formatZadarmaDateTime(cursor),
      end: formatZadarmaDateTime(Math.min(cursor + span - 1000, to)),
    });
  }
  return windows;
}
