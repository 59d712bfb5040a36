/** Changes a lead; a status change is also shown on its contact's timeline. */
import type { Kysely } from 'kysely';
import { type Actor, actorUserId } from '../../../platform/auth/actor.js';
import type { Database } from '../../../platform/db/schema.js';
import {
  changedFields,
  checkLinkedRecordPatch,
  updatedActivity,
  writeWithActivities,
} from '../shared/owned-record.js';
import type { ActivityInput } from '../timeline/record-activity.js';
import { findLead, type LeadData, updateLeadRow } from './lead-repository.js';
import type { Lead, LeadPatch } from './lead-schemas.js';

/** Applies a patch and returns the lead. Why: qualification moves leads through their statuses. */
export async function updateLead(options: {
  db: Kysely<Database>;
  actor: Actor;
  id: string;
  patch: LeadPatch;
  now?: Date;
}): Promise<Lead> {
  const { db, actor, id, patch } = options;
  const { existing, responsibleUserId } = await checkLinkedRecordPatch({
    db,
    actor,
    entity: 'lead',
    id,
    record: await findLead(db, id),
    patch,
  });
  const data: LeadData = {
    title: patch.title ?? existing.title,
    contactId: patch.contactId === undefined ? existing.contactId : patch.contactId,
    companyId: patch.companyId === undefined ? existing.companyId : patch.companyId,
    source: patch.source ?? existing.source,
    status: patch.status ?? existing.status,
    responsibleUserId,
    notes: patch.notes ?? existing.notes,
  };
  const changed = changedFields(data, existing);
  if (changed.length === 0) {
    return existing;
  }
  const now = (options.now ?? new Date()).toISOString();
  const events: ActivityInput[] = [updatedActivity('lead', id, actorUserId(actor), now, changed)];
  if (data.status !== existing.status && data.contactId) {
    events.push({
      subjectType: 'contact',
      subjectId: data.contactId,
      kind: 'lead',
      actorId: actorUserId(actor),
      at: now,
      title: `Lead ${data.title} is now ${data.status}`,
      event: { type: 'lead.status', params: { title: data.title, status: data.status } },
      ref: { type: 'lead', id },
    });
  }
  await writeWithActivities(db, (trx) => updateLeadRow(trx, id, data, now), events);
  return (await findLead(db, id)) as Lead;
}
