/**
 * Removes what hangs off a deleted record: its timeline and notes; tasks about it are kept but detached.
 */
import type { Kysely, Transaction } from 'kysely';
import type { SubjectType } from '../../../platform/db/schema/crm.js';
import type { Database } from '../../../platform/db/schema.js';

/** Deletes a record's timeline and notes and detaches its tasks. Why: no orphan rows after a delete. */
export async function deleteSubjectHistory(
  db: Kysely<Database> | Transaction<Database>,
  subjectType: SubjectType,
  subjectId: string,
): Promise<void> {
  await db
    .deleteFrom('activities')
    .where('subject_type', '=', subjectType)
    .where('subject_id', '=', subjectId)
    .execute();
  await db
    .deleteFrom('notes')
    .where('subject_type', '=', subjectType)
    .where('subject_id', '=', subjectId)
    .execute();
  await db
    .updateTable('tasks')
    .set({ subject_type: null, subject_id: null })
    .where('subject_type', '=', subjectType)
    .where('subject_id', '=', subjectId)
    .execute();
}
