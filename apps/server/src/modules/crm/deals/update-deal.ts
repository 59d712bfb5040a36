/** Changes a deal; a stage move is shown on the deal's and its contact's/company's timelines. */
import type { Kysely } from 'kysely';
import { type Actor, actorUserId } from '../../../platform/auth/actor.js';
import type { Database } from '../../../platform/db/schema.js';
import { linkedRecordEvents } from '../shared/linked-records.js';
import {
  changedFields,
  checkLinkedRecordPatch,
  updatedActivity,
  writeWithActivities,
} from '../shared/owned-record.js';
import type { ActivityInput } from '../timeline/record-activity.js';
import { resolveStage } from './create-deal.js';
import { type DealData, findDeal, updateDealRow } from './deal-repository.js';
import type { Deal, DealPatch } from './deal-schemas.js';

/** Applies a patch and returns the deal. Why: the deal board moves deals between stages. */
export async function updateDeal(options: {
  db: Kysely<Database>;
  actor: Actor;
  id: string;
  patch: DealPatch;
  now?: Date;
}): Promise<Deal> {
  const { db, actor, id, patch } = options;
  const { existing, responsibleUserId } = await checkLinkedRecordPatch({
    db,
    actor,
    entity: 'deal',
    id,
    record: await findDeal(db, id),
    patch,
  });
  const movesStage = patch.stageId !== undefined || patch.pipelineId !== undefined;
  const stage = movesStage
    ? await resolveStage(
        db,
        patch.pipelineId ?? (patch.stageId ? undefined : existing.pipelineId),
        patch.stageId,
      )
    : undefined;
  const data: DealData = {
    title: patch.title ?? existing.title,
    amount: patch.amount ?? existing.amount,
    currency: patch.currency ?? existing.currency,
    pipelineId: stage?.pipelineId ?? existing.pipelineId,
    stageId: stage?.stageId ?? existing.stageId,
    contactId: patch.contactId === undefined ? existing.contactId : patch.contactId,
    companyId: patch.companyId === undefined ? existing.companyId : patch.companyId,
    responsibleUserId,
    expectedCloseDate:
      patch.expectedCloseDate === undefined ? existing.expectedCloseDate : patch.expectedCloseDate,
  };
  const changed = changedFields(data, existing);
  if (changed.length === 0) {
    return existing;
  }
  const now = (options.now ?? new Date()).toISOString();
  const events: ActivityInput[] = [];
  if (stage && data.stageId !== existing.stageId) {
    const title = `Deal ${data.title} moved to ${stage.stageName}`;
    // Structured too, so the timeline says it in the reader's language (web: components/timeline-title.ts).
    const event = { type: 'deal.stageChanged', params: { title: data.title, stage: stage.stageName } };
    events.push({
      subjectType: 'deal',
      subjectId: id,
      kind: 'updated',
      actorId: actorUserId(actor),
      at: now,
      title,
      event,
      payload: { changed },
    });
    events.push(
      ...linkedRecordEvents(data, 'deal', {
        actorId: actorUserId(actor),
        at: now,
        title,
        event,
        ref: { type: 'deal', id },
      }),
    );
  } else {
    events.push(updatedActivity('deal', id, actorUserId(actor), now, changed));
  }
  await writeWithActivities(db, (trx) => updateDealRow(trx, id, data, now), events);
  return (await findDeal(db, id)) as Deal;
}
