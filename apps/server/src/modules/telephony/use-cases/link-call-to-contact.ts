/**
 * A contact created (or a lead with its contact) from an unknown caller's card takes the call: the call is
 * linked to it — only when the contact has the call's number, so no call can be pinned on an unrelated record
 * — goes on its timeline if it is over, and the card shows the contact at once (issue 13). The same links a
 * caller that several contacts share to the one the agent picks on the card.
 */
import type { Actor } from '../../../platform/auth/actor.js';
import { AppError } from '../../../platform/errors/errors.js';
import type {
  CallRepository,
  CallTimeline,
  CallWorkspaceStore,
  ContactCard,
  CrmCardReader,
  ExtensionDirectory,
} from '../ports.js';
import { mayWorkOnCall } from './call-workspace-access.js';
import { recordCallActivity } from './record-call-activity.js';

/** Links the call and returns the contact's card. Why: the card of an unknown caller becomes a known one. */
export async function linkCallToContact(
  ports: {
    readonly store: CallWorkspaceStore;
    readonly calls: Pick<CallRepository, 'getById' | 'link'>;
    readonly cards: CrmCardReader;
    readonly timeline: CallTimeline;
    readonly directory: ExtensionDirectory;
  },
  actor: Actor,
  input: { readonly callId: string; readonly contactId: string; readonly at: string },
): Promise<ContactCard> {
  const call = await ports.calls.getById(input.callId);
  if (!call || !(await mayWorkOnCall(ports, actor, call))) {
    throw new AppError('SB_ERR_NOT_FOUND', `no call ${input.callId}`);
  }
  // A call already linked moves only to another contact with its number: a caller several records share was
  // linked to the oldest, and the agent picks the right one on the card (the call's timeline item moves too).
  if (call.clientE164 === null || !(await ports.store.contactHasNumber(input.contactId, call.clientE164))) {
    throw new AppError('SB_ERR_VALIDATION', 'the contact does not have the number of the call', [
      { path: 'contactId', message: 'the contact does not have the number of the call' },
    ]);
  }
  const linked =
    call.contactId === input.contactId
      ? call
      : ((await ports.calls.link(call, { contactId: input.contactId }, input.at)) ?? call);
  await recordCallActivity(ports, linked);
  const card = await ports.cards.cardOf(input.contactId, { excludeCallId: call.id });
  if (!card) {
    throw new AppError('SB_ERR_NOT_FOUND', `no contact ${input.contactId}`);
  }
  if (linked !== call) {
    await ports.timeline.recordDecision({
      callId: call.id,
      at: input.at,
      actorId: actor.kind === 'user' ? actor.id : null,
      code: 'call.linked',
      params: { contactId: card.id, name: card.displayName },
    });
  }
  return card;
}
