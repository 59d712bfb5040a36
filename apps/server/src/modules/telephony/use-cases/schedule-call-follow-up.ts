/**
 * When a call's end is folded (inside the webhook batch's transaction), its follow-up — the missed-call loop and
 * the new-caller rules — is queued as a job in that same transaction, once per call.
 * Why: creating tasks and records never delays the webhook path; the batch pays one indexed insert.
 */

import { hasEnded } from '../domain/after-call-policy.js';
import type { CallEvent } from '../domain/call-event.js';
import type { AfterCallScheduler, StoredCall } from '../ports.js';

/** Queues the call's follow-up when `event` ended it and the client's number is known. */
export async function scheduleCallFollowUp(
  ports: { readonly afterCall?: AfterCallScheduler | undefined },
  event: CallEvent,
  call: StoredCall,
): Promise<void> {
  if (!ports.afterCall || (event.kind !== 'end' && event.kind !== 'out_end')) {
    return;
  }
  // A hidden number can be neither called back nor turned into a record.
  if (!hasEnded(call) || call.clientE164 === null) {
    return;
  }
  await ports.afterCall.schedule(call.id);
}
