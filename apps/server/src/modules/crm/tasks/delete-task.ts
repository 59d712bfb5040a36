/** Deletes a task. */
import type { Kysely } from 'kysely';
import type { Actor } from '../../../platform/auth/actor.js';
import type { Database } from '../../../platform/db/schema.js';
import { assertCanModify } from '../shared/record-access.js';
import { notFound } from '../shared/validation.js';
import { findTask } from './task-repository.js';

/** Deletes the task. Why: mistakes happen; agents only theirs, their own creations or unassigned ones. */
export async function deleteTask(options: { db: Kysely<Database>; actor: Actor; id: string }): Promise<void> {
  const { db, actor, id } = options;
  const existing = await findTask(db, id);
  if (!existing) {
    throw notFound('task', id);
  }
  assertCanModify(actor, { ownerId: existing.assigneeId, createdById: existing.createdById }, 'tasks');
  await db.deleteFrom('tasks').where('id', '=', id).execute();
}
