// The call log's filters as they live in the page's URL (/calls?from=2026-03-01&outcome=missed…), and as the
// API takes them. The statistics page builds its links with the same functions, so a figure opens exactly the
// calls it counts.

import { MISSED_CALL_CLASSES, type MissedCallClass } from '../api/types.js';

/** The filters a /calls URL can carry; days are local calendar days, YYYY-MM-DD. */
export interface CallLogFilters {
  from?: string;
  to?: string;
  extension?: string;
  userId?: string;
  direction?: 'in' | 'out';
  outcome?: string;
  contactId?: string;
  client?: string;
  hasRecording?: 'true' | 'false';
  notReturned?: 'true';
  /** Missed calls of one class (a statistics figure), cut with the return window `within` (minutes). */
  fate?: MissedCallClass;
  within?: string;
  /** A cell of the statistics' heatmap: local weekday (Monday = 0) and hour, in the browser's time zone. */
  weekday?: string;
  hour?: string;
  order?: 'newest' | 'oldest';
  /** Words said in the call (its transcript). */
  said?: string;
}

/** The return window the server cuts a `fate` with when the link names none (its RETURN_WITHIN_MINUTES). */
export const RETURN_WITHIN_DEFAULT = 30;

const KEYS: readonly (keyof CallLogFilters)[] = [
  'from',
  'to',
  'extension',
  'userId',
  'direction',
  'outcome',
  'contactId',
  'client',
  'hasRecording',
  'notReturned',
  'fate',
  'within',
  'weekday',
  'hour',
  'order',
  'said',
];

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The filters in a URL's search parameters (unknown or malformed values dropped). */
export function filtersFromSearch(search: URLSearchParams): CallLogFilters {
  const filters: CallLogFilters = {};
  for (const key of KEYS) {
    const value = search.get(key);
    if (value) {
      (filters as Record<string, string>)[key] = value;
    }
  }
  if (filters.from && !DAY.test(filters.from)) {
    delete filters.from;
  }
  if (filters.to && !DAY.test(filters.to)) {
    delete filters.to;
  }
  if (filters.direction && filters.direction !== 'in' && filters.direction !== 'out') {
    delete filters.direction;
  }
  if (filters.fate && !(MISSED_CALL_CLASSES as readonly string[]).includes(filters.fate)) {
    delete filters.fate;
  }
  if (filters.within && !/^\d{1,3}$/.test(filters.within)) {
    delete filters.within;
  }
  // A heatmap cell is a weekday and an hour together, within a period; anything else is dropped.
  const cell =
    /^[0-6]$/.test(filters.weekday ?? '') &&
    /^([0-9]|1[0-9]|2[0-3])$/.test(filters.hour ?? '') &&
    filters.from !== undefined &&
    filters.to !== undefined;
  if (!cell) {
    delete filters.weekday;
    delete filters.hour;
  }
  return filters;
}

/** The /calls URL that lists the calls matching `filters`. */
export function callLogLink(filters: CallLogFilters): string {
  const params = new URLSearchParams();
  for (const key of KEYS) {
    const value = filters[key];
    if (value) {
      params.set(key, value);
    }
  }
  const text = params.toString();
  return text ? `/calls?${text}` : '/calls';
}

/** The instant a local day starts in the browser's time zone, ISO. */
function localMidnight(day: string, plusDays = 0): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d + plusDays).toISOString();
}

/**
 * The API's query for these filters: days become the instants they start and end at in the browser's time
 * zone (`to` is inclusive: the log runs to the next midnight).
 */
export function apiQueryOf(filters: CallLogFilters): Record<string, string | undefined> {
  const { from, to, ...rest } = filters;
  return {
    ...rest,
    from: from ? localMidnight(from) : undefined,
    to: to ? localMidnight(to, 1) : undefined,
    // The cell's weekday and hour are the browser's, as the statistics that linked here cut them.
    timeZone: rest.weekday !== undefined ? Intl.DateTimeFormat().resolvedOptions().timeZone : undefined,
  };
}

/** A local calendar day, YYYY-MM-DD, `plusDays` from `date` in the browser's time zone. */
export function localDay(date: Date, plusDays = 0): string {
  const shifted = new Date(date.getFullYear(), date.getMonth(), date.getDate() + plusDays);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${shifted.getFullYear()}-${pad(shifted.getMonth() + 1)}-${pad(shifted.getDate())}`;
}
