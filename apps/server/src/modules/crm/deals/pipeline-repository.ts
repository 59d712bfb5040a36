/** Pipelines and their stages (seeded with "Sales" by migration 0002). */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../../platform/db/schema.js';
import type { Pipeline } from './deal-schemas.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Every pipeline with its ordered stages. Why: the deal board and forms pick stages from it. */
export async function listPipelines(db: Db): Promise<Pipeline[]> {
  const [pipelines, stages] = await Promise.all([
    db.selectFrom('pipelines').select(['id', 'name']).orderBy('position').orderBy('id').execute(),
    db
      .selectFrom('pipeline_stages')
      .select(['id', 'pipeline_id', 'name', 'position', 'kind'])
      .orderBy('position')
      .execute(),
  ]);
  return pipelines.map((p) => ({
    id: p.id,
    name: p.name,
    stages: stages
      .filter((s) => s.pipeline_id === p.id)
      .map((s) => ({ id: s.id, name: s.name, position: s.position, kind: s.kind })),
  }));
}

/** A stage with its pipeline, or undefined. */
export async function findStage(db: Db, stageId: string) {
  return db
    .selectFrom('pipeline_stages')
    .select(['id', 'pipeline_id', 'name', 'kind'])
    .where('id', '=', stageId)
    .executeTakeFirst();
}

/** The first stage of a pipeline (or of the first pipeline). */
export async function firstStage(db: Db, pipelineId?: string) {
  let query = db
    .selectFrom('pipeline_stages as s')
    .innerJoin('pipelines as p', 'p.id', 's.pipeline_id')
    .select(['s.id', 's.pipeline_id', 's.name', 's.kind']);
  if (pipelineId) {
    query = query.where('s.pipeline_id', '=', pipelineId);
  }
  return query.orderBy('p.position').orderBy('p.id').orderBy('s.position').limit(1).executeTakeFirst();
}
