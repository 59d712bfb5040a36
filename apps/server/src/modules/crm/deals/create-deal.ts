/** Creates a deal (first stage of the pipeline by default, company currency by default). */
import type { Kysely } from 'kysely';
import { type Actor, actorUserId, refuseApiClient } from '../../../platform/auth/actor.js';
import { inTransaction } from '../../../platform/db/in-transaction.js';
import type { Database } from '../../../platform/db/schema.js';
import { newId } from '../../../platform/ids.js';
import { readSettings } from '../settings/company-settings-store.js';
import { assertLinkedRecords, linkedRecordEvents } from '../shared/linked-records.js';
import { resolveResponsible } from '../shared/owned-record.js';
import { invalidField } from '../shared/validation.js';
import { recordActivities } from '../timeline/record-activity.js';
import { type DealData, findDeal, insertDeal } from './deal-repository.js';
import type { Deal, DealCreate } from './deal-schemas.js';
import { findStage, firstStage } from './pipeline-repository.js';

/** The stage and pipeline a deal lands in, checked to belong together. */
export async function resolveStage(
  db: Kysely<Database>,
  pipelineId: string | undefined,
  stageId: string | undefined,
): Promise<{ pipelineId: string; stageId: string; stageName: string }> {
  if (stageId) {
    const stage = await findStage(db, stageId);
    if (!stage) {
      invalidField('stageId', `no stage with id ${stageId}`, 'reference_missing');
    }
    if (pipelineId && stage.pipeline_id !== pipelineId) {
      invalidField(
        'stageId',
        `stage ${stageId} is not a stage of pipeline ${pipelineId}`,
        'stage_not_in_pipeline',
      );
    }
    return { pipelineId: stage.pipeline_id, stageId: stage.id, stageName: stage.name };
  }
  const stage = await firstStage(db, pipelineId);
  if (!stage) {
    invalidField(
      'pipelineId',
      pipelineId ? `no pipeline with id ${pipelineId}` : 'no pipeline exists',
      'reference_missing',
    );
  }
  return { pipelineId: stage.pipeline_id, stageId: stage.id, stageName: stage.name };
}

/** Creates a deal and returns it. Why: deals are how the CRM forecasts revenue. */
export async function createDeal(options: {
  db: Kysely<Database>;
  actor: Actor;
  input: DealCreate;
  now?: Date;
}): Promise<Deal> {
  const { db, actor, input } = options;
  refuseApiClient(actor, 'create deals');
  const responsibleUserId = await resolveResponsible(db, actor, input.responsibleUserId);
  await assertLinkedRecords(db, input);
  const stage = await resolveStage(db, input.pipelineId, input.stageId);
  const data: DealData = {
    title: input.title,
    amount: input.amount,
    currency: input.currency ?? (await readSettings(db)).defaultCurrency,
    pipelineId: stage.pipelineId,
    stageId: stage.stageId,
    contactId: input.contactId ?? null,
    companyId: input.companyId ?? null,
    responsibleUserId,
    expectedCloseDate: input.expectedCloseDate ?? null,
  };
  const id = newId();
  const now = (options.now ?? new Date()).toISOString();
  const ref = { type: 'deal', id };
  await inTransaction(db, async (trx) => {
    await insertDeal(trx, id, data, now);
    await recordActivities(trx, [
      {
        subjectType: 'deal',
        subjectId: id,
        kind: 'created',
        actorId: actorUserId(actor),
        at: now,
        title: `Deal ${data.title} created in ${stage.stageName}`,
        event: { type: 'deal.created', params: { title: data.title, stage: stage.stageName } },
      },
      ...linkedRecordEvents(data, 'deal', {
        actorId: actorUserId(actor),
        at: now,
        title: `Deal ${data.title} (${stage.stageName})`,
        event: { type: 'deal.linked', params: { title: data.title, stage: stage.stageName } },
        ref,
      }),
    ]);
  });
  return (await findDeal(db, id)) as Deal;
}
