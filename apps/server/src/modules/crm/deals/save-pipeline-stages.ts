/**
 * An administrator edits a pipeline's stages: renames, reorders, adds and removes them in one save. A stage
 * that still holds deals cannot be removed (the deals would lose their place on the board): move them first.
 */
import type { Kysely } from 'kysely';
import { type Actor, isAdmin } from '../../../platform/auth/actor.js';
import { inTransaction } from '../../../platform/db/in-transaction.js';
import type { Database } from '../../../platform/db/schema.js';
import { AppError } from '../../../platform/errors/errors.js';
import { newId } from '../../../platform/ids.js';
import { invalidField, notFound } from '../shared/validation.js';
import type { Pipeline } from './deal-schemas.js';
import { listPipelines } from './pipeline-repository.js';

export interface StageInput {
  /** An existing stage of this pipeline; absent for a new one. */
  readonly id?: string | undefined;
  readonly name: string;
  readonly kind: 'open' | 'won' | 'lost';
}

/** Saves the stages in the given order and returns the pipeline. Admins only. */
export async function savePipelineStages(options: {
  readonly db: Kysely<Database>;
  readonly actor: Actor;
  readonly pipelineId: string;
  readonly stages: readonly StageInput[];
}): Promise<Pipeline> {
  const { db, actor, pipelineId, stages } = options;
  if (!isAdmin(actor)) {
    throw new AppError('SB_ERR_FORBIDDEN', 'only administrators edit pipeline stages');
  }
  const pipeline = await db
    .selectFrom('pipelines')
    .select('id')
    .where('id', '=', pipelineId)
    .executeTakeFirst();
  if (!pipeline) {
    throw notFound('pipeline', pipelineId);
  }
  if (!stages.some((s) => s.kind === 'open')) {
    invalidField('stages', 'a pipeline needs at least one open stage', 'stage_open_required');
  }
  const current = await db
    .selectFrom('pipeline_stages')
    .select(['id'])
    .where('pipeline_id', '=', pipelineId)
    .execute();
  const currentIds = new Set(current.map((s) => s.id));
  stages.forEach((stage, index) => {
    if (stage.id !== undefined && !currentIds.has(stage.id)) {
      invalidField(`stages.${index}.id`, `no stage ${stage.id} in this pipeline`, 'reference_missing');
    }
  });
  const kept = new Set(stages.flatMap((s) => (s.id ? [s.id] : [])));
  const removed = [...currentIds].filter((id) => !kept.has(id));
  return inTransaction(db, async (trx) => {
    if (removed.length > 0) {
      const used = await trx
        .selectFrom('deals')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('stage_id', 'in', removed)
        .executeTakeFirstOrThrow();
      if (Number(used.n) > 0) {
        throw new AppError(
          'SB_ERR_CONFLICT',
          `${used.n} deal(s) are still in a stage being removed; move them to another stage first`,
        );
      }
      await trx.deleteFrom('pipeline_stages').where('id', 'in', removed).execute();
    }
    for (const [position, stage] of stages.entries()) {
      if (stage.id) {
        await trx
          .updateTable('pipeline_stages')
          .set({ name: stage.name, kind: stage.kind, position })
          .where('id', '=', stage.id)
          .execute();
      } else {
        await trx
          .insertInto('pipeline_stages')
          .values({ id: newId(), pipeline_id: pipelineId, name: stage.name, kind: stage.kind, position })
          .execute();
      }
    }
    return (await listPipelines(trx)).find((p) => p.id === pipelineId) as Pipeline;
  });
}
