// How a date is written and typed in the app's language, whatever the browser's: FR 05/12/2026, RU 05.12.2026,
// EN 12/05/2026 (the order Intl's `en` uses everywhere else in the app). Why not `<input type="date">`: the browser
// draws it in its own locale (mm/dd/yyyy in a French UI on an English browser). The value exchanged with the
// server stays ISO: `YYYY-MM-DD`, or `YYYY-MM-DD HH:mm:ss` in local time when a time is part of it.
import type { Locale } from '../api/types.js';

interface Pattern {
  /** Day, month, year order in the written date. */
  order: readonly ['day' | 'month', 'day' | 'month'];
  /** dayjs format of the date alone. */
  date: string;
  /** dayjs format of the time beside it. */
  time: string;
}

const PATTERNS: Record<Locale, Pattern> = {
  en: { order: ['month', 'day'], date: 'MM/DD/YYYY', time: 'hh:mm A' },
  fr: { order: ['day', 'month'], date: 'DD/MM/YYYY', time: 'HH:mm' },
  ru: { order: ['day', 'month'], date: 'DD.MM.YYYY', time: 'HH:mm' },
};

function patternOf(locale: string): Pattern {
  return PATTERNS[locale as Locale] ?? PATTERNS.en;
}

/** The dayjs format a date (and time) input shows in this language. */
export function dateInputFormat(locale: string, withTime = false): string {
  const p = patternOf(locale);
  return withTime ? `${p.date} ${p.time}` : p.date;
}

const pad = (n: number) => String(n).padStart(2, '0');

function isoDate(year: number, month: number, day: number): string | null {
  if (year < 1000 || month < 1 || month > 12 || day < 1) {
    return null;
  }
  // Day 0 of the next month is this month's last day: rejects 31/02 and 29/02 outside leap years.
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day > lastDay ? null : `${year}-${pad(month)}-${pad(day)}`;
}

/** `10:30`, `9:05 pm` → 24-hour hours and minutes, or null. */
function parseTime(text: string): [number, number] | null {
  const m = /^(\d{1,2})[:h.](\d{2})\s*([ap]\.?m\.?)?$/i.exec(text);
  if (!m) {
    return null;
  }
  let hours = Number(m[1]);
  const minutes = Number(m[2]);
  const meridiem = m[3]?.[0]?.toLowerCase();
  if (meridiem) {
    if (hours < 1 || hours > 12) {
      return null;
    }
    hours = (hours % 12) + (meridiem === 'p' ? 12 : 0);
  }
  return hours > 23 || minutes > 59 ? null : [hours, minutes];
}

/**
 * Reads a date the user typed in the app's language (`05/12/2026` in French is 5 December) into ISO, or null
 * while it is incomplete or not a real date. Also takes an ISO date as pasted. With `withTime`, a time may follow
 * (midnight when left out) and the result is `YYYY-MM-DD HH:mm:ss`. Strict: a half-typed `05/12/2` is null,
 * so a filter never applies a date the user has not finished writing.
 */
export function parseTypedDate(text: string, locale: string, withTime = false): string | null {
  const trimmed = text.trim();
  const p = patternOf(locale);
  let date: string | null = null;
  let rest = '';
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T\s]+(.*))?$/.exec(trimmed);
  if (iso) {
    date = isoDate(Number(iso[1]), Number(iso[2]), Number(iso[3]));
    rest = iso[4] ?? '';
  } else {
    // The separator of the language, or any of / . - (people type what their keyboard makes easy).
    const local = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[,\s]+(.*))?$/.exec(trimmed);
    if (local) {
      const first = Number(local[1]);
      const second = Number(local[2]);
      const day = p.order[0] === 'day' ? first : second;
      const month = p.order[0] === 'day' ? second : first;
      date = isoDate(Number(local[3]), month, day);
      rest = local[4] ?? '';
    }
  }
  if (!date) {
    return null;
  }
  if (!withTime) {
    return rest.trim() ? null : date;
  }
  if (!rest.trim()) {
    return `${date} 00:00:00`;
  }
  const time = parseTime(rest.trim());
  return time ? `${date} ${pad(time[0])}:${pad(time[1])}:00` : null;
}

/**
 * The instant a date input's value names, as ISO (`…Z`) for the API; null when it is not one. Takes what the
 * inputs hand over — `YYYY-MM-DD` (midnight) or `YYYY-MM-DD HH:mm[:ss]`, local time in the browser's time zone —
 * and an instant with its offset (`…Z`, `+02:00`: a stored value shown back in a form, kept as it is).
 * Why not `new Date(value)`: a space-separated date-time is not ISO-8601, so each engine reads it its own way
 * (local, UTC or Invalid Date); the local value is built here from its numbers instead.
 */
export function localInputToInstant(value: string): string | null {
  const text = value.trim();
  if (/(?:Z|[+-]\d{2}:?\d{2})$/i.test(text) && text.includes('T')) {
    const at = Date.parse(text);
    return Number.isNaN(at) ? null : new Date(at).toISOString();
  }
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$/.exec(text);
  if (!m || isoDate(Number(m[1]), Number(m[2]), Number(m[3])) === null) {
    return null;
  }
  const [hours, minutes, seconds] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  if (hours > 23 || minutes > 59 || seconds > 59) {
    return null;
  }
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), hours, minutes, seconds).toISOString();
}

/**
 * A date input's value (or null) as the API takes it: the instant, ISO. A value that names none is sent as it is,
 * so the server refuses it by name (a 400 on the field) instead of the form silently clearing the date.
 */
export function instantForApi(value: string | null | undefined): string | null {
  return value ? (localInputToInstant(value) ?? value) : null;
}
