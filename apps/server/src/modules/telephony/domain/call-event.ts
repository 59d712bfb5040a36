/**
 * The telephony domain's view of Zadarma's PBX call notifications (docs/zadarma-protocol.md §5.6.1–§5.6.7), free of the
 * wire format: the adapter edge maps each verified webhook into one of these, with the time it was received.
 * Numbers stay the raw strings Zadarma sent (§5.8: never normalise a `+` away); `callStart` stays the naive
 * account-local text (it is part of the idempotency key) next to `startedAt`, its UTC instant.
 */

/** Zadarma's event names, lower-cased without the `NOTIFY_` prefix. */
export type CallEventKind = 'start' | 'internal' | 'answer' | 'end' | 'out_start' | 'out_end' | 'record';

interface CallEventBase {
  readonly pbxCallId: string;
  /** ISO-8601 UTC instant at which this server received the notification. */
  readonly receivedAt: string;
  /**
   * Rebuilt by the history import from `/v1/statistics/pbx/` (domain/call-history.ts), not a webhook: it signed
   * nothing, and an empty field of it (the DID statistics do not name) is unknown, not a value.
   */
  readonly imported?: true;
}

interface CallTiming {
  /** `call_start` as sent: `YYYY-MM-DD HH:MM:SS` in the account timezone (§5.5). */
  readonly callStart: string;
  /** `callStart` converted to a UTC instant (null when it could not be parsed). */
  readonly startedAt: string | null;
  /** `calltype` when sent: `normal`, `callback_leg1`, `callback_leg2` (§5.5). */
  readonly calltype: string | null;
}

interface CallOutcome {
  /** Seconds, from `duration`. */
  readonly duration: number;
  readonly disposition: string;
  /** Q.931 cause code (`status_code`). */
  readonly statusCode: string | null;
  readonly isRecorded: boolean;
  /** `call_id_with_rec`, absent when not recorded. */
  readonly recordingId: string | null;
}

/** NOTIFY_START: an external call entered the PBX. */
interface CallStartEvent extends CallEventBase, CallTiming {
  readonly kind: 'start';
  readonly callerId: string;
  readonly calledDid: string;
  /**
   * Our reply refused the caller (blacklist: busy or hang-up). Set by the use case that decided, stored with the
   * event, so the fold — and every statistic refolded from the stored events — knows the call was refused.
   * Absent (never `false`) otherwise, so an event's content, and its key's versions, stay as they were.
   */
  readonly blacklisted?: true;
}

/** NOTIFY_INTERNAL: the call is offered to an extension (may repeat per extension). */
interface CallInternalEvent extends CallEventBase, CallTiming {
  readonly kind: 'internal';
  readonly callerId: string;
  readonly calledDid: string;
  readonly extension: string | null;
  /**
   * The ringing-trust rule refused it (domain/ringing-trust.ts: a captured signature replayed under another call's
   * id, or after the ringing window). Set before the fold by the use case that judged it, stored with the event,
   * so the fold leaves its extension out of `ringingExtensions` (what a tab's restore and the call workspace's
   * access read). Absent (never `false`) otherwise, so a trusted event's content stays as it was.
   */
  readonly untrusted?: true;
}

/** NOTIFY_ANSWER: answered at an extension (inbound) or by the far end (outbound). */
interface CallAnswerEvent extends CallEventBase, CallTiming {
  readonly kind: 'answer';
  readonly callerId: string;
  readonly destination: string;
  readonly extension: string | null;
}

/** NOTIFY_END: end of an inbound call. */
interface CallEndEvent extends CallEventBase, CallTiming, CallOutcome {
  readonly kind: 'end';
  readonly callerId: string;
  readonly calledDid: string;
  readonly extension: string | null;
  /** The extension that was last on the call — the one that talked (§5.5). */
  readonly lastInternal: string | null;
}

/** NOTIFY_OUT_START: an outbound call left the PBX. */
interface CallOutStartEvent extends CallEventBase, CallTiming {
  readonly kind: 'out_start';
  /** The CallerID shown to the far end; `0` when none is set (§5.5). */
  readonly callerId: string | null;
  readonly destination: string;
  readonly extension: string | null;
}

/** NOTIFY_OUT_END: end of an outbound call. */
interface CallOutEndEvent extends CallEventBase, CallTiming, CallOutcome {
  readonly kind: 'out_end';
  readonly callerId: string | null;
  readonly destination: string;
  readonly extension: string | null;
}

/** NOTIFY_RECORD: a recording of the call is ready to download. */
interface CallRecordEvent extends CallEventBase {
  readonly kind: 'record';
  readonly recordingId: string;
}

export type CallEvent =
  | CallStartEvent
  | CallInternalEvent
  | CallAnswerEvent
  | CallEndEvent
  | CallOutStartEvent
  | CallOutEndEvent
  | CallRecordEvent;

/**
 * The idempotency key of an event: (event, pbx_call_id, call_start, internal, call_id_with_rec) per docs/zadarma-protocol.md §5.8,
 * plus `calltype` and `destination`, which stay the same across re-deliveries but tell the two legs of a
 * click-to-call apart (§5.7: both legs may share one pbx_call_id; without them leg 2's events would be dropped).
 * Why: Zadarma may deliver a notification twice; two deliveries of the same notification share this key.
 */
export function callEventKey(event: CallEvent): string {
  const callStart = event.kind === 'record' ? '' : event.callStart;
  const extension = 'extension' in event ? (event.extension ?? '') : '';
  const recordingId = 'recordingId' in event ? (event.recordingId ?? '') : '';
  const calltype = 'calltype' in event ? (event.calltype ?? '') : '';
  const destination = 'destination' in event ? event.destination : '';
  return [event.kind, event.pbxCallId, callStart, extension, recordingId, calltype, destination].join('|');
}

/**
 * The notification as stored once our NOTIFY_START reply refused the caller (`refused`: the blacklist's busy or
 * hang-up). Why here: the decision must travel with the event into the call's log, not only onto the timeline.
 */
export function withRoutingRefusal(event: CallEvent, refused: boolean): CallEvent {
  return refused && event.kind === 'start' ? { ...event, blacklisted: true } : event;
}

/**
 * True when a caller number means "hidden": empty, `0` (docs/zadarma-protocol.md §5.5) or a withheld-number word.
 * Why: a hidden caller must never be matched to a contact or shown as a number.
 */
export function isHiddenNumber(raw: string | null | undefined): boolean {
  if (raw === null || raw === undefined) {
    return true;
  }
  const text = raw.trim();
  return (
    text === '' || /^\+?0+$/.test(text) || /^(anonymous|unknown|private|restricted|unavailable)$/i.test(text)
  );
}

/** True for a PBX extension number (3–5 digits, docs/zadarma-protocol.md §6.1), as opposed to a phone number. */
export function isExtensionNumber(raw: string | null | undefined): boolean {
  return raw !== null && raw !== undefined && /^\d{3,5}$/.test(raw);
}

/**
 * Thrown when a verified notification is not folded: it contradicts the call's signed identity, or the call
 * already holds too many versions of it. Why: processing that throws marks the inbox entry `failed` with this
 * message, so an admin reads why, and nothing is told to anyone.
 */
export class CallEventRefusedError extends Error {
  override readonly name = 'CallEventRefusedError';
  /** Catalogue code (platform/errors): the event conflicts with the call as recorded. */
  readonly code = 'SB_ERR_CONFLICT';
}

/**
 * Most versions of one notification (one §5.8 key, different unsigned content) a call keeps. Zadarma sends each
 * notification once (a re-delivery is identical), so a second version is a conflict — possibly forged with a
 * captured signature; a few are kept for the fold's deterministic rule (and the reconciliation with Zadarma's
 * statistics) to settle, more is a flood and is refused.
 */
export const MAX_VERSIONS_PER_KEY = 4;

/**
 * Most distinct notifications one call keeps (a ring group of 100 extensions with transfers stays far below).
 * Why: each notification is refolded with its call; an unbounded log would let one captured signature make
 * every later event of that call slower.
 */
export const MAX_EVENTS_PER_CALL = 256;

export interface EventLogUpdate {
  readonly events: readonly CallEvent[];
  /** The same notification (same content) was already in the log: a re-delivery. */
  readonly duplicate: boolean;
  /** The log changed: a new notification, or a re-delivery received earlier than the copy kept. */
  readonly changed: boolean;
}

/** True when two events say the same thing: every field equal but the time they were received. */
export function sameContent(a: CallEvent, b: CallEvent): boolean {
  if (a.kind !== b.kind) {
    return false;
  }
  const x = a as unknown as Record<string, unknown>;
  const y = b as unknown as Record<string, unknown>;
  let fields = 0;
  for (const name in x) {
    if (name !== 'receivedAt' && x[name] !== y[name]) {
      return false;
    }
    fields++;
  }
  let others = 0;
  for (const _ in y) {
    others++;
  }
  return fields === others;
}

/**
 * Adds a delivery to a call's event log. The log is a SET of notifications by content: a re-delivery keeps one
 * copy, the earliest received (a minimum, so the same whatever order deliveries are applied in, and used only for
 * "first seen" display times); two versions of one notification that disagree on unsigned fields are both kept,
 * for the fold to resolve by content. Throws {@link CallEventRefusedError} past {@link MAX_VERSIONS_PER_KEY} or
 * {@link MAX_EVENTS_PER_CALL}.
 * Why: concurrent webhook requests can store a re-delivery before the original, and a forged version must not
 * win by arriving first.
 */
export function addToEventLog(events: readonly CallEvent[], event: CallEvent): EventLogUpdate {
  let key: string | null = null;
  let versions = 0;
  for (let i = 0; i < events.length; i++) {
    const kept = events[i] as CallEvent;
    if (kept.kind !== event.kind) {
      continue;
    }
    if (sameContent(kept, event)) {
      const earlier =
        event.receivedAt < kept.receivedAt ||
        (event.receivedAt === kept.receivedAt && JSON.stringify(event) < JSON.stringify(kept));
      if (!earlier) {
        return { events, duplicate: true, changed: false };
      }
      return { events: events.map((e, j) => (j === i ? event : e)), duplicate: true, changed: true };
    }
    key ??= callEventKey(event);
    if (callEventKey(kept) === key) {
      versions++;
    }
  }
  if (versions >= MAX_VERSIONS_PER_KEY) {
    throw new CallEventRefusedError(
      `refused: call ${event.pbxCallId} already has ${versions} conflicting versions of this ` +
        `NOTIFY_${event.kind.toUpperCase()} (a captured signature replayed?)`,
    );
  }
  if (events.length >= MAX_EVENTS_PER_CALL) {
    throw new CallEventRefusedError(
      `refused: call ${event.pbxCallId} already has ${events.length} notifications (the most one call keeps)`,
    );
  }
  return { events: [...events, event], duplicate: false, changed: true };
}
