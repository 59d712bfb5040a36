/**
 * What became of one missed call (domain/missed-call-classification.ts), read from the calls with the same
 * client after it. Why a use case: the call's page shows it, and the statistics count the same classes.
 */
import { callOutcome, isMissed } from '../domain/call-outcome.js';
import { classifyMissedCall, type MissedCallFate } from '../domain/missed-call-classification.js';
import type { CallLogReader, StoredCall } from '../ports.js';

/** How many later calls are read: the first connected one decides, and a client rarely calls more often. */
const FOLLOW_UPS = 50;

/** The minutes within which a returned call counts as returned "within N minutes" (the N). */
export const RETURN_WITHIN_MINUTES = 30;

/** The fate of `call` when it is a missed inbound call, else null. */
export async function readMissedCallFate(
  ports: { readonly calls: Pick<CallLogReader, 'followUps'> },
  call: StoredCall,
  returnWithinMinutes: number = RETURN_WITHIN_MINUTES,
): Promise<MissedCallFate | null> {
  if (!isMissed(call.direction, callOutcome(call)) || call.startedAt === null) {
    return null;
  }
  if (call.clientE164 === null) {
    return { classification: 'not_returned', secondsToCallBack: null };
  }
  const later = await ports.calls.followUps(call.clientE164, call.startedAt, FOLLOW_UPS);
  return classifyMissedCall(call.startedAt, later, returnWithinMinutes);
}
