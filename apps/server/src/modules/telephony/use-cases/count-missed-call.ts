/**
 * A missed inbound call opens ONE callback task for the client — or, when one is open, counts into it ("called
 * 3×") — assigned along the owner chain (open deal → lead → contact → default responsible), due in N minutes;
 * a new task also schedules its escalation at the due time.
 */
import type { SystemActor } from '../../../platform/auth/actor.js';
import { formatPhoneInternational } from '../../crm/phones/normalize-phone.js';
import { callbackOwner, callbackTaskTitle } from '../domain/after-call-policy.js';
import {
  type AfterCallSettings,
  type AfterCallWork,
  type ClientOwners,
  ESCALATE_CALLBACK_TASK_JOB,
  type StoredCall,
} from '../ports.js';

/** Counts the missed `call` into its client's callback task and puts the decision on the call's trace. */
export async function countMissedCall(
  ports: Pick<AfterCallWork, 'clients' | 'loops' | 'timeline' | 'jobs' | 'clock'>,
  input: {
    readonly call: StoredCall;
    readonly e164: string;
    readonly settings: AfterCallSettings;
    readonly actor: SystemActor;
    /** The number's owner chain when the caller read it already (else read here). */
    readonly owners?: ClientOwners;
  },
): Promise<void> {
  const { call, e164, settings } = input;
  const now = ports.clock.now();
  const owners = input.owners ?? (await ports.clients.ownersOf(e164));
  const owner = callbackOwner({ ...owners, defaultResponsibleId: settings.defaultResponsibleUserId });
  const assignee = owner.userId ? await ports.clients.userOf(owner.userId) : null;
  const missedAt = call.startedAt ?? call.createdAt;
  const result = await ports.loops.countMissedCall({
    callId: call.id,
    clientE164: e164,
    at: missedAt,
    dueAt: new Date(now + settings.missedCallDueMinutes * 60_000).toISOString(),
    assigneeId: assignee ? owner.userId : null,
    contactId: owners.contactId,
    title: (missedCalls) =>
      callbackTaskTitle({
        number: formatPhoneInternational(e164),
        name: owners.contactName,
        missedCalls,
        locale: assignee?.locale ?? 'en',
      }),
    actor: input.actor,
  });
  if (!result.counted) {
    return;
  }
  const { loop, opened } = result;
  const at = new Date(now).toISOString();
  if (opened) {
    // Overdue tasks escalate: a job due when the task is, once per task.
    await ports.jobs.enqueue(
      ESCALATE_CALLBACK_TASK_JOB,
      { taskId: loop.taskId, clientE164: e164 },
      { runAt: new Date(loop.dueAt), idempotencyKey: `escalate:${loop.taskId}` },
    );
    await ports.timeline.recordDecision({
      callId: call.id,
      at,
      code: 'callback.task_opened',
      params: {
        taskId: loop.taskId,
        owner: owner.source,
        ...(assignee ? { assignee: assignee.name } : {}),
        dueAt: loop.dueAt,
      },
    });
    return;
  }
  await ports.timeline.recordDecision({
    callId: call.id,
    at,
    code: 'callback.task_grouped',
    params: { taskId: loop.taskId, missedCalls: loop.missedCalls },
  });
}
