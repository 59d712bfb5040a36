/**
 * The call log (`/api/call-log`): pages of calls with every filter, the CSV export of the filtered set, and a
 * call's own page (its notifications, trace and, when missed, what became of it). Who may read which call is
 * the one rule of `call-visibility.ts`.
 */

import { Readable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { csvLine } from '../../../platform/csv/csv-format.js';
import { actorOf, requireSignedIn } from '../../../platform/http/auth-guards.js';
import type { CallLogFilter } from '../ports.js';
import {
  type CallLogCallPorts,
  type CallLogEntry,
  type CallLogPorts,
  readCallLogCall,
  readCallLogPage,
} from '../use-cases/read-call-log-entries.js';
import { RETURN_WITHIN_MINUTES } from '../use-cases/read-missed-call-fate.js';
import { CallDetail, CallLogFilterQuery, CallLogPageResponse } from './call-log-schemas.js';

export type CallLogRoutesOptions = CallLogPorts & CallLogCallPorts;

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
    ...(query.fate
      ? { fate: { class: query.fate, returnWithinMinutes: query.within ?? RETURN_WITHIN_MINUTES } }
      : {}),
    ...(query.weekday !== undefined && query.hour !== undefined
      ? { localHour: { weekday: query.weekday, hour: query.hour, timeZone: query.timeZone ?? 'UTC' } }
      : {}),
    ...(query.said ? { said: query.said } : {}),
  };
}

/** Registers the call log routes. */
export async function callLogRoutes(app: FastifyInstance, options: CallLogRoutesOptions): Promise<void> {
  const typed = app.withTypeProvider<ZodTypeProvider>();

  typed.get(
    '/api/call-log',
    {
      onRequest: requireSignedIn,
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
      return readCallLogPage(options, actorOf(request), {
        ...toFilter(request.query),
        ...(cursor ? { cursor } : {}),
        limit,
      });
    },
  );

  typed.get(
    '/api/call-log/export.csv',
    {
      onRequest: requireSignedIn,
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
          const page = await readCallLogPage(options, reader, {
            ...filter,
            ...(cursor ? { cursor } : {}),
            limit: EXPORT_CHUNK,
          });
          yield page.items.map((e) => csvLine(csvCells(e))).join('');
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
      onRequest: requireSignedIn,
      schema: {
        tags: ['calls'],
        summary: "A call's page: the call, its notifications, its trace and what became of it if missed",
        params: z.object({ id: z.string().min(1).max(64) }),
        response: { 200: CallDetail },
      },
    },
    (request) => readCallLogCall(options, actorOf(request), request.params.id),
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

function csvCells(e: CallLogEntry) {
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
