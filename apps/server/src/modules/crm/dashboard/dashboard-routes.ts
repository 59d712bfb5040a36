/**
 * `GET /api/dashboard`: the signed-in user's morning view (read-dashboard.ts).
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { DatabaseHandle } from '../../../platform/db/database.js';
import { actorOf, requireSignedIn } from '../../../platform/http/auth-guards.js';
import { readDashboard } from './read-dashboard.js';

const Dashboard = z.object({
  missedToReturn: z.array(
    z.object({
      callId: z.string(),
      at: z.string(),
      clientNumber: z.string().nullable(),
      clientE164: z.string(),
      contact: z.object({ id: z.string(), name: z.string() }).nullable(),
      attempts: z.number(),
    }),
  ),
  callsToday: z.object({ total: z.number(), answered: z.number(), missed: z.number() }),
  openTasks: z.number(),
  overdueTasks: z.number(),
  openDeals: z.object({ count: z.number(), amount: z.number() }),
  teamAnswerRate: z.object({ answered: z.number(), total: z.number(), rate: z.number().nullable() }),
});

/** Registers the dashboard route. Why: the start page needs one request, not six. */
export async function dashboardRoutes(
  app: FastifyInstance,
  options: { database: DatabaseHandle },
): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = options.database;
  r.get(
    '/api/dashboard',
    {
      preHandler: requireSignedIn,
      schema: {
        tags: ['dashboard'],
        summary: 'My missed calls to return, my calls today, my open tasks and deals, the team’s answer rate',
        description:
          'todayFrom is the start of the user’s day with its offset (the browser knows its time zone). A ' +
          'missed inbound call is listed (one line per number, latest first, last 14 days) while no later call ' +
          'with the same number was answered; it is mine when I was its agent, my extension rang, or I am ' +
          'responsible for the caller.',
        querystring: z.object({ todayFrom: z.iso.datetime({ offset: true }) }),
        response: { 200: Dashboard },
      },
    },
    async (request) =>
      readDashboard({ db, actor: actorOf(request), todayFrom: new Date(request.query.todayFrom) }),
  );
}
