/** Deletes a deal with its notes and timeline. */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { SessionUser } from '../../http/auth-guards.js';
import { assertCanModify } from '../crm-shared/record-access.js';
import { notFound } from '../crm-shared/validation.js';
import { deleteSearchTokens } from '../search/search-index.js';
import { deleteSubjectHistory } from '../timeline/delete-subject-history.js';

/** Deletes the deal. Why: clean-up; agents only theirs or unassigned ones. */
export async function deleteDeal(options: {
  db: Kysely<Database>;
  user: SessionUser;
  id: string;
}): Promise<void> {
  const { db, user, id } = options;
  const row = await db
    .selectFrom('deals')
    .select(['responsible_user_id'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) {
    throw notFound('deal', id);
  }
  assertCanModify(user, { ownerId: row.responsible_user_id }, 'deals');
  await db.transaction().execute(async (trx) => {
    await deleteSubjectHistory(trx, 'deal', id);
    await deleteSearchTokens(trx, 'deal', id);
    await trx.deleteFrom('deals').where('id', '=', id).execute();
  });
}
