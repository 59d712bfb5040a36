/**
 * Whether a user is at work at an instant, by their working-hours setting (issue 12 §7): the routing chain skips
 * a responsible user outside them. Pure: the instant is given, the time zone is the schedule's own.
 */

/** A weekly schedule: weekdays 1–7 from Monday, `HH:MM` from/to in `timeZone` (IANA). `to` before `from` spans midnight. */
export interface WorkingHours {
  readonly days: readonly number[];
  readonly from: string;
  readonly to: string;
  readonly timeZone: string;
}

const WEEKDAYS: Readonly<Record<string, number>> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

// One formatter per time zone: building one costs tens of microseconds, using it about one.
const formatters = new Map<string, Intl.DateTimeFormat | null>();

function formatterOf(timeZone: string): Intl.DateTimeFormat | null {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat('en-GB', {
        timeZone,
        weekday: 'short',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      });
    } catch {
      formatter = null;
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Whether `timeZone` is an IANA zone this runtime knows. Why: a schedule is refused when saved, not ignored later. */
export function isKnownTimeZone(timeZone: string): boolean {
  return formatterOf(timeZone) !== null;
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':');
  return Number(h) * 60 + Number(m);
}

/**
 * True when `atMs` falls within the schedule. An unknown time zone counts as within: a bad setting must never
 * keep calls from their owner (it is refused when saved anyway).
 */
export function isWithinWorkingHours(hours: WorkingHours, atMs: number): boolean {
  const formatter = formatterOf(hours.timeZone);
  if (!formatter) {
    return true;
  }
  let weekday = 0;
  let minute = 0;
  for (const part of formatter.formatToParts(atMs)) {
    if (part.type === 'weekday') {
      weekday = WEEKDAYS[part.value] ?? 0;
    } else if (part.type === 'hour') {
      minute += Number(part.value) * 60;
    } else if (part.type === 'minute') {
      minute += Number(part.value);
    }
  }
  const from = minutesOf(hours.from);
  const to = minutesOf(hours.to);
  if (from <= to) {
    return hours.days.includes(weekday) && minute >= from && minute < to;
  }
  // Overnight: the evening belongs to today's shift, the early morning to yesterday's.
  const yesterday = weekday === 1 ? 7 : weekday - 1;
  return (hours.days.includes(weekday) && minute >= from) || (hours.days.includes(yesterday) && minute < to);
}
