/** Changes a deal; a stage move is shown on the deal's and its contact's/company's timelines. */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { SessionUser } from '../../http/auth-guards.js';
import { assertCanModify, resolveOwner } from '../crm-shared/record-access.js';
import { assertReference, notFound } from '../crm-shared/validation.js';
import { type ActivityInput, recordActivities } from '../timeline/record-activity.js';
import { linkedDealEvents, resolveStage } from './create-deal.js';
import { type DealData, findDeal, updateDealRow } from './deal-repository.js';
import type { Deal, DealPatch } from './deal-schemas.js';

/** Applies a patch and returns the deal. Why: the deal board moves deals between stages. */
export async function updateDeal(options: {
  db: Kysely<Database>;
  user: SessionUser;
  id: string;
  patch: DealPatch;
  now?: Date;
}): Promise<Deal> {
  const { db, user, id, patch } = options;
  const existing = await findDeal(db, id);
  if (!existing) {
    throw notFound('deal', id);
  }
  assertCanModify(user, { ownerId: existing.responsibleUserId }, 'deals');
  const owner = resolveOwner(user, patch.responsibleUserId, 'responsibleUserId', existing.responsibleUserId);
  await assertReference(db, 'users', owner, 'responsibleUserId');
  await assertReference(db, 'contacts', patch.contactId, 'contactId');
  await assertReference(db, 'companies', patch.companyId, 'companyId');
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
    responsibleUserId: owner === undefined ? existing.responsibleUserId : owner,
    expectedCloseDate:
      patch.expectedCloseDate === undefined ? existing.expectedCloseDate : patch.expectedCloseDate,
  };
  const changed = (Object.keys(data) as (keyof DealData)[]).filter((k) => data[k] !== existing[k]);
  if (changed.length === 0) {
    return existing;
  }
  const now = (options.now ?? new Date()).toISOString();
  const events: ActivityInput[] = [];
  if (stage && data.stageId !== existing.stageId) {
    const title = `Deal ${data.title} moved to ${stage.stageName}`;
    events.push({
      subjectType: 'deal',
      subjectId: id,
      kind: 'updated',
      actorId: user.id,
      at: now,
      title,
      payload: { changed },
    });
    events.push(...linkedDealEvents(data, { actorId: user.id, at: now, title, ref: { type: 'deal', id } }));
  } else {
    events.push({
      subjectType: 'deal',
      subjectId: id,
      kind: 'updated',
      actorId: user.id,
      at: now,
      title: `Changed ${changed.join(', ')}`,
      payload: { changed },
    });
  }
  await db.transaction().execute(async (trx) => {
    await updateDealRow(trx, id, data, now);
    await recordActivities(trx, events);
  });
  return (await findDeal(db, id)) as Deal;
}
