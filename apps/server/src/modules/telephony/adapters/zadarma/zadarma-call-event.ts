/**
 * The adapter edge between Zadarma's wire format (the SDK's verified `TWebhookEvent`, docs/zadarma-protocol.md §5.6) and
 * the domain's `CallEvent`: the only telephony file that knows Zadarma's field names.
 */
import type { TWebhookEvent } from '@switchboard/zadarma';
import type { CallEvent } from '../../domain/call-event.js';
import { checkFreshness, type Freshness } from '../../domain/call-freshness.js';
import { parseZadarmaDateTime } from '../../domain/zadarma-date-time.js';
import type { ProviderEvents } from '../../ports.js';
import { toTranscriptNotice } from './zadarma-transcript.js';

export interface CallEventContext {
  /** The account timezone label (`UTC+3`) from the telephony settings. */
  readonly timezone: string;
  /** When this server received the notification (ISO-8601 UTC). */
  readonly receivedAt: string;
}

/** Optional fields may arrive empty; an empty value means absent (§5.6.4 missed call has no `internal`). */
function optional(value: string | undefined): string | null {
  return value === undefined || value === '' ? null : value;
}

function seconds(value: string): number {
  const n = Number.parseInt(value, 10);
  return Number.isFinite(n) && n >= 0 ? n : 0;
}

// Every notification of a call repeats its `call_start`: the last few conversions are kept.
const STARTED_AT_MEMO_SIZE = 256;
const startedAtMemo = new Map<string, string | null>();

function startedAt(callStart: string, timezone: string): string | null {
  const key = `${timezone}|${callStart}`;
  const known = startedAtMemo.get(key);
  if (known !== undefined) {
    return known;
  }
  let value: string | null;
  try {
    value = parseZadarmaDateTime(callStart, timezone);
  } catch {
    value = null;
  }
  if (startedAtMemo.size >= STARTED_AT_MEMO_SIZE) {
    startedAtMemo.delete(startedAtMemo.keys().next().value as string);
  }
  startedAtMemo.set(key, value);
  return value;
}

/**
 * Maps a verified PBX call notification to a domain CallEvent; null for events that are not about a call's
 * lifecycle (NOTIFY_IVR, SMS, NUMBER_LOOKUP, …).
 * Why: keeps the wire format out of the domain (dependency-cruiser's domain rule).
 */
export function toCallEvent(event: TWebhookEvent, context: CallEventContext): CallEvent | null {
  const { receivedAt, timezone } = context;
  if (event.event === 'NOTIFY_RECORD') {
    return { kind: 'record', pbxCallId: event.pbx_call_id, recordingId: event.call_id_with_rec, receivedAt };
  }
  if (
    event.event !== 'NOTIFY_START' &&
    event.event !== 'NOTIFY_INTERNAL' &&
    event.event !== 'NOTIFY_ANSWER' &&
    event.event !== 'NOTIFY_END' &&
    event.event !== 'NOTIFY_OUT_START' &&
    event.event !== 'NOTIFY_OUT_END'
  ) {
    return null;
  }
  const base = {
    pbxCallId: event.pbx_call_id,
    receivedAt,
    callStart: event.call_start,
    startedAt: startedAt(event.call_start, timezone),
    calltype: optional(event.calltype),
  };
  switch (event.event) {
    case 'NOTIFY_START':
      return { kind: 'start', ...base, callerId: event.caller_id, calledDid: event.called_did };
    case 'NOTIFY_INTERNAL':
      return {
        kind: 'internal',
        ...base,
        callerId: event.caller_id,
        calledDid: event.called_did,
        extension: optional(event.internal),
      };
    case 'NOTIFY_ANSWER':
      return {
        kind: 'answer',
        ...base,
        callerId: event.caller_id,
        destination: event.destination,
        extension: optional(event.internal),
      };
    case 'NOTIFY_END':
      return {
        kind: 'end',
        ...base,
        callerId: event.caller_id,
        calledDid: event.called_did,
        extension: optional(event.internal),
        lastInternal: optional(event.last_internal),
        duration: seconds(event.duration),
        disposition: event.disposition,
        statusCode: optional(event.status_code),
        isRecorded: event.is_recorded === '1',
        recordingId: optional(event.call_id_with_rec),
      };
    case 'NOTIFY_OUT_START':
      return {
        kind: 'out_start',
        ...base,
        callerId: optional(event.caller_id),
        destination: event.destination,
        extension: optional(event.internal),
      };
    case 'NOTIFY_OUT_END':
      return {
        kind: 'out_end',
        ...base,
        callerId: optional(event.caller_id),
        destination: event.destination,
        extension: optional(event.internal),
        duration: seconds(event.duration),
        disposition: event.disposition,
        statusCode: optional(event.status_code),
        isRecorded: event.is_recorded === '1',
        recordingId: optional(event.call_id_with_rec),
      };
  }
}

const FRESH: Freshness = { ok: true };

/**
 * Whether a verified notification received at `receivedAt` is fresh (domain/call-freshness.ts): its signed
 * `call_start` within the window, an end's `duration` no longer than the time since. Events without a
 * `call_start` (NOTIFY_RECORD, SMS, …) are fresh: nothing in them is dated.
 * Why: the receiver refuses replays of captured signatures before storing anything (issue 9, finding 4).
 */
export function webhookFreshness(
  event: TWebhookEvent,
  timezone: string,
  receivedAt: number | string,
  window: { readonly maxAgeMs?: number; readonly maxSkewMs?: number } = {},
): Freshness {
  const fields = event as unknown as Readonly<Record<string, unknown>>;
  const callStart = fields.call_start;
  if (typeof callStart !== 'string' || event.event === 'NOTIFY_RECORD') {
    return FRESH;
  }
  const ends = event.event === 'NOTIFY_END' || event.event === 'NOTIFY_OUT_END';
  const start = startedAt(callStart, timezone);
  return checkFreshness({
    callStart,
    timezone,
    // The memoised conversion (every notification of a call repeats its call_start); unreadable → parsed again
    // by checkFreshness, which says why.
    ...(start !== null ? { startedAt: start } : {}),
    now: receivedAt,
    durationSeconds: ends && typeof fields.duration === 'string' ? seconds(fields.duration) : null,
    ...window,
  });
}

/** The `ProviderEvents` port for Zadarma: `toCallEvent` and `webhookFreshness`. */
export const zadarmaProviderEvents: ProviderEvents = {
  toCallEvent,
  toTranscriptNotice,
  freshness: webhookFreshness,
};
