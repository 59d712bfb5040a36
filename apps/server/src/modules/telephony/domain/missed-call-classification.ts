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
  return classifyReturn(missedStartedAt, firstReturn(missedStartedAt, laterCalls), returnWithinMinutes);
}

/**
 * The return the fold stores on a missed call (`calls.return_at`, `return_direction`): the first connected call
 * among `laterCalls` that started after it, an outbound one winning a tie. Why pure: the in-memory readers
 * derive from the calls what the fold's upkeep (adapters/missed-call-fates.ts) keeps in SQL.
 */
export function firstReturn(missedStartedAt: string, laterCalls: readonly FollowUpCall[]): StoredReturn {
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
    return { returnAt: null, returnDirection: null };
  }
  return { returnAt: first.startedAt, returnDirection: first.direction === 'outbound' ? 'out' : 'in' };
}

/**
 * The class of a missed call whose return is `stored`, for any `returnWithinMinutes` (not only the window
 * choices): the rule {@link classifyMissedCall} applies, and the one the call log's `fate` filter writes as SQL
 * (adapters/missed-call-condition.ts `missedCallOfClass`; missed-call-condition.test.ts holds them equal).
 */
export function classifyReturn(
  missedStartedAt: string,
  stored: StoredReturn,
  returnWithinMinutes: number,
): MissedCallFate {
  const seconds = secondsToReturn(missedStartedAt, stored);
  if (seconds === null) {
    return { classification: 'not_returned', secondsToCallBack: null };
  }
  if (stored.returnDirection !== 'out') {
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

/**
 * The return windows an admin may choose for "returned within N minutes" (the `statistics.returnWithinMinutes`
 * setting). Why a fixed list: the rollups keep returned calls in these buckets, so the statistics stay exact
 * for whichever N is chosen without re-reading the calls.
 */
export const RETURN_WINDOW_CHOICES = [5, 10, 15, 30, 60, 120, 240] as const;
type ReturnWindowMinutes = (typeof RETURN_WINDOW_CHOICES)[number];

/**
 * Whether a call settles an earlier missed call with the same client: somebody picked up (talking now, or
 * ended answered). One definition for the fold's upkeep, the from-scratch recomputation and every reader.
 */
export function isConnectedStatus(status: string): boolean {
  return status === 'answered' || status === 'in_progress';
}

/** What the fold stores on a missed call: the connected call that settled it (null: none yet). */
export interface StoredReturn {
  readonly returnAt: string | null;
  /** 'in': the client called back; 'out': we did. */
  readonly returnDirection: 'in' | 'out' | null;
}

/**
 * The rollup bucket of a missed call's fate: `client`, `r<N>` (we returned it within N minutes, N the smallest
 * window choice that holds it), `r1440` (within 24 h), `later`, or `open` (not returned). Why minutes rounded
 * up: for a whole N, `ceil(s / 60) ≤ N` ⟺ `s ≤ 60 N`, so every choice of N is counted exactly.
 */
export type FateBucket = 'client' | `r${ReturnWindowMinutes}` | 'r1440' | 'later' | 'open';

/** Seconds from the missed call to its return, or null when not returned. */
export function secondsToReturn(missedStartedAt: string, stored: StoredReturn): number | null {
  if (stored.returnAt === null) {
    return null;
  }
  return Math.round((Date.parse(stored.returnAt) - Date.parse(missedStartedAt)) / 1000);
}

/** The bucket of a missed call whose first connected return is `stored`. */
export function fateBucket(missedStartedAt: string, stored: StoredReturn): FateBucket {
  const seconds = secondsToReturn(missedStartedAt, stored);
  if (seconds === null) {
    return 'open';
  }
  if (stored.returnDirection !== 'out') {
    return 'client';
  }
  const minutes = Math.ceil(seconds / 60);
  const window = RETURN_WINDOW_CHOICES.find((n) => minutes <= n);
  if (window !== undefined) {
    return `r${window}`;
  }
  return seconds <= DAY_SECONDS ? 'r1440' : 'later';
}

/** The class a bucket counts as for the return window `returnWithinMinutes` (one of the choices). */
export function classOfBucket(bucket: FateBucket, returnWithinMinutes: number): MissedCallClass {
  switch (bucket) {
    case 'client':
      return 'client_called_back';
    case 'open':
      return 'not_returned';
    case 'later':
      return 'returned_later';
    case 'r1440':
      return 'returned_within_24h';
    default:
      return Number(bucket.slice(1)) <= returnWithinMinutes ? 'returned_within_n' : 'returned_within_24h';
  }
}

/**
 * The stored return classified through its rollup bucket ({@link fateBucket}, {@link classOfBucket}): what the
 * statistics count it as, equal to {@link classifyMissedCall}'s classification for every window an admin may
 * choose (`RETURN_WINDOW_CHOICES`). Throws a RangeError for any other window: the buckets are cut at the choices,
 * so a call returned in 6 minutes would count as beyond a window of 7. {@link classifyReturn} holds for any N.
 */
export function fateOf(
  missedStartedAt: string,
  stored: StoredReturn,
  returnWithinMinutes: number,
): MissedCallFate {
  if (!(RETURN_WINDOW_CHOICES as readonly number[]).includes(returnWithinMinutes)) {
    throw new RangeError(
      `return window ${returnWithinMinutes} min is not one of ${RETURN_WINDOW_CHOICES.join(', ')}: use classifyReturn`,
    );
  }
  return {
    classification: classOfBucket(fateBucket(missedStartedAt, stored), returnWithinMinutes),
    secondsToCallBack: secondsToReturn(missedStartedAt, stored),
  };
}

/**
 * The one "missed and not returned" rule: a missed inbound call (call-outcome.ts `isMissed`) that no connected
 * call with the same client has followed. A hidden number cannot be called back: it stays not returned.
 * adapters/missed-call-condition.ts is the same rule as SQL.
 */
export function isMissedNotReturned(missed: boolean, stored: Pick<StoredReturn, 'returnAt'>): boolean {
  return missed && stored.returnAt === null;
}
