/**
 * The missed-call loop closes itself on evidence: an answered call with the client's number, in either direction
 * (our click-to-call included), after the first missed call, closes the open callback task. The decision goes on
 * the answered call's trace and on the last missed call's, naming the call that closed it.
 */
import type { SystemActor } from '../../../platform/auth/actor.js';
import type { AfterCallWork, StoredCall } from '../ports.js';

/** Closes the client's open callback task when the answered `call` is evidence that they were reached. */
export async function closeCallbackTaskOnAnswer(
  ports: Pick<AfterCallWork, 'loops' | 'timeline' | 'clock'>,
  input: { readonly call: StoredCall; readonly e164: string; readonly actor: SystemActor },
): Promise<void> {
  const { call, e164 } = input;
  const loop = await ports.loops.openFor(e164);
  if (!loop) {
    return;
  }
  const answeredAt = call.answeredAt ?? call.startedAt ?? call.createdAt;
  // An answered call older than the first miss (a late notification) is no evidence.
  if ((call.startedAt ?? call.createdAt) < loop.firstMissedAt) {
    return;
  }
  const at = new Date(ports.clock.now()).toISOString();
  const closed = await ports.loops.close({ clientE164: e164, taskId: loop.taskId, at, actor: input.actor });
  if (!closed) {
    return;
  }
  const params = {
    taskId: loop.taskId,
    direction: call.direction === 'outbound' ? 'out' : 'in',
    answeredAt,
    missedCalls: loop.missedCalls,
    byCallId: call.id,
  };
  await ports.timeline.recordDecision({ callId: call.id, at, code: 'callback.task_closed', params });
  if (loop.lastCallId !== call.id) {
    await ports.timeline.recordDecision({
      callId: loop.lastCallId,
      at,
      code: 'callback.task_closed',
      params,
    });
  }
}
