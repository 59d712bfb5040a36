/**
 * Zadarma's date-times: `YYYY-MM-DD HH:MM:SS` as wall-clock time of the account's timezone, without an
 * offset (docs/zadarma-protocol.md §1); the timezone itself is a label like `UTC+3` (§4.1).
 */

const LABEL = /^UTC([+-])(\d{1,2})(?::?(\d{2}))?$/;

/** Offset in minutes east of UTC for a label like `UTC+3`, `UTC-5`, `UTC+5:30`; `null` when malformed. */
export function parseTimezoneLabel(label: string): number | null {
  if (label === 'UTC') {
    return 0;
  }
  const match = LABEL.exec(label);
  if (!match) {
    return null;
  }
  const minutes = Number(match[2]) * 60 + Number(match[3] ?? '0');
  if (minutes > 14 * 60) {
    return null;
  }
  return match[1] === '-' ? -minutes : minutes;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** Formats an instant as Zadarma shows it in an account whose offset is `offsetMinutes`. */
export function formatZadarmaDate(epochMs: number, offsetMinutes: number): string {
  const d = new Date(epochMs + offsetMinutes * 60_000);
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
  );
}

const DATE = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

/** Parses a Zadarma date-time back to an instant; `null` when it is not `YYYY-MM-DD HH:MM:SS`. */
export function parseZadarmaDate(text: string, offsetMinutes: number): number | null {
  const m = DATE.exec(text);
  if (!m) {
    return null;
  }
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const check = new Date(ms);
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) {
    return null;
  }
  return ms - offsetMinutes * 60_000;
}
