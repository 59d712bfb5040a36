/** Creates a lead; its contact's and company's timelines get a `lead` entry. */
import type { Kysely } from 'kysely';
import { type Actor, actorUserId, refuseApiClient } from '../../../platform/auth/actor.js';
import type { Database } from '../../../platform/db/schema.js';
import { newId } from '../../../platform/ids.js';
import { assertLinkedRecords, linkedRecordEvents } from '../shared/linked-records.js';
import { resolveResponsible } from '../shared/owned-record.js';
import { type ActivityInput, recordActivities } from '../timeline/record-activity.js';
import { findLead, insertLead } from './lead-repository.js';
import type { Lead, LeadCreate } from './lead-schemas.js';

/** Creates a lead and returns it. Why: forms, the API, and later missed calls create leads. */
export async function createLead(options: {
  db: Kysely<Database>;
  actor: Actor;
  input: LeadCreate;
  now?: Date;
}): Promise<Lead> {
  const { db, actor, input } = options;
  refuseApiClient(actor, 'create leads');
  const responsibleUserId = await resolveResponsible(db, actor, input.responsibleUserId);
  await assertLinkedRecords(db, input);
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
      actorId: actorUserId(actor),
      at: now,
      title: `Lead ${input.title} created`,
      event: { type: 'lead.created', params: { title: input.title } },
    },
  ];
  events.push(
    ...linkedRecordEvents(data, 'lead', {
      actorId: actorUserId(actor),
      at: now,
      title: `Lead ${input.title}`,
      event: { type: 'lead.linked', params: { title: input.title } },
      ref,
    }),
  );
  await db.transaction().execute(async (trx) => {
    await insertLead(trx, id, data, now);
    await recordActivities(trx, events);
  });
  return (await findLead(db, id)) as Lead;
}
