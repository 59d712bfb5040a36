/**
 * Admin view of the job queue's dead letters: list them with their last error, queue one again, or discard it.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../errors/errors.js';
import { requireAdmin } from '../http/auth-guards.js';
import type { JobQueueDriver, JobRecord } from './job-queue.js';

const PAYLOAD_PREVIEW_CHARS = 500;

const JobId = z.object({
  id: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i),
});

const DeadJob = z.object({
  id: z.string(),
  name: z.string(),
  /** The payload as JSON, cut at 500 characters. */
  payload: z.string(),
  attempts: z.number().int(),
  maxAttempts: z.number().int(),
  lastError: z.string().nullable(),
  idempotencyKey: z.string().nullable(),
  createdAt: z.string(),
});

const DeadJobList = z.object({
  driver: z.enum(['inline', 'sqlite', 'pg-boss']),
  items: z.array(DeadJob),
});

function toDeadJob(job: JobRecord): z.infer<typeof DeadJob> {
  const payload = JSON.stringify(job.payload);
  return {
    id: job.id,
    name: job.name,
    payload: payload.length > PAYLOAD_PREVIEW_CHARS ? `${payload.slice(0, PAYLOAD_PREVIEW_CHARS)}…` : payload,
    attempts: job.attempts,
    maxAttempts: job.maxAttempts,
    lastError: job.lastError,
    idempotencyKey: job.idempotencyKey,
    createdAt: job.createdAt,
  };
}

export interface JobsRoutesOptions {
  /** The server's queue; null when this app runs none (an app built without a PostgreSQL queue): 503. */
  readonly jobs: JobQueueDriver | null;
}

/** Registers the dead-letter routes. Why: a job that failed every attempt must be visible and fixable by admins. */
export async function jobsRoutes(app: FastifyInstance, options: JobsRoutesOptions): Promise<void> {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const queue = (): JobQueueDriver => {
    if (!options.jobs) {
      throw new AppError('SB_ERR_UNAVAILABLE', 'no job queue runs in this server');
    }
    return options.jobs;
  };

  typed.get(
    '/api/jobs/dead',
    {
      preHandler: requireAdmin,
      schema: {
        summary: 'Dead jobs (failed every attempt), most recent first',
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(200).default(100) }),
        response: { 200: DeadJobList },
      },
    },
    async (request) => {
      const jobs = queue();
      const dead = await jobs.listDead({ limit: request.query.limit });
      return { driver: jobs.kind, items: dead.map(toDeadJob) };
    },
  );

  typed.post(
    '/api/jobs/:id/retry',
    {
      preHandler: requireAdmin,
      schema: { summary: 'Queue a dead job again for one more attempt', params: JobId },
    },
    async (request, reply) => {
      if (!(await queue().retryDead(request.params.id))) {
        throw new AppError('SB_ERR_NOT_FOUND', `no dead job ${request.params.id}`);
      }
      return reply.code(204).send();
    },
  );

  typed.delete(
    '/api/jobs/:id',
    { preHandler: requireAdmin, schema: { summary: 'Discard a dead job', params: JobId } },
    async (request, reply) => {
      if (!(await queue().discardDead(request.params.id))) {
        throw new AppError('SB_ERR_NOT_FOUND', `no dead job ${request.params.id}`);
      }
      return reply.code(204).send();
    },
  );
}
