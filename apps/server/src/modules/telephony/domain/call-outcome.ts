/**
 * A call's outcome in plain words, and its waiting and talk times, from the folded record. The call log's
 * "outcome" column, its filter and the statistics' "missed by reason" all read this one function.
 */
import { isExtensionNumber } from './call-event.js';
import type { CallRecord } from './fold-call.js';

/**
 * - `live`: not ended yet (ringing or talking).
 * - `answered`: someone talked (Zadarma's `answered`).
 * - `no_answer`: rang out unanswered (`no answer`).
 * - `busy`: the called side was busy (`busy`).
 * - `cancelled`: the caller hung up while an extension rang (`cancel`).
 * - `ivr_hangup`: an inbound caller hung up before any extension rang (voice menu, queue).
 * - `blacklisted`: an inbound call our NOTIFY_START reply refused (the blacklist's busy or hang-up).
 * - `failed`: the PBX could not place it (`failed`, `call failed`, `no money`, `unallocated number`, limits).
 * - `unknown`: only a recording notice arrived.
 */
export type CallOutcome =
  | 'live'
  | 'answered'
  | 'no_answer'
  | 'busy'
  | 'cancelled'
  | 'ivr_hangup'
  | 'blacklisted'
  | 'failed'
  | 'unknown';

/**
 * Outcomes of an inbound call that count as missed: the client wanted us and nobody talked — calls owed a
 * return (the missed lists, the call-back loop, the classes, the answer rate). Not `blacklisted`: we refused
 * those on purpose. The SQL twin of this list is in partial indexes (migrations 0011, 0017): keep them equal.
 */
export const MISSED_OUTCOMES: readonly CallOutcome[] = ['no_answer', 'busy', 'cancelled', 'ivr_hangup'];

/** The statistics' "missed by reason" breakdown: the missed outcomes, and the callers we refused. */
export const MISSED_REASONS = [
  'no_answer',
  'busy',
  'cancelled',
  'ivr_hangup',
  'blacklisted',
] as const satisfies readonly CallOutcome[];

export type MissedReason = (typeof MISSED_REASONS)[number];

type OutcomeFields = Pick<
  CallRecord,
  'direction' | 'end' | 'answers' | 'callStart' | 'ringingExtensions' | 'answeredBy' | 'blacklisted'
>;

/** The call's outcome (see {@link CallOutcome}). Why here: a disposition alone cannot tell an IVR hang-up. */
export function callOutcome(call: OutcomeFields): CallOutcome {
  const end = call.end;
  if (end === null) {
    return call.callStart !== null || call.answers.length > 0 ? 'live' : 'unknown';
  }
  if (call.blacklisted && call.direction !== 'outbound' && end.disposition !== 'answered') {
    // Zadarma ends a refused call as `busy` or `cancel`: only our own decision tells it from a missed one.
    return 'blacklisted';
  }
  switch (end.disposition) {
    case 'answered':
      return 'answered';
    case 'busy':
      return 'busy';
    case 'no answer':
      return 'no_answer';
    case 'cancel': {
      const rang =
        call.ringingExtensions.length > 0 || (end.extension !== null && isExtensionNumber(end.extension));
      return call.direction === 'outbound' || rang ? 'cancelled' : 'ivr_hangup';
    }
    default:
      return 'failed';
  }
}

/** Whether an outcome is a missed inbound call. */
export function isMissed(direction: CallRecord['direction'], outcome: CallOutcome): boolean {
  return direction !== 'outbound' && MISSED_OUTCOMES.includes(outcome);
}

/**
 * Seconds the client waited: until the first answer for an answered call, until the hang-up otherwise; null
 * while live or when a time is missing. Zadarma sends no answer or end time, so both are when this server
 * received the notification — within a second or two of the PBX's own clock.
 */
export function waitingSeconds(
  call: Pick<CallRecord, 'startedAt' | 'answeredAt' | 'endedAt' | 'end'>,
): number | null {
  if (call.startedAt === null || call.end === null) {
    return null;
  }
  const until = call.end.disposition === 'answered' ? call.answeredAt : call.endedAt;
  if (until === null) {
    return null;
  }
  // `startedAt` comes from `call_start`, whole seconds; receipt times carry milliseconds.
  return Math.max(0, Math.round((Date.parse(until) - Date.parse(call.startedAt)) / 1000));
}

/** Talk time in seconds: the end's `duration` for an answered call, else 0; null while live. */
export function talkSeconds(call: Pick<CallRecord, 'end'>): number | null {
  if (call.end === null) {
    return null;
  }
  return call.end.disposition === 'answered' ? Math.max(0, call.end.duration) : 0;
}
