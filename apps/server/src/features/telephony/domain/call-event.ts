/**
 * The telephony domain's view of Zadarma's PBX call notifications (PROTOCOL.md §5.6.1–§5.6.7), free of the
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
export interface CallStartEvent extends CallEventBase, CallTiming {
  readonly kind: 'start';
  readonly callerId: string;
  readonly calledDid: string;
}

/** NOTIFY_INTERNAL: the call is offered to an extension (may repeat per extension). */
export interface CallInternalEvent extends CallEventBase, CallTiming {
  readonly kind: 'internal';
  readonly callerId: string;
  readonly calledDid: string;
  readonly extension: string | null;
}

/** NOTIFY_ANSWER: answered at an extension (inbound) or by the far end (outbound). */
export interface CallAnswerEvent extends CallEventBase, CallTiming {
  readonly kind: 'answer';
  readonly callerId: string;
  readonly destination: string;
  readonly extension: string | null;
}

/** NOTIFY_END: end of an inbound call. */
export interface CallEndEvent extends CallEventBase, CallTiming, CallOutcome {
  readonly kind: 'end';
  readonly callerId: string;
  readonly calledDid: string;
  readonly extension: string | null;
  /** The extension that was last on the call — the one that talked (§5.5). */
  readonly lastInternal: string | null;
}

/** NOTIFY_OUT_START: an outbound call left the PBX. */
export interface CallOutStartEvent extends CallEventBase, CallTiming {
  readonly kind: 'out_start';
  /** The CallerID shown to the far end; `0` when none is set (§5.5). */
  readonly callerId: string | null;
  readonly destination: string;
  readonly extension: string | null;
}

/** NOTIFY_OUT_END: end of an outbound call. */
export interface CallOutEndEvent extends CallEventBase, CallTiming, CallOutcome {
  readonly kind: 'out_end';
  readonly callerId: string | null;
  readonly destination: string;
  readonly extension: string | null;
}

/** NOTIFY_RECORD: a recording of the call is ready to download. */
export interface CallRecordEvent extends CallEventBase {
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
 * The idempotency key of an event: (event, pbx_call_id, call_start, internal, call_id_with_rec) per PROTOCOL.md §5.8,
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
 * True when a caller number means "hidden": empty, `0` (PROTOCOL.md §5.5) or a withheld-number word.
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

/** True for a PBX extension number (3–5 digits, PROTOCOL.md §6.1), as opposed to a phone number. */
export function isExtensionNumber(raw: string | null | undefined): boolean {
  return raw !== null && raw !== undefined && /^\d{3,5}$/.test(raw);
}

export interface EventLogUpdate {
  readonly events: readonly CallEvent[];
  /** The event's key was already in the log (a re-delivery). */
  readonly duplicate: boolean;
  /** The log changed: a new key, or a re-delivery received earlier than the copy kept. */
  readonly changed: boolean;
}

/**
 * Adds a delivery to a call's event log, keeping one copy per key (§5.8): the earliest received, ties broken by
 * content, so the log — and the record folded from it — is the same whatever order deliveries are applied in.
 * Why: concurrent webhook requests can store a re-delivery before the original.
 */
export function addToEventLog(events: readonly CallEvent[], event: CallEvent): EventLogUpdate {
  const key = callEventKey(event);
  const index = events.findIndex((e) => callEventKey(e) === key);
  if (index < 0) {
    return { events: [...events, event], duplicate: false, changed: true };
  }
  const kept = events[index] as CallEvent;
  const earlier =
    event.receivedAt < kept.receivedAt ||
    (event.receivedAt === kept.receivedAt && JSON.stringify(event) < JSON.stringify(kept));
  if (!earlier) {
    return { events, duplicate: true, changed: false };
  }
  return { events: events.map((e, i) => (i === index ? event : e)), duplicate: true, changed: true };
}
