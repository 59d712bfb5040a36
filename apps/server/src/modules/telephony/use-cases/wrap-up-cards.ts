/**
 * The agent's wrap-up card across reloads and tabs (issue 13): the card opens the wrap-up when the call becomes
 * the user's (they answered or placed it) and closes it when they are done; a tab that connects after the call
 * ended gets the card back with the call's end and the outcome recorded so far (restore-live-calls.ts).
 */
import type { Actor } from '../../../platform/auth/actor.js';
import { AppError } from '../../../platform/errors/errors.js';
import type { CallRepository, CallWorkspaceStore, ExtensionDirectory, WrapUpCards } from '../ports.js';
import { mayWorkOnCall } from './call-workspace-access.js';

/** Opens (`open: true`) or closes the actor's wrap-up card of the call. Why: the card outlives the tab. */
export async function setWrapUpCard(
  ports: {
    readonly store: CallWorkspaceStore;
    readonly calls: Pick<CallRepository, 'getById'>;
    readonly directory: ExtensionDirectory;
    readonly wrapUps: WrapUpCards;
  },
  actor: Actor,
  input: { readonly callId: string; readonly open: boolean; readonly at: string },
): Promise<void> {
  const call = await ports.calls.getById(input.callId);
  // Only a signed-in user has cards; anyone else, or a call not theirs to work on, finds no call.
  if (actor.kind !== 'user' || !call || !(await mayWorkOnCall(ports, actor, call))) {
    throw new AppError('SB_ERR_NOT_FOUND', `no call ${input.callId}`);
  }
  if (input.open) {
    await ports.wrapUps.open(call.id, actor.id, input.at);
  } else {
    await ports.wrapUps.close(call.id, actor.id, input.at);
  }
}
