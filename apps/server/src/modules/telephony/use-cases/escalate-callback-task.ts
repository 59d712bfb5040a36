/**
 * An overdue callback task escalates to the default responsible user: the job scheduled for the task's due time
 * hands it over (once) if the loop is still open and someone else holds it.
 */
import type { SystemActor } from '../../../platform/auth/actor.js';
import { formatPhoneInternational } from '../../crm/phones/normalize-phone.js';
import { callbackTaskTitle } from '../domain/after-call-policy.js';
import type { AfterCallPorts, AfterCallWork } from '../ports.js';

/**
 * Escalates the task if it is still the client's open, unescalated callback task; records why on the trace. The
 * handover and its trace are one unit of work: a failure between them leaves the task unescalated for the retry.
 */
export async function escalateCallbackTask(
  ports: Pick<AfterCallPorts, 'settings' | 'unitOfWork'>,
  input: { readonly taskId: string; readonly clientE164: string; readonly actor: SystemActor },
): Promise<void> {
  // Read before the transaction (on SQLite the settings' read would wait for the transaction's connection).
  const settings = await ports.settings.read();
  await ports.unitOfWork.run((work) => escalateIn(work, settings.defaultResponsibleUserId, input));
}

async function escalateIn(
  ports: AfterCallWork,
  to: string | null,
  input: { readonly taskId: string; readonly clientE164: string; readonly actor: SystemActor },
): Promise<void> {
  const loop = await ports.loops.openFor(input.clientE164);
  if (!loop || loop.taskId !== input.taskId || loop.escalatedAt !== null) {
    return;
  }
  const at = new Date(ports.clock.now()).toISOString();
  const user = to ? await ports.clients.userOf(to) : null;
  if (!to || !user || to === loop.assigneeId) {
    await ports.timeline.recordDecision({
      callId: loop.lastCallId,
      at,
      code: 'callback.not_escalated',
      params: { taskId: loop.taskId, reason: !to || !user ? 'no_default_responsible' : 'already_default' },
    });
    return;
  }
  const owners = await ports.clients.ownersOf(input.clientE164);
  const escalated = await ports.loops.escalate({
    clientE164: input.clientE164,
    taskId: loop.taskId,
    toUserId: to,
    title: callbackTaskTitle({
      number: formatPhoneInternational(input.clientE164),
      name: owners.contactName,
      missedCalls: loop.missedCalls,
      locale: user.locale,
    }),
    at,
    actor: input.actor,
  });
  if (escalated) {
    await ports.timeline.recordDecision({
      callId: loop.lastCallId,
      at,
      code: 'callback.task_escalated',
      params: { taskId: loop.taskId, assignee: user.name, dueAt: loop.dueAt },
    });
  }
}
