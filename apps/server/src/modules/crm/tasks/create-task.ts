/** Creates a task; the record it is about gets a `task` timeline entry. */
import type { Kysely } from 'kysely';
import { type Actor, actorUserId, refuseApiClient } from '../../../platform/auth/actor.js';
import { inTransaction } from '../../../platform/db/in-transaction.js';
import type { Database } from '../../../platform/db/schema.js';
import { newId } from '../../../platform/ids.js';
import { assertReference, invalidField } from '../shared/validation.js';
import { recordActivities } from '../timeline/record-activity.js';
import { findTask, publicTask } from './task-repository.js';
import type { Task, TaskCreate } from './task-schemas.js';

const SUBJECT_TABLE = { contact: 'contacts', lead: 'leads', deal: 'deals', company: 'companies' } as const;

/** Checks a task's subject: both parts or neither, and the record exists (calls are not checked yet). */
export async function assertSubject(
  db: Kysely<Database>,
  subjectType: Task['subjectType'] | undefined,
  subjectId: string | null | undefined,
): Promise<void> {
  if (!subjectType !== !subjectId) {
    invalidField(
      subjectType ? 'subjectId' : 'subjectType',
      'subjectType and subjectId go together',
      'subject_incomplete',
    );
  }
  if (subjectType && subjectId && subjectType !== 'call') {
    await assertReference(db, SUBJECT_TABLE[subjectType], subjectId, 'subjectId');
  }
}

/** Creates a task and returns it. Why: follow-ups (and later missed-call call-backs) are tasks. */
export async function createTask(options: {
  db: Kysely<Database>;
  actor: Actor;
  input: TaskCreate;
  now?: Date;
}): Promise<Task> {
  const { db, actor, input } = options;
  refuseApiClient(actor, 'create tasks');
  // Agents may hand a task to a colleague (that is what tasks are for); unset means "mine" (nobody's for the system).
  const assigneeId = input.assigneeId === undefined ? actorUserId(actor) : input.assigneeId;
  await assertReference(db, 'users', assigneeId, 'assigneeId');
  await assertSubject(db, input.subjectType, input.subjectId);
  const id = newId();
  const now = (options.now ?? new Date()).toISOString();
  const dueAt = input.dueAt ? new Date(input.dueAt).toISOString() : null;
  await inTransaction(db, async (trx) => {
    await trx
      .insertInto('tasks')
      .values({
        id,
        title: input.title,
        description: input.description,
        due_at: dueAt,
        status: input.status,
        assignee_id: assigneeId,
        subject_type: input.subjectType ?? null,
        subject_id: input.subjectId ?? null,
        created_by_id: actorUserId(actor),
        created_at: now,
        updated_at: now,
        completed_at: input.status === 'done' ? now : null,
      })
      .execute();
    if (input.subjectType && input.subjectId) {
      await recordActivities(trx, [
        {
          subjectType: input.subjectType,
          subjectId: input.subjectId,
          kind: 'task',
          actorId: actorUserId(actor),
          at: now,
          title: `Task ${input.title}`,
          event: { type: 'task.created', params: { title: input.title } },
          body: input.description || null,
          ref: { type: 'task', id },
          payload: { dueAt },
        },
      ]);
    }
  });
  return publicTask((await findTask(db, id)) as Task);
}
