/** Creates a lead; its contact's and company's timelines get a `lead` entry. */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { SessionUser } from '../../http/auth-guards.js';
import { newId } from '../../ids.js';
import { resolveOwner } from '../crm-shared/record-access.js';
import { assertReference } from '../crm-shared/validation.js';
import { type ActivityInput, recordActivities } from '../timeline/record-activity.js';
import { findLead, insertLead } from './lead-repository.js';
import type { Lead, LeadCreate } from './lead-schemas.js';

/** Creates a lead and returns it. Why: forms, the API, and later missed calls create leads. */
export async function createLead(options: {
  db: Kysely<Database>;
  user: SessionUser;
  input: LeadCreate;
  now?: Date;
}): Promise<Lead> {
  const { db, user, input } = options;
  const responsibleUserId = resolveOwner(user, input.responsibleUserId, 'responsibleUserId') ?? null;
  await assertReference(db, 'users', responsibleUserId, 'responsibleUserId');
  await assertReference(db, 'contacts', input.contactId, 'contactId');
  await assertReference(db, 'companies', input.companyId, 'companyId');
  const id = newId();
  const now = (options.now ?? new Date()).toISOString();
  const data = {
    ...input,
    contactId: input.contactId ?? null,
    companyId: input.companyId ?? null,
    responsibleUserId,
  };
  const ref = { type: 'lead', id };
  const events: ActivityInput[] = [
    {
      subjectType: 'lead',
      subjectId: id,
      kind: 'created',
      actorId: user.id,
      at: now,
      title: `Lead ${input.title} created`,
    },
  ];
  if (data.contactId) {
    events.push({
      subjectType: 'contact',
      subjectId: data.contactId,
      kind: 'lead',
      actorId: user.id,
      at: now,
      title: `Lead ${input.title}`,
      ref,
    });
  }
  if (data.companyId) {
    events.push({
      subjectType: 'company',
      subjectId: data.companyId,
      kind: 'lead',
      actorId: user.id,
      at: now,
      title: `Lead ${input.title}`,
      ref,
    });
  }
  await db.transaction().execute(async (trx) => {
    await insertLead(trx, id, data, now);
    await recordActivities(trx, events);
  });
  return (await findLead(db, id)) as Lead;
}
