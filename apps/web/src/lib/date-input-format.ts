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
