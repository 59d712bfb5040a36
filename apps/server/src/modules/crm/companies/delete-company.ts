/** Deletes a company; its contacts, leads and deals stay, without company. */
import type { Kysely } from 'kysely';
import type { Actor } from '../../../platform/auth/actor.js';
import type { Database } from '../../../platform/db/schema.js';
import { reindexContacts } from '../contacts/contact-repository.js';
import { deleteSearchTokens } from '../search/search-index.js';
import { assertChangeableRow } from '../shared/owned-record.js';
import { deleteSubjectHistory } from '../timeline/delete-subject-history.js';

/** Deletes the company. Why: clean-up; agents only theirs or unassigned ones. */
export async function deleteCompany(options: {
  db: Kysely<Database>;
  actor: Actor;
  id: string;
  defaultCountry: string;
}): Promise<void> {
  const { db, actor, id, defaultCountry } = options;
  await assertChangeableRow(db, actor, 'company', id);
  await db.transaction().execute(async (trx) => {
    const contacts = await trx.selectFrom('contacts').select('id').where('company_id', '=', id).execute();
    await deleteSubjectHistory(trx, 'company', id);
    await deleteSearchTokens(trx, 'company', id);
    await trx.deleteFrom('companies').where('id', '=', id).execute();
    await reindexContacts(
      trx,
      contacts.map((c) => c.id),
      defaultCountry,
    );
  });
}
