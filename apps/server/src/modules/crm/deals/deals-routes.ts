/** `/api/deals` (the shared record routes), `GET /api/pipelines` and the admins' `PUT /api/pipelines/:id/stages`. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { DatabaseHandle } from '../../../platform/db/database.js';
import { actorOf, requireAdmin, requireSignedIn } from '../../../platform/http/auth-guards.js';
import { registerRecordRoutes } from '../shared/record-routes.js';
import { createDeal } from './create-deal.js';
import { findDeal, listDeals } from './deal-repository.js';
import { Deal, DealCreate, DealListQuery, DealPatch, Pipeline } from './deal-schemas.js';
import { deleteDeal } from './delete-deal.js';
import { listPipelines } from './pipeline-repository.js';
import { savePipelineStages } from './save-pipeline-stages.js';
import { updateDeal } from './update-deal.js';

/** Registers the deal and pipeline routes. Why: one plugin per area. */
export async function dealRoutes(app: FastifyInstance, options: { database: DatabaseHandle }): Promise<void> {
  const { db } = options.database;
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/pipelines',
    {
      preHandler: requireSignedIn,
      schema: {
        tags: ['deals'],
        summary: 'Pipelines with their ordered stages',
        response: { 200: z.array(Pipeline) },
      },
    },
    async () => listPipelines(db),
  );
  app.withTypeProvider<ZodTypeProvider>().put(
    '/api/pipelines/:id/stages',
    {
      preHandler: requireAdmin,
      schema: {
        tags: ['deals'],
        summary: 'Rename, reorder, add and remove the stages of a pipeline (admins)',
        description:
          'The stages in their new order: with `id` an existing stage, without one a new stage; a stage left out ' +
          'is removed, refused with 409 while deals are in it. At least one open stage.',
        params: z.object({ id: z.string().min(1) }),
        body: z
          .object({
            stages: z
              .array(
                z
                  .object({
                    id: z.string().min(1).optional(),
                    name: z.string().trim().min(1).max(60),
                    kind: z.enum(['open', 'won', 'lost']),
                  })
                  .strict(),
              )
              .min(1)
              .max(30),
          })
          .strict(),
        response: { 200: Pipeline },
      },
    },
    async (request) =>
      savePipelineStages({
        db,
        actor: actorOf(request),
        pipelineId: request.params.id,
        stages: request.body.stages,
      }),
  );
  registerRecordRoutes(app, options.database, {
    path: '/api/deals',
    noun: 'deal',
    subjectType: 'deal',
    record: Deal,
    listQuery: DealListQuery,
    createBody: DealCreate,
    patchBody: DealPatch,
    listDescription:
      'Filters: stageId, pipelineId, responsibleUserId (or `none`), contactId, companyId. ' +
      'Sort: title, amount, expectedCloseDate, createdAt, updatedAt.',
    list: (query, prefixes) => listDeals(db, query, prefixes),
    find: (id) => findDeal(db, id),
    create: (input, ctx) => createDeal({ db, input, actor: ctx.actor }),
    update: (id, patch, ctx) => updateDeal({ db, id, patch, actor: ctx.actor }),
    remove: (id, ctx) => deleteDeal({ db, id, actor: ctx.actor }),
  });
}
