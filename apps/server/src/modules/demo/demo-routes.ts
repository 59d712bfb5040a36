/**
 * Demo-only routes (api-contract-telephony.md): ring a simulated inbound call for the "Simulate an incoming
 * call" button, and say where the built-in simulator runs. Outside demo mode they answer 404.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../platform/db/schema.js';
import { AppError } from '../../platform/errors/errors.js';
import { requireSignedIn } from '../../platform/http/auth-guards.js';
import type { TelephonyRuntime } from '../telephony/telephony-seeding.js';
import { demoInboundNumber } from './demo-telephony.js';
import { DEMO_PASSWORD, DEMO_USERS } from './demo-users.js';

const tags = ['demo'];

/** The number a demo call comes from when none is given: a demo contact's, so the popup shows a card. */
async function demoCallerNumber(db: Kysely<Database>): Promise<string> {
  const phone = await db
    .selectFrom('contact_phones')
    .innerJoin('contacts', 'contacts.id', 'contact_phones.contact_id')
    .select('contact_phones.e164')
    .where('contact_phones.e164', 'is not', null)
    .orderBy('contacts.sort_key')
    .orderBy('contact_phones.position')
    .limit(1)
    .executeTakeFirst();
  return phone?.e164 ?? '+33612345678';
}

/** Registers the demo routes. Why: the demo's call button and banner need the simulator behind the server. */
export async function demoRoutes(
  app: FastifyInstance,
  options: { db: Kysely<Database>; telephony: TelephonyRuntime },
): Promise<void> {
  const { db, telephony } = options;
  const r = app.withTypeProvider<ZodTypeProvider>();

  function simulatorOrNotFound() {
    const simulator = telephony.mode === 'demo' ? telephony.simulator : null;
    if (!simulator) {
      throw new AppError('SB_ERR_NOT_FOUND', 'demo telephony is only available in demo mode');
    }
    return simulator;
  }

  // Not found comes first: outside demo mode these routes do not exist, whoever asks.
  async function demoThenSignedIn(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    simulatorOrNotFound();
    await requireSignedIn(request, reply);
  }

  r.post(
    '/api/demo/calls/inbound',
    {
      onRequest: demoThenSignedIn,
      schema: {
        tags,
        summary: 'Demo: ring an inbound call through the built-in simulator',
        body: z
          .object({
            from: z.string().trim().min(1).max(40).optional(),
            answer: z
              .string()
              .regex(/^\d{1,8}$/, 'must be an extension number')
              .nullable()
              .optional(),
            outcome: z.enum(['answered', 'no answer', 'busy', 'cancel']).optional(),
            talkSeconds: z.number().int().min(0).max(3600).optional(),
          })
          .strict()
          .default({}),
        response: { 200: z.object({ pbxCallId: z.string() }) },
      },
    },
    async (request) => {
      const simulator = simulatorOrNotFound();
      const body = request.body;
      return simulator.placeInbound({
        from: body.from ?? (await demoCallerNumber(db)),
        to: demoInboundNumber(simulator),
        ...(body.answer !== undefined ? { answer: body.answer } : {}),
        ...(body.outcome !== undefined ? { outcome: body.outcome } : {}),
        ...(body.talkSeconds !== undefined ? { talkSeconds: body.talkSeconds } : {}),
      });
    },
  );

  // Open to visitors, in demo mode only: the sign-in page lists the demo accounts. Their password is published
  // (README, start-up log) and nothing else is said; outside demo mode the route does not exist.
  r.get(
    '/api/demo/accounts',
    {
      onRequest: async () => {
        if (telephony.mode !== 'demo') {
          throw new AppError('SB_ERR_NOT_FOUND', 'demo accounts exist only in demo mode');
        }
      },
      schema: {
        tags,
        summary: 'Demo: the accounts the sign-in page offers (demo mode only)',
        response: {
          200: z.object({
            password: z.string(),
            accounts: z.array(
              z.object({
                email: z.string(),
                name: z.string(),
                role: z.enum(['admin', 'agent']),
                locale: z.enum(['en', 'fr', 'ru']),
              }),
            ),
          }),
        },
      },
    },
    async () => ({ password: DEMO_PASSWORD, accounts: DEMO_USERS.map((user) => ({ ...user })) }),
  );

  r.get(
    '/api/demo/status',
    {
      onRequest: demoThenSignedIn,
      schema: {
        tags,
        summary: 'Demo: where the built-in simulator runs, its numbers and extensions',
        response: {
          200: z.object({
            simulatorUrl: z.string(),
            numbers: z.array(z.string()),
            extensions: z.array(z.string()),
          }),
        },
      },
    },
    async () => {
      const simulator = simulatorOrNotFound();
      return {
        simulatorUrl: simulator.url,
        numbers: simulator.state.numbers.map((n) => n.number),
        extensions: simulator.state.extensions.map((e) => e.number),
      };
    },
  );
}
