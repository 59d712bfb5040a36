/**
 * The after-call job (issue 12, items 6 and 9), run off the webhook path as the system actor: a new number is
 * handled by the new-caller rules, then a missed inbound call opens (or counts into) the client's callback task
 * and an answered call with that number closes it. Each decision goes on the call's trace, in the same unit of
 * work as what it decided.
 */
import type { SystemActor } from '../../../platform/auth/actor.js';
import { hasEnded, isAnsweredCall, isMissedInbound } from '../domain/after-call-policy.js';
import type { AfterCallPorts } from '../ports.js';
import { closeCallbackTaskOnAnswer } from './close-callback-task-on-answer.js';
import { countMissedCall } from './count-missed-call.js';
import { decideNewCaller } from './decide-new-caller.js';

/**
 * Follows up the call with id `callId` as it is stored now (a late notification may have changed it).
 * Idempotent: a job run twice counts and creates nothing twice. All-or-nothing: what it decides (records, the
 * callback task and its count, the trace, the escalation job) commits in one `unitOfWork.run`, so a failure
 * midway leaves nothing for the retry to skip.
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
  const answered = settings.missedCallTasks && !missed && isAnsweredCall(call);
  // The owner chain is read once for both decisions (it was most of a job's queries); read again only when the
  // new-caller rules just made this number a contact, so the task is that contact's. Whether the number is ours
  // is asked here, before the transaction: it may wait for Zadarma.
  const owners = settings.autoCreate || missed ? await ports.clients.ownersOf(e164) : null;
  const ownNumber =
    settings.autoCreate && owners?.contactId === null ? await ports.clients.isOwnNumber(e164) : false;
  if (!owners && !answered) {
    return;
  }
  await ports.unitOfWork.run(async (work) => {
    let chain = owners;
    if (settings.autoCreate && chain) {
      const created = await decideNewCaller(work, {
        ...input,
        call,
        e164,
        settings,
        owners: chain,
        ownNumber,
      });
      if (created && missed) {
        chain = await work.clients.ownersOf(e164);
      }
    }
    if (missed && chain) {
      await countMissedCall(work, { ...input, call, e164, settings, owners: chain });
    } else if (answered) {
      await closeCallbackTaskOnAnswer(work, { ...input, call, e164 });
    }
  });
}
