// Dates, numbers and money through Intl for the active locale.

/** Formats an ISO instant as a local date. Why: dates follow the user's language and time zone. */
export function formatDate(iso: string | null | undefined, locale: string): string {
  if (!iso) {
    return '';
  }
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? ''
    : new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }).format(date);
}

/** Formats an ISO instant as local date and time. Why: the timeline shows when things happened. */
export function formatDateTime(iso: string | null | undefined, locale: string): string {
  if (!iso) {
    return '';
  }
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? ''
    : new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

/** Formats a count. Why: 12 345 in French, 12,345 in English. */
export function formatNumber(value: number, locale: string): string {
  return new Intl.NumberFormat(locale).format(value);
}

/** Formats a ratio (0.873) as a percentage. Why: 87 % in French, 87% in English. */
export function formatPercent(ratio: number, locale: string): string {
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(ratio);
}

/** Formats a decimal amount in an ISO 4217 currency. Why: deals show money the way the reader writes it. */
export function formatMoney(amount: number, currency: string, locale: string): string {
  try {
    // Whole amounts read better without ",00"; cents are shown when there are some.
    const whole = Number.isInteger(amount);
    return new Intl.NumberFormat(locale, {
      style: 'currency',
      currency,
      ...(whole ? { minimumFractionDigits: 0, maximumFractionDigits: 0 } : {}),
    }).format(amount);
  } catch {
    return `${new Intl.NumberFormat(locale).format(amount)} ${currency}`;
  }
}

/** True when a due instant has passed. Why: overdue tasks are highlighted. */
export function isOverdue(dueAt: string | null, status: string, now: Date = new Date()): boolean {
  return dueAt !== null && status !== 'done' && new Date(dueAt).getTime() < now.getTime();
}

/** Formats a relative time ("3 hours ago"). Why: a timeline is read as recent-first. */
export function formatRelative(iso: string, locale: string, now: Date = new Date()): string {
  const seconds = Math.round((new Date(iso).getTime() - now.getTime()) / 1000);
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ['year', 31_536_000],
    ['month', 2_592_000],
    ['week', 604_800],
    ['day', 86_400],
    ['hour', 3_600],
    ['minute', 60],
  ];
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size) {
      return rtf.format(Math.round(seconds / size), unit);
    }
  }
  return rtf.format(seconds, 'second');
}

/** Formats a call duration in seconds as m:ss or h:mm:ss. Why: call lengths read like a phone's timer. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) {
    return '—';
  }
  const total = Math.floor(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}
