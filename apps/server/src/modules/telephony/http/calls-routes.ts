/**
 * Calls for signed-in users (api-contract-telephony.md): the list (agents see calls they handled or of contacts
 * they are responsible for; admins all), one call, its note, and click-to-call.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Actor } from '../../../platform/auth/actor.js';
import type { Database } from '../../../platform/db/schema.js';
import { AppError } from '../../../platform/errors/errors.js';
import { actorOf, currentUser, requireSignedIn } from '../../../platform/http/auth-guards.js';
import { newId } from '../../../platform/ids.js';
import { countRows } from '../../crm/shared/paging.js';
import { callReadableBy } from '../adapters/kysely-call-visibility.js';
import type { CallReadModel, CallRepository, CallVisibility, StoredCall } from '../ports.js';
import { countCallsByDay, isTimeZone, MAX_COUNT_DAYS } from '../use-cases/call-counts-by-day.js';
import { toCallViews } from '../use-cases/call-view.js';
import { type ClickToCallPorts, clickToCall } from '../use-cases/click-to-call.js';
import { CallPage, CallView, ClickToCallResult } from './call-schemas.js';

const MAX_NOTE = 10_000;

export interface CallsRoutesOptions {
  /** The call log's list query and the popup's note, in SQL here until they get use cases of their own. */
  readonly db: Kysely<Database>;
  readonly calls: Pick<CallRepository, 'getById'>;
  readonly readModel: CallReadModel;
  readonly visibility: CallVisibility;
  readonly clickToCall: ClickToCallPorts;
}

/** Registers the calls routes. Why: the call log, the popup's note and the call buttons of the web app. */
export async function callsRoutes(app: FastifyInstance, options: CallsRoutesOptions): Promise<void> {
  const { db, calls, readModel, visibility } = options;
  const typed = app.withTypeProvider<ZodTypeProvider>();

  async function visibleCall(actor: Actor, id: string): Promise<StoredCall> {
    const call = await calls.getById(id);
    if (!call) {
      throw new AppError('SB_ERR_NOT_FOUND', `no call ${id}`);
    }
    if (!(await visibility.canRead(actor, id))) {
      throw new AppError('SB_ERR_NOT_FOUND', `no call ${id}`);
    }
    return call;
  }

  typed.get(
    '/api/calls',
    {
      preHandler: requireSignedIn,
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
    async (request) => {
      const { contactId, userId, direction, status, page, pageSize } = request.query;
      let base = db.selectFrom('calls as k').leftJoin('contacts as c', 'c.id', 'k.contact_id');
      const readable = callReadableBy(actorOf(request), {
        agentUserId: 'k.agent_user_id',
        contactId: 'k.contact_id',
      });
      if (readable) {
        base = base.where(readable);
      }
      if (contactId) {
        base = base.where('k.contact_id', '=', contactId);
      }
      if (userId) {
        base = base.where('k.agent_user_id', '=', userId);
      }
      if (direction) {
        base =
          direction === 'out'
            ? base.where('k.direction', '=', 'outbound')
            : base.where('k.direction', '!=', 'outbound');
      }
      if (status) {
        base = base.where('k.status', '=', status);
      }
      const [total, rows] = await Promise.all([
        countRows(base),
        base
          .select(['k.id'])
          .orderBy('k.started_at', 'desc')
          .orderBy('k.id', 'desc')
          .limit(pageSize)
          .offset((page - 1) * pageSize)
          .execute(),
      ]);
      const found = await Promise.all(rows.map((r) => calls.getById(r.id)));
      return {
        items: await toCallViews(
          readModel,
          found.filter((c): c is StoredCall => c !== null),
        ),
        total,
        page,
        pageSize,
      };
    },
  );

  typed.get(
    '/api/calls/counts-by-day',
    {
      preHandler: requireSignedIn,
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
        now: new Date(),
      });
      return { timeZone, items };
    },
  );

  typed.get(
    '/api/calls/:id',
    {
      preHandler: requireSignedIn,
      schema: { params: z.object({ id: z.string().min(1) }), response: { 200: CallView } },
    },
    async (request) => {
      const call = await visibleCall(actorOf(request), request.params.id);
      return (await toCallViews(readModel, [call]))[0];
    },
  );

  typed.patch(
    '/api/calls/:id',
    {
      preHandler: requireSignedIn,
      schema: {
        params: z.object({ id: z.string().min(1) }),
        body: z.object({ note: z.string().max(MAX_NOTE) }),
        response: { 200: CallView },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const call = await visibleCall(actorOf(request), request.params.id);
      const existing = await db
        .selectFrom('notes')
        .select('id')
        .where('subject_type', '=', 'call')
        .where('subject_id', '=', call.id)
        .orderBy('created_at')
        .executeTakeFirst();
      if (existing) {
        await db
          .updateTable('notes')
          .set({ body: request.body.note })
          .where('id', '=', existing.id)
          .execute();
      } else {
        await db
          .insertInto('notes')
          .values({
            id: newId(),
            subject_type: 'call',
            subject_id: call.id,
            body: request.body.note,
            author_id: user.id,
            created_at: new Date().toISOString(),
          })
          .execute();
      }
      return (await toCallViews(readModel, [call]))[0];
    },
  );

  typed.post(
    '/api/calls/click-to-call',
    {
      preHandler: requireSignedIn,
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
