/** Changes a task; completing it stamps `completedAt` and shows on its record's timeline. */
import type { Kysely } from 'kysely';
import { type Actor, actorUserId } from '../../../platform/auth/actor.js';
import type { Database } from '../../../platform/db/schema.js';
import { assertCanModify } from '../shared/record-access.js';
import { assertReference, notFound } from '../shared/validation.js';
import { recordActivities } from '../timeline/record-activity.js';
import { assertSubject } from './create-task.js';
import { findTask, publicTask } from './task-repository.js';
import type { Task, TaskPatch } from './task-schemas.js';

/** Applies a patch and returns the task. Why: agents tick tasks off and reschedule them. */
export async function updateTask(options: {
  db: Kysely<Database>;
  actor: Actor;
  id: string;
  patch: TaskPatch;
  now?: Date;
}): Promise<Task> {
  const { db, actor, id, patch } = options;
  const existing = await findTask(db, id);
  if (!existing) {
    throw notFound('task', id);
  }
  assertCanModify(actor, { ownerId: existing.assigneeId, createdById: existing.createdById }, 'tasks');
  await assertReference(db, 'users', patch.assigneeId, 'assigneeId');
  const subjectType = patch.subjectType === undefined ? existing.subjectType : patch.subjectType;
  const subjectId = patch.subjectId === undefined ? existing.subjectId : patch.subjectId;
  await assertSubject(db, subjectType, subjectId);
  const now = (options.now ?? new Date()).toISOString();
  const status = patch.status ?? existing.status;
  const completes = status === 'done' && existing.status !== 'done';
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('tasks')
      .set({
        title: patch.title ?? existing.title,
        description: patch.description ?? existing.description,
        due_at:
          patch.dueAt === undefined
            ? existing.dueAt
            : patch.dueAt === null
              ? null
              : new Date(patch.dueAt).toISOString(),
        status,
        assignee_id: patch.assigneeId === undefined ? existing.assigneeId : patch.assigneeId,
        subject_type: subjectType,
        subject_id: subjectId,
        updated_at: now,
        completed_at: status === 'done' ? (completes ? now : existing.completedAt) : null,
      })
      .where('id', '=', id)
      .execute();
    if (completes && subjectType && subjectId) {
      await recordActivities(trx, [
        {
          subjectType,
          subjectId,
          kind: 'task',
          actorId: actorUserId(actor),
          at: now,
          title: `Task ${patch.title ?? existing.title} done`,
          event: { type: 'task.done', params: { title: patch.title ?? existing.title } },
          ref: { type: 'task', id },
        },
      ]);
    }
  });
  return publicTask((await findTask(db, id)) as Task);
}
