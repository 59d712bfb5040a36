/**
 * Calls for signed-in users (api-contract-telephony.md): the list (agents see calls they handled or of contacts
 * they are responsible for; admins all), one call, its note, and click-to-call. Each route parses, calls its
 * use case with the ports the module file built, and shapes the reply.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, requireSignedIn } from '../../../platform/http/auth-guards.js';
import type {
  CallListPages,
  CallNotes,
  CallReadModel,
  CallRepository,
  CallVisibility,
  Clock,
} from '../ports.js';
import { countCallsByDay, isTimeZone, MAX_COUNT_DAYS } from '../use-cases/call-counts-by-day.js';
import { toCallViews } from '../use-cases/call-view.js';
import { type ClickToCallPorts, clickToCall } from '../use-cases/click-to-call.js';
import { listCalls } from '../use-cases/list-calls.js';
import { readVisibleCall } from '../use-cases/read-visible-call.js';
import { MAX_CALL_NOTE, saveCallNote } from '../use-cases/save-call-note.js';
import { CallPage, CallView, ClickToCallResult } from './call-schemas.js';

export interface CallsRoutesOptions {
  readonly calls: Pick<CallRepository, 'getById'>;
  readonly pages: CallListPages;
  readonly notes: CallNotes;
  readonly readModel: CallReadModel;
  readonly visibility: CallVisibility;
  readonly clock: Clock;
  readonly clickToCall: ClickToCallPorts;
}

/** Registers the calls routes. Why: the call log, the popup's note and the call buttons of the web app. */
export async function callsRoutes(app: FastifyInstance, options: CallsRoutesOptions): Promise<void> {
  const { readModel } = options;
  const typed = app.withTypeProvider<ZodTypeProvider>();

  typed.get(
    '/api/calls',
    {
      onRequest: requireSignedIn,
      schema: {
        querystring: z.object({
          contactId: z.string().optional(),
          userId: z.string().optional(),
          direction: z.enum(['in', 'out']).optional(),
          status: z
            .enum(['ringing', 'in_progress', 'answered', 'missed', 'busy', 'failed', 'no_answer', 'unknown'])
            .optional(),
          page: z.coerce.number().int().min(1).default(1),
          pageSize: z.coerce.number().int().min(1).max(200).default(50),
        }),
        response: { 200: CallPage },
      },
    },
    (request) => listCalls(options, actorOf(request), request.query),
  );

  typed.get(
    '/api/calls/counts-by-day',
    {
      onRequest: requireSignedIn,
      schema: {
        querystring: z.object({
          days: z.coerce.number().int().min(1).max(MAX_COUNT_DAYS).default(14),
          timeZone: z.string().max(64).refine(isTimeZone, 'unknown time zone').default('UTC'),
        }),
        response: {
          200: z.object({
            timeZone: z.string(),
            items: z.array(
              z.object({ day: z.string(), answered: z.number().int(), missed: z.number().int() }),
            ),
          }),
        },
      },
    },
    async (request) => {
      const { days, timeZone } = request.query;
      const items = await countCallsByDay({
        readModel,
        reader: actorOf(request),
        timeZone,
        days,
        now: new Date(options.clock.now()),
      });
      return { timeZone, items };
    },
  );

  typed.get(
    '/api/calls/:id',
    {
      onRequest: requireSignedIn,
      schema: { params: z.object({ id: z.string().min(1) }), response: { 200: CallView } },
    },
    async (request) => {
      const call = await readVisibleCall(options, actorOf(request), request.params.id);
      return (await toCallViews(readModel, [call]))[0];
    },
  );

  typed.patch(
    '/api/calls/:id',
    {
      onRequest: requireSignedIn,
      schema: {
        params: z.object({ id: z.string().min(1) }),
        body: z.object({ note: z.string().max(MAX_CALL_NOTE) }),
        response: { 200: CallView },
      },
    },
    (request) =>
      saveCallNote(options, actorOf(request), { callId: request.params.id, note: request.body.note }),
  );

  typed.post(
    '/api/calls/click-to-call',
    {
      onRequest: requireSignedIn,
      schema: {
        body: z.object({
          phone: z.string().min(1).max(64),
          contactId: z.string().optional(),
          confirmDoNotCall: z.boolean().optional(),
        }),
        response: { 202: ClickToCallResult },
      },
    },
    async (request, reply) => {
      const result = await clickToCall({
        ...options.clickToCall,
        actor: actorOf(request),
        input: {
          phone: request.body.phone,
          contactId: request.body.contactId,
          confirmDoNotCall: request.body.confirmDoNotCall,
        },
      });
      return reply.code(202).send(result);
    },
  );
}
