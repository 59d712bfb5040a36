/**
 * The history import and reconciliation routes (admins only): the latest run of each with its progress and report,
 * start an import of the last N days, "Reconcile now", cancel.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../../platform/errors/errors.js';
import { actorOf, requireAdmin } from '../../../platform/http/auth-guards.js';
import type { CallHistory } from '../history-ports.js';
import {
  cancelHistoryRun,
  DEFAULT_IMPORT_DAYS,
  HISTORY_PAGE_SIZE,
  type HistoryPorts,
  MAX_IMPORT_DAYS,
  readHistoryRuns,
  startHistoryRun,
  viewHistoryRun,
} from '../use-cases/import-call-history.js';
import { reconcileCalls } from '../use-cases/reconcile-calls.js';

export interface HistoryRoutesOptions {
  readonly history: CallHistory;
}

const HistoryRun = z.object({
  id: z.string(),
  kind: z.enum(['import', 'reconcile']),
  status: z.enum(['queued', 'running', 'waiting', 'done', 'failed', 'cancelled']),
  periodStart: z.string(),
  periodEnd: z.string(),
  pages: z.number(),
  rows: z.number(),
  callsChecked: z.number(),
  callsMissing: z.number(),
  callsHealed: z.number(),
  badRows: z.number(),
  problems: z.array(z.string()),
  error: z.string().nullable(),
  resumeAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().nullable(),
  progress: z.number(),
  secondsLeft: z.number().nullable(),
});

const HistoryRuns = z.object({
  import: HistoryRun.nullable(),
  reconcile: HistoryRun.nullable(),
  defaultDays: z.number(),
  maxDays: z.number(),
});

const ImportInput = z.object({
  days: z.number().int().min(1).max(MAX_IMPORT_DAYS).default(DEFAULT_IMPORT_DAYS),
  /** Zadarma's `limit` per request; smaller pages only make the import slower (tests use them). */
  pageSize: z.number().int().min(1).max(HISTORY_PAGE_SIZE).optional(),
});

const params = z.object({ id: z.string().min(1).max(100) });

function portsOf(history: CallHistory): HistoryPorts {
  if (!history.ports) {
    throw new AppError('SB_ERR_UNAVAILABLE', 'this server runs no job queue: a history import cannot run');
  }
  return history.ports;
}

export async function historyRoutes(app: FastifyInstance, options: HistoryRoutesOptions): Promise<void> {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const { history } = options;

  typed.get(
    '/api/telephony/history',
    { preHandler: requireAdmin, schema: { response: { 200: HistoryRuns } } },
    async (request) => {
      const runs = history.ports
        ? await readHistoryRuns(history.ports, actorOf(request))
        : { import: null, reconcile: null };
      return { ...runs, defaultDays: DEFAULT_IMPORT_DAYS, maxDays: MAX_IMPORT_DAYS };
    },
  );

  typed.post(
    '/api/telephony/history/import',
    { onRequest: requireAdmin, schema: { body: ImportInput, response: { 202: HistoryRun } } },
    async (request, reply) => {
      const run = await startHistoryRun(portsOf(history), actorOf(request), {
        kind: 'import',
        days: request.body.days,
        pageSize: request.body.pageSize,
      });
      return reply.code(202).send(viewHistoryRun(run));
    },
  );

  typed.post(
    '/api/telephony/history/reconcile',
    { onRequest: requireAdmin, schema: { response: { 202: HistoryRun } } },
    async (request, reply) => {
      const run = await reconcileCalls(portsOf(history), actorOf(request));
      return reply.code(202).send(viewHistoryRun(run));
    },
  );

  typed.post(
    '/api/telephony/history/:id/cancel',
    { onRequest: requireAdmin, schema: { params, response: { 200: HistoryRun } } },
    async (request) =>
      viewHistoryRun(await cancelHistoryRun(portsOf(history), actorOf(request), request.params.id)),
  );
}
