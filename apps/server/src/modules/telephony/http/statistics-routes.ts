/**
 * `GET /api/statistics`: the call statistics of a period (use-cases/read-call-statistics.ts), per agent and
 * for the team, in the reader's time zone. Agents see their own figures; admins everybody's.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, requireSignedIn } from '../../../platform/http/auth-guards.js';
import { isTimeZone } from '../use-cases/call-counts-by-day.js';
import {
  type CallStatisticsReportPorts,
  readCallStatisticsReport,
} from '../use-cases/read-call-statistics-report.js';
import { CallOutcomeSchema, MissedCallClassSchema } from './call-log-schemas.js';

const count = z.number().int();
const Figures = z.object({
  inbound: count,
  outbound: count,
  answered: count,
  outboundAnswered: count,
  missed: count,
  missedByReason: z.object({
    no_answer: count,
    busy: count,
    cancelled: count,
    ivr_hangup: count,
    blacklisted: count,
  }),
  failed: count,
  answerRate: z.number().nullable(),
  averageSecondsToAnswer: z.number().nullable(),
  talkSecondsTotal: z.number(),
  talkSecondsAverage: z.number().nullable(),
  missedClassified: z.record(MissedCallClassSchema, count),
  averageSecondsToCallBack: z.number().nullable(),
});

const CallStatisticsResponse = z.object({
  from: z.string(),
  to: z.string(),
  timeZone: z.string(),
  previousFrom: z.string(),
  returnWithinMinutes: z.number(),
  team: Figures,
  agents: z.array(
    z.object({
      extension: z.string(),
      user: z.object({ id: z.string(), name: z.string() }).nullable(),
      figures: Figures,
    }),
  ),
  heatmap: z.array(z.object({ weekday: count, hour: count, inbound: count, missed: count })),
  daily: z.array(
    z.object({
      day: z.string(),
      calls: count,
      answered: count,
      missed: count,
      previousDay: z.string(),
      previousCalls: count,
      previousAnswered: count,
      previousMissed: count,
    }),
  ),
  outcomes: z.array(z.object({ direction: z.enum(['in', 'out']), outcome: CallOutcomeSchema, calls: count })),
});

const day = z.iso.date('must be a date YYYY-MM-DD');

/** Registers the statistics route. */
export async function statisticsRoutes(
  app: FastifyInstance,
  options: CallStatisticsReportPorts,
): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/statistics',
    {
      onRequest: requireSignedIn,
      schema: {
        tags: ['calls'],
        summary: 'Call statistics of a period (local days in timeZone), per agent and for the team',
        querystring: z.object({
          from: day,
          to: day,
          timeZone: z.string().max(64).refine(isTimeZone, 'unknown time zone').default('UTC'),
          extension: z
            .string()
            .regex(/^\d{1,8}$/)
            .optional(),
        }),
        response: { 200: CallStatisticsResponse },
      },
    },
    async (request) => {
      const { from, to, timeZone, extension } = request.query;
      return readCallStatisticsReport(options, actorOf(request), {
        from,
        to,
        timeZone,
        ...(extension ? { extension } : {}),
      });
    },
  );
}
