/**
 * After the call (issue 13): the agent records its outcome on the call, as in Pipedrive's call logging
 * (connected, no answer, left a message, wrong number, busy), or clears it.
 */
import type { Actor } from '../../../platform/auth/actor.js';
import { AppError } from '../../../platform/errors/errors.js';
import type {
  CallOutcome,
  CallRepository,
  CallTimeline,
  CallWorkspaceStore,
  CallWrapUp,
  ExtensionDirectory,
} from '../ports.js';
import { mayWorkOnCall } from './call-workspace-access.js';

/** Stores the outcome and returns the call's wrap-up. Why: the call log and statistics read what happened. */
export async function recordCallOutcome(
  ports: {
    readonly store: CallWorkspaceStore;
    readonly calls: Pick<CallRepository, 'getById'>;
    readonly directory: ExtensionDirectory;
    readonly timeline: CallTimeline;
  },
  actor: Actor,
  input: { readonly callId: string; readonly outcome: CallOutcome | null; readonly at: string },
): Promise<CallWrapUp> {
  const call = await ports.calls.getById(input.callId);
  if (!call || !(await mayWorkOnCall(ports, actor, call))) {
    throw new AppError('SB_ERR_NOT_FOUND', `no call ${input.callId}`);
  }
  const actorId = actor.kind === 'user' ? actor.id : null;
  await ports.store.setOutcome(call.id, input.outcome, actorId, input.at);
  if (input.outcome !== null) {
    await ports.timeline.recordDecision({
      callId: call.id,
      at: input.at,
      actorId,
      code: 'call.outcome',
      params: { outcome: input.outcome },
    });
  }
  return ports.store.wrapUpOf(call.id);
}
