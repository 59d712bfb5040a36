/** Changes a company; a new name is re-indexed on its contacts too (they are found by company name). */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { SessionUser } from '../../http/auth-guards.js';
import { reindexContactsOfCompany } from '../contacts/contact-repository.js';
import { assertCanModify, resolveOwner } from '../crm-shared/record-access.js';
import { assertReference, notFound } from '../crm-shared/validation.js';
import { recordActivities } from '../timeline/record-activity.js';
import { type CompanyData, findCompany, updateCompanyRow } from './company-repository.js';
import type { Company, CompanyPatch } from './company-schemas.js';

/** Applies a patch and returns the company. Why: the edit form. */
export async function updateCompany(options: {
  db: Kysely<Database>;
  user: SessionUser;
  id: string;
  patch: CompanyPatch;
  defaultCountry: string;
  now?: Date;
}): Promise<Company> {
  const { db, user, id, patch, defaultCountry } = options;
  const existing = await findCompany(db, id);
  if (!existing) {
    throw notFound('company', id);
  }
  assertCanModify(user, { ownerId: existing.responsibleUserId }, 'companies');
  const owner = resolveOwner(user, patch.responsibleUserId, 'responsibleUserId', existing.responsibleUserId);
  await assertReference(db, 'users', owner, 'responsibleUserId');
  const data: CompanyData = {
    name: patch.name ?? existing.name,
    website: patch.website ?? existing.website,
    phone: patch.phone ?? existing.phone,
    address: patch.address ?? existing.address,
    notes: patch.notes ?? existing.notes,
    responsibleUserId: owner === undefined ? existing.responsibleUserId : owner,
  };
  const changed = (Object.keys(data) as (keyof CompanyData)[]).filter((k) => data[k] !== existing[k]);
  if (changed.length === 0) {
    return existing;
  }
  const now = (options.now ?? new Date()).toISOString();
  await db.transaction().execute(async (trx) => {
    await updateCompanyRow(trx, id, data, now, defaultCountry);
    if (data.name !== existing.name) {
      await reindexContactsOfCompany(trx, id, defaultCountry);
    }
    await recordActivities(trx, [
      {
        subjectType: 'company',
        subjectId: id,
        kind: 'updated',
        actorId: user.id,
        at: now,
        title: `Changed ${changed.join(', ')}`,
        payload: { changed },
      },
    ]);
  });
  return (await findCompany(db, id)) as Company;
}
