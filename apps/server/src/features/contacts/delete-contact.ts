/**
 * Deletes a contact with its phones, emails, notes and timeline; tasks about it stay, detached.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { SessionUser } from '../../http/auth-guards.js';
import { assertCanModify } from '../crm-shared/record-access.js';
import { notFound } from '../crm-shared/validation.js';
import { deleteSubjectHistory } from '../timeline/delete-subject-history.js';
import { deleteContactRow } from './contact-repository.js';

/** Deletes the contact. Why: GDPR erasure and clean-up; agents only theirs or unassigned ones. */
export async function deleteContact(options: {
  db: Kysely<Database>;
  user: SessionUser;
  id: string;
}): Promise<void> {
  const { db, user, id } = options;
  const row = await db
    .selectFrom('contacts')
    .select(['id', 'responsible_user_id'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) {
    throw notFound('contact', id);
  }
  assertCanModify(user, { ownerId: row.responsible_user_id }, 'contacts');
  await db.transaction().execute(async (trx) => {
    await deleteSubjectHistory(trx, 'contact', id);
    await deleteContactRow(trx, id);
  });
}
