/**
 * The call log (`/api/call-log`): pages of calls with every filter, the CSV export of the filtered set, and a
 * call's own page (its notifications, trace and, when missed, what became of it). Who may read which call is
 * the one rule of `call-visibility.ts`.
 */

import { Readable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { csvLine } from '../../../platform/csv/csv-format.js';
import type { Database } from '../../../platform/db/schema.js';
import { AppError } from '../../../platform/errors/errors.js';
import { actorOf, requireSignedIn } from '../../../platform/http/auth-guards.js';
import { createKyselyCallLog } from '../adapters/kysely-call-log.js';
import { createKyselyCallReadModel } from '../adapters/kysely-call-read-model.js';
import { createCallRepository } from '../adapters/kysely-call-repository.js';
import { canReadCall } from '../adapters/kysely-call-visibility.js';
import { createKyselyTranscriptRepository } from '../adapters/kysely-recording-repository.js';
import { attributeCall } from '../domain/call-attribution.js';
import { callOutcome, talkSeconds, waitingSeconds } from '../domain/call-outcome.js';
import type { CallLogFilter, CallReadModel, StoredCall } from '../ports.js';
import { toCallViews } from '../use-cases/call-view.js';
import { listCallLog } from '../use-cases/list-call-log.js';
import { RETURN_WITHIN_MINUTES, readMissedCallFate } from '../use-cases/read-missed-call-fate.js';
import { CallDetail, CallLogFilterQuery, CallLogPageResponse } from './call-log-schemas.js';

export interface CallLogRoutesOptions {
  readonly db: Kysely<Database>;
}

/** Rows per page of the export: a few milliseconds of work between two turns of the event loop. */
const EXPORT_CHUNK = 250;

type FilterQuery = z.infer<typeof CallLogFilterQuery>;

/** The filter as the port takes it: instants in the stored ISO form, flags as booleans. */
function toFilter(query: FilterQuery): CallLogFilter & { order: 'newest' | 'oldest' } {
  const flag = (v: 'true' | 'false' | undefined) => (v === undefined ? undefined : v === 'true');
  const hasRecording = flag(query.hasRecording);
  return {
    order: query.order,
    ...(query.from ? { from: new Date(query.from).toISOString() } : {}),
    ...(query.to ? { to: new Date(query.to).toISOString() } : {}),
    ...(query.extension ? { extension: query.extension } : {}),
    ...(query.userId ? { userId: query.userId } : {}),
    ...(query.direction ? { direction: query.direction } : {}),
    ...(query.outcome ? { outcome: query.outcome } : {}),
    ...(query.contactId ? { contactId: query.contactId } : {}),
    ...(query.client ? { clientE164: query.client } : {}),
    ...(hasRecording !== undefined ? { hasRecording } : {}),
    ...(query.notReturned === 'true' ? { notReturned: true } : {}),
    ...(query.said ? { said: query.said } : {}),
  };
}

/** The log's entries for stored calls: the call views plus what the domain derives from each record. */
async function toEntries(readModel: CallReadModel, calls: readonly StoredCall[]) {
  const views = await toCallViews(readModel, calls);
  return views.map((view, i) => {
    const call = calls[i] as StoredCall;
    return {
      ...view,
      outcome: callOutcome(call),
      attribution: attributeCall(call),
      waitSeconds: waitingSeconds(call),
      talkSeconds: talkSeconds(call),
      legCount: call.events.length,
    };
  });
}

/** Registers the call log routes. */
export async function callLogRoutes(app: FastifyInstance, options: CallLogRoutesOptions): Promise<void> {
  const { db } = options;
  const ports = { calls: createKyselyCallLog(db), transcripts: createKyselyTranscriptRepository(db) };
  const repository = createCallRepository(db);
  const readModel = createKyselyCallReadModel(db);
  const typed = app.withTypeProvider<ZodTypeProvider>();

  typed.get(
    '/api/call-log',
    {
      preHandler: requireSignedIn,
      schema: {
        tags: ['calls'],
        summary: 'The call log: calls the user may read, filtered, newest or oldest first, keyset-paged',
        querystring: CallLogFilterQuery.extend({
          cursor: z.string().max(200).optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
        response: { 200: CallLogPageResponse },
      },
    },
    async (request) => {
      const { cursor, limit } = request.query;
      const page = await listCallLog(ports, actorOf(request), {
        ...toFilter(request.query),
        ...(cursor ? { cursor } : {}),
        limit,
      });
      return { items: await toEntries(readModel, page.items), nextCursor: page.nextCursor };
    },
  );

  typed.get(
    '/api/call-log/export.csv',
    {
      preHandler: requireSignedIn,
      schema: {
        tags: ['calls', 'csv'],
        summary: 'The filtered call log as CSV (every matching call, not one page)',
        querystring: CallLogFilterQuery,
      },
    },
    async (request, reply) => {
      const reader = actorOf(request);
      const filter = toFilter(request.query);
      async function* rows() {
        yield `\uFEFF${csvLine(CSV_HEADER)}`;
        let cursor: string | null = null;
        for (;;) {
          const page = await listCallLog(ports, reader, {
            ...filter,
            ...(cursor ? { cursor } : {}),
            limit: EXPORT_CHUNK,
          });
          const entries = await toEntries(readModel, page.items);
          yield entries.map((e) => csvLine(csvCells(e))).join('');
          if (!page.nextCursor) {
            return;
          }
          cursor = page.nextCursor;
          await nextTurn();
        }
      }
      const date = new Date().toISOString().slice(0, 10);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="calls-${date}.csv"`)
        .header('cache-control', 'no-store')
        .send(Readable.from(rows()));
    },
  );

  typed.get(
    '/api/call-log/:id',
    {
      preHandler: requireSignedIn,
      schema: {
        tags: ['calls'],
        summary: "A call's page: the call, its notifications, its trace and what became of it if missed",
        params: z.object({ id: z.string().min(1).max(64) }),
        response: { 200: CallDetail },
      },
    },
    async (request) => {
      const { id } = request.params;
      const call = await repository.getById(id);
      if (!call || !(await canReadCall(db, actorOf(request), id))) {
        throw new AppError('SB_ERR_NOT_FOUND', `no call ${id}`);
      }
      const [[entry], trace, missed] = await Promise.all([
        toEntries(readModel, [call]),
        ports.calls.trace(id),
        readMissedCallFate(ports, call),
      ]);
      if (!entry) {
        throw new AppError('SB_ERR_NOT_FOUND', `no call ${id}`);
      }
      return {
        call: entry,
        legs: [...call.events]
          .sort((a, b) => (a.receivedAt < b.receivedAt ? -1 : a.receivedAt > b.receivedAt ? 1 : 0))
          .map((e) => ({
            kind: e.kind,
            receivedAt: e.receivedAt,
            extension: 'extension' in e ? e.extension : null,
            disposition: 'disposition' in e ? e.disposition : null,
            duration: 'duration' in e ? e.duration : null,
          })),
        ringingExtensions: [...call.ringingExtensions],
        trace,
        missed,
        returnWithinMinutes: RETURN_WITHIN_MINUTES,
      };
    },
  );
}

const CSV_HEADER = [
  'started_at_utc',
  'direction',
  'client_number',
  'contact',
  'agent',
  'extension',
  'attribution_rule',
  'outcome',
  'disposition',
  'wait_seconds',
  'talk_seconds',
  'recorded',
  'pbx_call_id',
] as const;

function csvCells(e: Awaited<ReturnType<typeof toEntries>>[number]) {
  return [
    e.startedAt,
    e.direction,
    e.clientE164 ?? e.clientNumber,
    e.contact?.displayName ?? null,
    e.agent?.name ?? null,
    e.attribution.extension,
    e.attribution.rule,
    e.outcome,
    e.disposition,
    e.waitSeconds,
    e.talkSeconds,
    e.isRecorded,
    e.pbxCallId,
  ];
}
