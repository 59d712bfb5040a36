/**
 * Zadarma sends every date-time as naive wall-clock text in the account's timezone (`call_start`
 * `YYYY-MM-DD HH:MM:SS`, docs/zadarma-protocol.md §1, §5.5) and names that timezone with a label such as `UTC+3` or
 * `UTC-4:30` (`/v1/info/timezone/`, §4.1). These functions turn the pair into a UTC instant.
 */

export class ZadarmaDateTimeError extends Error {
  override readonly name = 'ZadarmaDateTimeError';
  /** Catalogue code (platform/errors): a date-time or timezone label that cannot be read is invalid input. */
  readonly code = 'SB_ERR_VALIDATION';
}

/** The stored timezone label before Zadarma's /v1/info/timezone/ has answered (migration 0003's default). */
export const UNCONFIRMED_TIMEZONE = 'UTC+0';

/**
 * Whether Zadarma told the stored timezone: it stamped `learnedAt`, or the label is not the default (written
 * before the stamp existed, and only Zadarma's answer writes the label). Why not the label alone: an account
 * in UTC+0 has the default's label and would never be confirmed.
 */
export function isTimezoneConfirmed(stored: {
  readonly timezone: string;
  readonly timezoneLearnedAt: string | null;
}): boolean {
  return stored.timezoneLearnedAt !== null || stored.timezone !== UNCONFIRMED_TIMEZONE;
}

/**
 * Parses a timezone label (`UTC`, `UTC+0`, `UTC+3`, `UTC-4:30`, `UTC+05:45`, `GMT+2`, `+03:00`) into minutes east of UTC.
 * Why: Zadarma's `/v1/info/timezone/` answers with such a label and webhooks carry no offset at all.
 */
export function parseTimezoneOffset(label: string): number {
  const match = /^\s*(?:(?:UTC|GMT)\s*)?(?:([+-])\s*(\d{1,2})(?::?(\d{2}))?)?\s*$/i.exec(label);
  const hasPrefix = /^\s*(UTC|GMT)/i.test(label);
  if (!match || (!hasPrefix && !match[1])) {
    throw new ZadarmaDateTimeError(`timezone label "${label}" is not like "UTC+3" or "UTC-4:30"`);
  }
  if (!match[1]) {
    return 0;
  }
  const hours = Number(match[2]);
  const minutes = match[3] ? Number(match[3]) : 0;
  if (hours > 14 || minutes > 59) {
    throw new ZadarmaDateTimeError(`timezone label "${label}" is out of range (at most ±14:00)`);
  }
  return (match[1] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

/**
 * Converts Zadarma's naive `YYYY-MM-DD HH:MM:SS` in the account timezone into an ISO-8601 UTC instant.
 * Why: `call_start` is the only start time a webhook carries and it has no offset (docs/zadarma-protocol.md §5.8).
 */
export function parseZadarmaDateTime(value: string, timezone: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(value);
  if (!match) {
    throw new ZadarmaDateTimeError(`date-time "${value}" is not "YYYY-MM-DD HH:MM:SS"`);
  }
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(wall);
  if (
    check.getUTCFullYear() !== year ||
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    throw new ZadarmaDateTimeError(`date-time "${value}" is not a real calendar date and time`);
  }
  return new Date(wall - parseTimezoneOffset(timezone) * 60_000).toISOString();
}
