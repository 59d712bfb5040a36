/** Deletes a task. */
import type { Kysely } from 'kysely';
import type { Database } from '../../../platform/db/schema.js';
import type { SessionUser } from '../../../platform/http/auth-guards.js';
import { assertCanModify } from '../shared/record-access.js';
import { notFound } from '../shared/validation.js';
import { findTask } from './task-repository.js';

/** Deletes the task. Why: mistakes happen; agents only theirs, their own creations or unassigned ones. */
export async function deleteTask(options: {
  db: Kysely<Database>;
  user: SessionUser;
  id: string;
}): Promise<void> {
  const { db, user, id } = options;
  const existing = await findTask(db, id);
  if (!existing) {
    throw notFound('task', id);
  }
  assertCanModify(user, { ownerId: existing.assigneeId, createdById: existing.createdById }, 'tasks');
  await db.deleteFrom('tasks').where('id', '=', id).execute();
}
