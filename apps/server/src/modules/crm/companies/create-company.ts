/** Creates a company (search index, timeline entry). */
import type { Kysely } from 'kysely';
import { type Actor, actorUserId, refuseApiClient } from '../../../platform/auth/actor.js';
import type { Database } from '../../../platform/db/schema.js';
import { newId } from '../../../platform/ids.js';
import { resolveResponsible } from '../shared/owned-record.js';
import { recordActivities } from '../timeline/record-activity.js';
import { findCompany, insertCompany } from './company-repository.js';
import type { Company, CompanyCreate } from './company-schemas.js';

/** Creates a company and returns it. Why: the form, the API and imports share this path. */
export async function createCompany(options: {
  db: Kysely<Database>;
  actor: Actor;
  input: CompanyCreate;
  defaultCountry: string;
  now?: Date;
}): Promise<Company> {
  const { db, actor, input, defaultCountry } = options;
  refuseApiClient(actor, 'create companies');
  const responsibleUserId = await resolveResponsible(db, actor, input.responsibleUserId);
  const id = newId();
  const now = (options.now ?? new Date()).toISOString();
  await db.transaction().execute(async (trx) => {
    await insertCompany(trx, id, { ...input, responsibleUserId }, now, defaultCountry);
    await recordActivities(trx, [
      {
        subjectType: 'company',
        subjectId: id,
        kind: 'created',
        actorId: actorUserId(actor),
        at: now,
        title: `Company ${input.name} created`,
        event: { type: 'company.created', params: { name: input.name } },
      },
    ]);
  });
  return (await findCompany(db, id)) as Company;
}
