/**
 * The call record as a fold of its notifications. Zadarma may deliver a notification twice and in any order
 * (docs/zadarma-protocol.md §5.7: an END seen before an INTERNAL of the same call), so every stored field is a
 * join-semilattice: merging is commutative, associative and idempotent, and any arrival order of any
 * duplicates yields the same record. Derived fields (status, answeredBy, …) are recomputed from stored ones
 * after each merge, so `mergeCall` can run as each event arrives and its result be persisted.
 *
 * The record is a function of the SET of notifications by their content, never of when they arrived: where
 * notifications disagree (two versions of an END — one may be forged with a captured signature, since
 * `duration`, `disposition`, `last_internal`, `call_id_with_rec` are unsigned — or a transfer reported without
 * `last_internal`) a total order on content decides. The only fields read from arrival times are the "first
 * seen" display times (`answers[].at`, `answeredAt`, `endedAt`), each a minimum over the notifications' receipt
 * times — order-independent, and read by no other field. Zadarma's statistics, reconciled later, are the final
 * authority over what the notifications claim.
 */
import { type CallEvent, isExtensionNumber, isHiddenNumber } from './call-event.js';

export type CallDirection = 'inbound' | 'outbound' | 'unknown';

/**
 * `ringing` (offered, not answered yet), `in_progress` (answered, not ended), then from the disposition:
 * `answered`, `missed` (inbound not answered), `no_answer` (outbound not answered), `busy`, `failed`
 * (money, limits, unallocated number, …); `unknown` when only a recording notice arrived.
 */
type CallStatus =
  | 'ringing'
  | 'in_progress'
  | 'answered'
  | 'missed'
  | 'no_answer'
  | 'busy'
  | 'failed'
  | 'unknown';

interface CallAnswer {
  readonly extension: string | null;
  /** When an answer of this party was first received (display only). */
  readonly at: string;
}

/** The outcome reported by the chosen NOTIFY_END / NOTIFY_OUT_END (its content: no arrival time). */
interface CallEnd {
  readonly kind: 'end' | 'out_end';
  readonly extension: string | null;
  readonly lastInternal: string | null;
  readonly duration: number;
  readonly disposition: string;
  readonly statusCode: string | null;
  readonly calltype: string | null;
  readonly isRecorded: boolean;
  readonly recordingId: string | null;
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
   * received, in extension order (never arrival order): a re-delivery cannot move a party, a transfer adds one.
   */
  readonly answers: readonly CallAnswer[];
  /** When an answer was first received (display only). */
  readonly answeredAt: string | null;
  /** The answering extension credited when the end names no `last_internal` (`creditedAnswer`). */
  readonly answerExtension: string | null;
  /** Who talked: `last_internal` of the end, else the answering extension (§5.5). */
  readonly answeredBy: string | null;
  readonly status: CallStatus;
  readonly end: CallEnd | null;
  readonly disposition: string | null;
  readonly duration: number | null;
  readonly statusCode: string | null;
  /**
   * When an end notification was first received (display only): Zadarma sends no end time, and `duration` is
   * the talk time, so `startedAt + duration` would miss the ringing.
   */
  readonly endedAt: string | null;
  /** A NOTIFY_RECORD arrived or the chosen end says so. */
  readonly isRecorded: boolean;
  /** `call_id_with_rec` of the NOTIFY_RECORD notices and of the chosen end (never of a losing version), sorted. */
  readonly recordingIds: readonly string[];
  /** `call_id_with_rec` of the NOTIFY_RECORD notices, which sign it with the pbx_call_id, sorted. */
  readonly recordNoticeIds: readonly string[];
  /** `normal`, `callback_leg1` or `callback_leg2` (§5.5); a callback leg wins over `normal`. */
  readonly calltype: string | null;
  /**
   * Our NOTIFY_START reply refused the caller (blacklist): true once any stored version of the start says so —
   * an OR, so the order, duplicates and an inbox replay (which re-reads the start without the decision) agree.
   */
  readonly blacklisted: boolean;
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
    recordNoticeIds: [],
    calltype: null,
    blacklisted: false,
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
    return derive({ ...record, recordNoticeIds: union(record.recordNoticeIds, event.recordingId) });
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
      next = {
        ...next,
        calledDid: minOf(next.calledDid, calledDidOf(event)),
        blacklisted: next.blacklisted || event.blacklisted === true,
      };
      break;
    case 'internal':
      next = {
        ...next,
        calledDid: minOf(next.calledDid, calledDidOf(event)),
        // A forged or replayed ringing (§5.9) is kept in the log but rings no one.
        ringingExtensions:
          event.extension && event.untrusted !== true
            ? union(next.ringingExtensions, event.extension)
            : next.ringingExtensions,
      };
      break;
    case 'answer': {
      const extension = answeringExtension(event, record.direction);
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
        extension: event.extension,
        lastInternal: event.kind === 'end' && event.lastInternal ? event.lastInternal : null,
        duration: event.duration,
        disposition: event.disposition,
        statusCode: event.statusCode,
        calltype: event.calltype,
        isRecorded: event.isRecorded,
        recordingId: event.recordingId,
      };
      next = {
        ...next,
        end: next.end === null || compareEnd(end, next.end) < 0 ? end : next.end,
        endedAt: minOf(next.endedAt, event.receivedAt),
      };
      if (event.kind === 'end') {
        next = { ...next, calledDid: minOf(next.calledDid, calledDidOf(event)) };
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
 * The extension an answer names: `internal`, else — on an inbound call — `destination` when it is an extension
 * (§5.6.3, [UNCONFIRMED]). Why: the fold and the "answered" popup must agree on who answered.
 */
export function answeringExtension(
  event: { readonly extension: string | null; readonly destination: string },
  direction: CallDirection,
): string | null {
  return (
    event.extension ??
    (direction !== 'outbound' && isExtensionNumber(event.destination) ? event.destination : null)
  );
}

/**
 * The answering extension credited for a call whose end names no `last_internal`. Nothing in an answer says
 * when it happened (its only time, `call_start`, is the call's), so with several answering parties — a transfer
 * — arrival order would be a guess that changes with the network. The content rule, best guess first:
 * the only party with a known extension; else the end's own `internal` when that party answered (the PBX's own
 * statement of who handled the call rather than ours); else the lowest extension (an arbitrary but total
 * order, left for the reconciliation with Zadarma's statistics to correct).
 */
function creditedAnswer(answers: readonly CallAnswer[], end: CallEnd | null): string | null {
  let first: string | null = null;
  let several = false;
  let endAnswered = false;
  for (const answer of answers) {
    const extension = answer.extension;
    if (extension === null) {
      continue;
    }
    if (first === null) {
      first = extension;
    } else {
      several = true;
    }
    if (extension === end?.extension) {
      endAnswered = true;
    }
  }
  // `answers` is sorted by extension (`compareAnswer`): `first` is the lowest.
  return several && endAnswered ? (end?.extension ?? first) : first;
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
  const answerExtension = creditedAnswer(record.answers, end);
  const recordingId = end?.recordingId ?? null;
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
    answeredAt: firstAnswerAt(record.answers),
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
    endedAt: record.endedAt,
    isRecorded: record.recordNoticeIds.length > 0 || end?.isRecorded === true,
    recordingIds: recordingId === null ? record.recordNoticeIds : union(record.recordNoticeIds, recordingId),
    recordNoticeIds: record.recordNoticeIds,
    calltype: record.calltype,
    blacklisted: record.blacklisted,
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
/** An event's DID; an imported one's empty DID is unknown (statistics name none), so a webhook's fills it. */
function calledDidOf(event: CallEvent & { readonly calledDid: string }): string | null {
  return event.imported && event.calledDid === '' ? null : event.calledDid;
}

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

/** By extension (as `union` orders them: shorter first, then text), the unknown extension last. */
function compareAnswer(a: CallAnswer, b: CallAnswer): number {
  if (a.extension === null || b.extension === null) {
    return compareText(a.extension, b.extension);
  }
  return a.extension.length - b.extension.length || compareText(a.extension, b.extension);
}

/** Pointwise minimum per party: keeps each party's earliest answer time; parties in extension order. */
function withAnswer(answers: readonly CallAnswer[], answer: CallAnswer): readonly CallAnswer[] {
  const existing = answers.find((a) => a.extension === answer.extension);
  if (existing && existing.at <= answer.at) {
    return answers;
  }
  return [...answers.filter((a) => a.extension !== answer.extension), answer].sort(compareAnswer);
}

function firstAnswerAt(answers: readonly CallAnswer[]): string | null {
  let first: string | null = null;
  for (const answer of answers) {
    first = minOf(first, answer.at);
  }
  return first;
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
 * Total order over end notifications by content alone (smaller wins), never by arrival: the customer leg of a
 * callback first, then an answered end, then the longer call, then the rest of the content. Genuine calls send
 * one end per leg; two versions of one end mean one was forged with a captured signature (its duration is
 * bounded by the freshness check, call-freshness.ts) or misdelivered, and the statistics settle it later.
 */
function compareEnd(a: CallEnd, b: CallEnd): number {
  return (
    calltypeRank(a.calltype) - calltypeRank(b.calltype) ||
    Number(b.disposition === 'answered') - Number(a.disposition === 'answered') ||
    b.duration - a.duration ||
    compareText(endContent(a), endContent(b))
  );
}

/** Every field of an end, in a fixed order (a tie-break: reached only by two versions of one end). */
function endContent(end: CallEnd): string {
  return JSON.stringify([
    end.kind,
    end.disposition,
    end.statusCode,
    end.lastInternal,
    end.extension,
    end.recordingId,
    end.isRecorded,
    end.calltype,
  ]);
}
