/**
 * Freshness of a call notification. A Zadarma signature covers no timestamp (docs/zadarma-protocol.md §5.4), but every call
 * notification signs its `call_start`: a notification whose signed start is too far from the time it is received
 * is refused, which bounds how long a captured signature can be replayed. NOTIFY_RECORD carries no `call_start`
 * and is not checked (it signs its `pbx_call_id`: it can only re-add the same recording to the same call).
 */
import { parseZadarmaDateTime, ZadarmaDateTimeError } from './zadarma-date-time.js';

/**
 * How old a notification's `call_start` may be. Every notification of a call repeats its start, so the END of a
 * 3-hour call arrives 3 hours after it; 4 hours keeps all but the rarest calls, and a captured signature is
 * worthless after that. (An END refused for it leaves the call in progress until the reconciliation with
 * Zadarma's statistics.)
 */
export const MAX_CALL_AGE_MS = 4 * 60 * 60 * 1000;

/**
 * How far in the future a `call_start` may be: clock skew between Zadarma and this server (NTP keeps it to
 * seconds; minutes cover a drifting host). More means a wrong account timezone — the reason says so.
 */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

export type Freshness = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export interface FreshnessInput {
  /** `call_start` as sent: `YYYY-MM-DD HH:MM:SS`, account time. */
  readonly callStart: string;
  /** The account timezone label (`UTC+3`). */
  readonly timezone: string;
  /** `callStart` already converted to a UTC instant (a caller's memo); parsed from it when absent. */
  readonly startedAt?: string | undefined;
  /** When the notification was received: epoch milliseconds or an ISO-8601 instant. */
  readonly now: number | string;
  /** An end's `duration` (seconds of talk), when it has one: it cannot exceed the time since the start. */
  readonly durationSeconds?: number | null;
  readonly maxAgeMs?: number;
  readonly maxSkewMs?: number;
}

const FRESH: Freshness = { ok: true };

function span(ms: number): string {
  const minutes = Math.round(Math.abs(ms) / 60_000);
  if (minutes < 1) {
    return `${Math.round(Math.abs(ms) / 1000)} s`;
  }
  return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/**
 * Whether a call notification received at `now` is fresh: its signed `call_start` at most
 * {@link MAX_CALL_AGE_MS} old and at most {@link MAX_CLOCK_SKEW_MS} ahead, and an end's duration no longer than
 * the time since that start (plus the skew). Why: refuses replays of captured signatures (issue 9, finding 4)
 * before anything is stored or told.
 */
export function checkFreshness(input: FreshnessInput): Freshness {
  const maxAge = input.maxAgeMs ?? MAX_CALL_AGE_MS;
  const maxSkew = input.maxSkewMs ?? MAX_CLOCK_SKEW_MS;
  let startMs: number;
  try {
    startMs = Date.parse(input.startedAt ?? parseZadarmaDateTime(input.callStart, input.timezone));
  } catch (error) {
    const why = error instanceof ZadarmaDateTimeError ? error.message : String(error);
    return { ok: false, reason: `unreadable call_start: ${why}` };
  }
  const nowMs = typeof input.now === 'number' ? input.now : Date.parse(input.now);
  const age = nowMs - startMs;
  const when = `call_start ${input.callStart} (${input.timezone})`;
  if (age > maxAge) {
    return {
      ok: false,
      reason: `stale: ${when} is ${span(age)} old; notifications of calls started more than ${span(maxAge)} ago are refused (a replayed signature?)`,
    };
  }
  if (age < -maxSkew) {
    return {
      ok: false,
      reason: `from the future: ${when} is ${span(age)} ahead of this server's clock (more than ${span(maxSkew)}): is the account timezone right?`,
    };
  }
  const duration = input.durationSeconds;
  if (duration !== null && duration !== undefined && duration * 1000 > age + maxSkew) {
    return {
      ok: false,
      reason: `implausible duration: ${duration} s of talk, but ${when} was ${span(Math.max(age, 0))} ago`,
    };
  }
  return FRESH;
}
