/**
 * The after-call job (issue 12, items 6 and 9), run off the webhook path as the system actor: a new number is
 * handled by the new-caller rules, then a missed inbound call opens (or counts into) the client's callback task
 * and an answered call with that number closes it. Each decision goes on the call's trace.
 */
import type { SystemActor } from '../../../platform/auth/actor.js';
import { hasEnded, isAnsweredCall, isMissedInbound } from '../domain/after-call-policy.js';
import type { AfterCallPorts } from '../ports.js';
import { closeCallbackTaskOnAnswer } from './close-callback-task-on-answer.js';
import { countMissedCall } from './count-missed-call.js';
import { decideNewCaller } from './decide-new-caller.js';

/**
 * Follows up the call with id `callId` as it is stored now (a late notification may have changed it).
 * Idempotent: a job run twice counts and creates nothing twice.
 */
export async function followUpEndedCall(
  ports: AfterCallPorts,
  input: { readonly callId: string; readonly actor: SystemActor },
): Promise<void> {
  const call = await ports.calls.getById(input.callId);
  if (!call || !hasEnded(call) || call.clientE164 === null) {
    return;
  }
  const settings = await ports.settings.read();
  const e164 = call.clientE164;
  const missed = settings.missedCallTasks && isMissedInbound(call);
  // The owner chain is read once for both decisions (it was most of a job's queries); read again only when the
  // new-caller rules just made this number a contact, so the task is that contact's.
  let owners = settings.autoCreate || missed ? await ports.clients.ownersOf(e164) : null;
  if (settings.autoCreate && owners) {
    const created = await decideNewCaller(ports, { ...input, call, e164, settings, owners });
    if (created && missed) {
      owners = await ports.clients.ownersOf(e164);
    }
  }
  if (settings.missedCallTasks) {
    if (missed && owners) {
      await countMissedCall(ports, { ...input, call, e164, settings, owners });
    } else if (isAnsweredCall(call)) {
      await closeCallbackTaskOnAnswer(ports, { ...input, call, e164 });
    }
  }
}
