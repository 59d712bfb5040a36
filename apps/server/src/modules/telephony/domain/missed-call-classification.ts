/**
 * What became of a missed call: the client rang back themselves, we returned it within N minutes, within 24 h,
 * later, or not (yet). Pure; the call log's "missed and not returned" filter and the statistics' classified
 * missed calls both read it (ARCHITECTURE.md, "Missed calls").
 */

export type MissedCallClass =
  | 'client_called_back'
  | 'returned_within_n'
  | 'returned_within_24h'
  | 'returned_later'
  | 'not_returned';

export const MISSED_CALL_CLASSES: readonly MissedCallClass[] = [
  'client_called_back',
  'returned_within_n',
  'returned_within_24h',
  'returned_later',
  'not_returned',
];

/** A later call with the same client: when it started, which way, whether anyone talked. */
export interface FollowUpCall {
  readonly startedAt: string;
  readonly direction: 'inbound' | 'outbound' | 'unknown';
  readonly answered: boolean;
}

export interface MissedCallFate {
  readonly classification: MissedCallClass;
  /** Seconds from the missed call's start to the connected call that settled it; null when none did. */
  readonly secondsToCallBack: number | null;
}

const DAY_SECONDS = 24 * 60 * 60;

/**
 * Classifies a missed call by the first CONNECTED call with the same client that started after it: inbound →
 * the client called back; outbound → returned within `returnWithinMinutes`, within 24 h, or later. Unanswered
 * attempts do not settle it (nobody spoke to the client); without a connected call it is `not_returned`.
 * Ties between an inbound and an outbound call at the same second go to the outbound one (we did call).
 * Why a function of the set of calls: the result does not depend on the order in which calls were learnt.
 */
export function classifyMissedCall(
  missedStartedAt: string,
  laterCalls: readonly FollowUpCall[],
  returnWithinMinutes: number,
): MissedCallFate {
  const from = Date.parse(missedStartedAt);
  let first: FollowUpCall | null = null;
  let firstAt = Number.POSITIVE_INFINITY;
  for (const call of laterCalls) {
    if (!call.answered) {
      continue;
    }
    const at = Date.parse(call.startedAt);
    if (!(at > from)) {
      continue;
    }
    if (at < firstAt || (at === firstAt && call.direction === 'outbound')) {
      first = call;
      firstAt = at;
    }
  }
  if (first === null) {
    return { classification: 'not_returned', secondsToCallBack: null };
  }
  const seconds = Math.round((firstAt - from) / 1000);
  if (first.direction !== 'outbound') {
    return { classification: 'client_called_back', secondsToCallBack: seconds };
  }
  if (seconds <= returnWithinMinutes * 60) {
    return { classification: 'returned_within_n', secondsToCallBack: seconds };
  }
  return {
    classification: seconds <= DAY_SECONDS ? 'returned_within_24h' : 'returned_later',
    secondsToCallBack: seconds,
  };
}
