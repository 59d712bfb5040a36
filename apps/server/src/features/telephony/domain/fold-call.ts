/**
 * The call record as a fold of its notifications. Zadarma may deliver a notification twice and in any order
 * (PROTOCOL.md §5.7: an END seen before an INTERNAL of the same call), so every stored field is a
 * join-semilattice: merging is commutative, associative and idempotent, and any arrival order of any
 * duplicates yields the same record. Derived fields (status, answeredBy, …) are recomputed from stored ones
 * after each merge, so `mergeCall` can run as each event arrives and its result be persisted.
 */
import { type CallEvent, isExtensionNumber, isHiddenNumber } from './call-event.js';

export type CallDirection = 'inbound' | 'outbound' | 'unknown';

/**
 * `ringing` (offered, not answered yet), `in_progress` (answered, not ended), then from the disposition:
 * `answered`, `missed` (inbound not answered), `no_answer` (outbound not answered), `busy`, `failed`
 * (money, limits, unallocated number, …); `unknown` when only a recording notice arrived.
 */
export type CallStatus =
  | 'ringing'
  | 'in_progress'
  | 'answered'
  | 'missed'
  | 'no_answer'
  | 'busy'
  | 'failed'
  | 'unknown';

export interface CallAnswer {
  readonly extension: string | null;
  readonly at: string;
}

/** The outcome reported by the chosen NOTIFY_END / NOTIFY_OUT_END. */
export interface CallEnd {
  readonly kind: 'end' | 'out_end';
  readonly receivedAt: string;
  readonly extension: string | null;
  readonly lastInternal: string | null;
  readonly duration: number;
  readonly disposition: string;
  readonly statusCode: string | null;
  readonly calltype: string | null;
}

export interface CallRecord {
  readonly pbxCallId: string;
  /** From the `in_`/`out_` prefix of pbx_call_id (§5.5) — never from `internal`. */
  readonly direction: CallDirection;
  /** `call_start` as sent (account-local, §5.5). */
  readonly callStart: string | null;
  /** UTC instant of `call_start`. */
  readonly startedAt: string | null;
  /** Raw `caller_id` (inbound: the customer; outbound: our CallerID). */
  readonly callerId: string | null;
  /** Raw `destination` (outbound: the customer's number). */
  readonly destination: string | null;
  /** Raw `called_did` (inbound). */
  readonly calledDid: string | null;
  /** The customer's number, raw: inbound caller or outbound destination; null when hidden. */
  readonly clientNumber: string | null;
  /** Our virtual number: the DID dialled (inbound) or the CallerID shown (outbound). */
  readonly didNumber: string | null;
  /** Every extension the call was offered to (NOTIFY_INTERNAL), sorted. */
  readonly ringingExtensions: readonly string[];
  /** The extension that placed an outbound call. */
  readonly originExtension: string | null;
  /**
   * Each answering party (the extension named, null when unknown) with the first time its NOTIFY_ANSWER was
   * received, oldest first: a re-delivery cannot move a party, a transfer adds one.
   */
  readonly answers: readonly CallAnswer[];
  /** When the call was first answered. */
  readonly answeredAt: string | null;
  /** The extension of the latest answering party with a known extension (after a transfer, the new one). */
  readonly answerExtension: string | null;
  /** Who talked: `last_internal` of the end, else the answering extension (§5.5). */
  readonly answeredBy: string | null;
  readonly status: CallStatus;
  readonly end: CallEnd | null;
  readonly disposition: string | null;
  readonly duration: number | null;
  readonly statusCode: string | null;
  /** When the end notification was received (Zadarma sends no end time). */
  readonly endedAt: string | null;
  readonly isRecorded: boolean;
  /** `call_id_with_rec` values, sorted. */
  readonly recordingIds: readonly string[];
  /** `normal`, `callback_leg1` or `callback_leg2` (§5.5); a callback leg wins over `normal`. */
  readonly calltype: string | null;
}

/** The record of a call no notification has been folded into yet. */
export function emptyCallRecord(pbxCallId: string): CallRecord {
  return derive({
    pbxCallId,
    direction: directionOf(pbxCallId),
    callStart: null,
    startedAt: null,
    callerId: null,
    destination: null,
    calledDid: null,
    clientNumber: null,
    didNumber: null,
    ringingExtensions: [],
    originExtension: null,
    answers: [],
    answeredAt: null,
    answerExtension: null,
    answeredBy: null,
    status: 'unknown',
    end: null,
    disposition: null,
    duration: null,
    statusCode: null,
    endedAt: null,
    isRecorded: false,
    recordingIds: [],
    calltype: null,
  });
}

/**
 * Folds one more notification into a call record; the order and repetition of events never matter.
 * Why: lets the receiver update and persist the record as each webhook arrives, whatever Zadarma's ordering.
 */
export function mergeCall(record: CallRecord, event: CallEvent): CallRecord {
  if (event.pbxCallId !== record.pbxCallId) {
    throw new Error(`cannot merge an event of call ${event.pbxCallId} into call ${record.pbxCallId}`);
  }
  if (event.kind === 'record') {
    return derive({
      ...record,
      isRecorded: true,
      recordingIds: union(record.recordingIds, event.recordingId),
    });
  }
  let next: CallRecord = {
    ...record,
    callStart: minOf(record.callStart, event.callStart),
    startedAt: minOf(record.startedAt, event.startedAt),
    calltype: strongerCalltype(record.calltype, event.calltype),
  };
  const callerId = event.callerId;
  if (callerId !== null && (event.kind !== 'answer' || record.direction !== 'outbound')) {
    next = { ...next, callerId: preferredNumber(next.callerId, callerId) };
  }
  switch (event.kind) {
    case 'start':
      next = { ...next, calledDid: minOf(next.calledDid, event.calledDid) };
      break;
    case 'internal':
      next = {
        ...next,
        calledDid: minOf(next.calledDid, event.calledDid),
        ringingExtensions: event.extension
          ? union(next.ringingExtensions, event.extension)
          : next.ringingExtensions,
      };
      break;
    case 'answer': {
      // On an inbound answer `destination` names the extension when `internal` is absent (§5.6.3, [UNCONFIRMED]).
      const extension =
        event.extension ??
        (record.direction !== 'outbound' && isExtensionNumber(event.destination) ? event.destination : null);
      next = {
        ...next,
        answers: withAnswer(next.answers, { extension, at: event.receivedAt }),
        destination:
          record.direction === 'outbound'
            ? preferredNumber(next.destination, event.destination)
            : next.destination,
      };
      break;
    }
    case 'end':
    case 'out_end': {
      const end: CallEnd = {
        kind: event.kind,
        receivedAt: event.receivedAt,
        extension: event.extension,
        lastInternal: event.kind === 'end' && event.lastInternal ? event.lastInternal : null,
        duration: event.duration,
        disposition: event.disposition,
        statusCode: event.statusCode,
        calltype: event.calltype,
      };
      next = {
        ...next,
        end: next.end === null || compareEnd(end, next.end) < 0 ? end : next.end,
        isRecorded: next.isRecorded || event.isRecorded,
        recordingIds: event.recordingId ? union(next.recordingIds, event.recordingId) : next.recordingIds,
      };
      if (event.kind === 'end') {
        next = { ...next, calledDid: minOf(next.calledDid, event.calledDid) };
      } else {
        next = withOutboundLeg(next, event.destination, event.extension);
      }
      break;
    }
    case 'out_start':
      next = withOutboundLeg(next, event.destination, event.extension);
      break;
  }
  return derive(next);
}

/**
 * Folds a call's notifications, in any order and with any duplicates, into its record.
 * Why: the stored `events` of a call can always be re-folded to rebuild or check its record.
 */
export function foldCall(events: readonly CallEvent[]): CallRecord {
  const first = events[0];
  if (!first) {
    throw new Error('foldCall needs at least one event');
  }
  return events.reduce(mergeCall, emptyCallRecord(first.pbxCallId));
}

/**
 * An outbound leg to an extension is the agent's leg of a click-to-call (`callback_leg1`, §5.7): its destination
 * names the agent, not the customer.
 */
function withOutboundLeg(record: CallRecord, destination: string, extension: string | null): CallRecord {
  const agentLeg = isExtensionNumber(destination);
  return {
    ...record,
    destination: agentLeg ? record.destination : preferredNumber(record.destination, destination),
    originExtension: minOf(record.originExtension, extension ?? (agentLeg ? destination : null)),
  };
}

function derive(record: CallRecord): CallRecord {
  const { direction, end } = record;
  const clientNumber = direction === 'outbound' ? record.destination : record.callerId;
  const didNumber = direction === 'outbound' ? record.callerId : record.calledDid;
  const answerExtension = record.answers.findLast((a) => a.extension !== null)?.extension ?? null;
  // Every field written out, in one order, rather than `{...record, derived}`: V8 then gives every record the
  // same fast shape, and copying one (the stored call, the columns) stays cheap — the spread-and-override form
  // made records slow dictionaries, several microseconds a copy on the webhook path.
  return {
    pbxCallId: record.pbxCallId,
    direction,
    callStart: record.callStart,
    startedAt: record.startedAt,
    callerId: record.callerId,
    destination: record.destination,
    calledDid: record.calledDid,
    clientNumber: isHiddenNumber(clientNumber) ? null : clientNumber,
    didNumber: isHiddenNumber(didNumber) ? null : didNumber,
    ringingExtensions: record.ringingExtensions,
    originExtension: record.originExtension,
    answers: record.answers,
    answeredAt: record.answers[0]?.at ?? null,
    answerExtension,
    answeredBy:
      end?.lastInternal ??
      answerExtension ??
      (end?.disposition === 'answered' && direction !== 'outbound' ? end.extension : null),
    status: statusOf(record),
    end,
    disposition: end?.disposition ?? null,
    duration: end?.duration ?? null,
    statusCode: end?.statusCode ?? null,
    endedAt: end?.receivedAt ?? null,
    isRecorded: record.isRecorded,
    recordingIds: record.recordingIds,
    calltype: record.calltype,
  };
}

function statusOf(record: CallRecord): CallStatus {
  const { end } = record;
  if (end) {
    switch (end.disposition) {
      case 'answered':
        return 'answered';
      case 'busy':
        return 'busy';
      case 'cancel':
      case 'no answer':
        return record.direction === 'outbound' ? 'no_answer' : 'missed';
      default:
        return 'failed';
    }
  }
  if (record.answers.length > 0) {
    return 'in_progress';
  }
  return record.callStart !== null ? 'ringing' : 'unknown';
}

function directionOf(pbxCallId: string): CallDirection {
  if (pbxCallId.startsWith('in_')) {
    return 'inbound';
  }
  return pbxCallId.startsWith('out_') ? 'outbound' : 'unknown';
}

function compareText(a: string | null, b: string | null): number {
  if (a === b) {
    return 0;
  }
  if (a === null) {
    return 1;
  }
  if (b === null) {
    return -1;
  }
  return a < b ? -1 : 1;
}

/** The smaller non-null value: a deterministic choice when deliveries disagree. */
function minOf(a: string | null, b: string | null): string | null {
  return compareText(a, b) <= 0 ? a : b;
}

function numberRank(value: string | null): number {
  if (value === null) {
    return 3;
  }
  if (isHiddenNumber(value)) {
    return 2;
  }
  return isExtensionNumber(value) ? 1 : 0;
}

/** A phone number beats an extension, which beats a hidden number; then the smaller text. */
function preferredNumber(a: string | null, b: string | null): string | null {
  const byRank = numberRank(a) - numberRank(b);
  if (byRank !== 0) {
    return byRank < 0 ? a : b;
  }
  return minOf(a, b);
}

function union(values: readonly string[], value: string): readonly string[] {
  if (values.includes(value)) {
    return values;
  }
  return [...values, value].sort((a, b) => a.length - b.length || compareText(a, b));
}

function compareAnswer(a: CallAnswer, b: CallAnswer): number {
  return compareText(a.at, b.at) || compareText(a.extension, b.extension);
}

/** Pointwise minimum per party: keeps each party's earliest answer time. */
function withAnswer(answers: readonly CallAnswer[], answer: CallAnswer): readonly CallAnswer[] {
  const existing = answers.find((a) => a.extension === answer.extension);
  if (existing && existing.at <= answer.at) {
    return answers;
  }
  return [...answers.filter((a) => a.extension !== answer.extension), answer].sort(compareAnswer);
}

const CALLTYPE_RANK: Record<string, number> = { callback_leg2: 0, callback_leg1: 1, normal: 2 };

function calltypeRank(calltype: string | null): number {
  return calltype === null ? 4 : (CALLTYPE_RANK[calltype] ?? 3);
}

function strongerCalltype(a: string | null, b: string | null): string | null {
  const byRank = calltypeRank(a) - calltypeRank(b);
  if (byRank !== 0) {
    return byRank < 0 ? a : b;
  }
  return minOf(a, b);
}

/**
 * Total order over end notifications (smaller wins): the customer leg of a callback first, then an answered
 * end, then the longer call, then the earliest delivery — so a re-delivered END changes nothing.
 */
function compareEnd(a: CallEnd, b: CallEnd): number {
  return (
    calltypeRank(a.calltype) - calltypeRank(b.calltype) ||
    Number(b.disposition === 'answered') - Number(a.disposition === 'answered') ||
    b.duration - a.duration ||
    compareText(a.receivedAt, b.receivedAt) ||
    compareText(JSON.stringify(a), JSON.stringify(b))
  );
}
