/** Changes a company; a new name is re-indexed on its contacts too (they are found by company name). */
import type { Kysely } from 'kysely';
import { type Actor, actorUserId } from '../../../platform/auth/actor.js';
import type { Database } from '../../../platform/db/schema.js';
import { reindexContactsOfCompany } from '../contacts/contact-repository.js';
import {
  changeableRecord,
  changedFields,
  resolveResponsible,
  updatedActivity,
} from '../shared/owned-record.js';
import { recordActivities } from '../timeline/record-activity.js';
import { type CompanyData, findCompany, updateCompanyRow } from './company-repository.js';
import type { Company, CompanyPatch } from './company-schemas.js';

/** Applies a patch and returns the company. Why: the edit form. */
export async function updateCompany(options: {
  db: Kysely<Database>;
  actor: Actor;
  id: string;
  patch: CompanyPatch;
  defaultCountry: string;
  now?: Date;
}): Promise<Company> {
  const { db, actor, id, patch, defaultCountry } = options;
  const existing = changeableRecord(actor, 'company', id, await findCompany(db, id));
  const responsibleUserId = await resolveResponsible(
    db,
    actor,
    patch.responsibleUserId,
    existing.responsibleUserId,
  );
  const data: CompanyData = {
    name: patch.name ?? existing.name,
    website: patch.website ?? existing.website,
    phone: patch.phone ?? existing.phone,
    address: patch.address ?? existing.address,
    notes: patch.notes ?? existing.notes,
    responsibleUserId,
  };
  const changed = changedFields(data, existing);
  if (changed.length === 0) {
    return existing;
  }
  const now = (options.now ?? new Date()).toISOString();
  await db.transaction().execute(async (trx) => {
    await updateCompanyRow(trx, id, data, now, defaultCountry);
    if (data.name !== existing.name) {
      await reindexContactsOfCompany(trx, id, defaultCountry);
    }
    await recordActivities(trx, [updatedActivity('company', id, actorUserId(actor), now, changed)]);
  });
  return (await findCompany(db, id)) as Company;
}
