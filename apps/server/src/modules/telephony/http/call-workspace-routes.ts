/**
 * The agent's call workspace (issue 13): open the card of a call in progress, record its outcome, link it to
 * a contact created from the card, and the missed calls still to return. The live stream's restore of calls in
 * progress is wired in telephony-module.ts.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../../platform/errors/errors.js';
import { actorOf, requireSignedIn } from '../../../platform/http/auth-guards.js';
import type { CallWorkspacePorts } from '../call-workspace-ports.js';
import type { CallReadModel } from '../ports.js';
import { toCallViews } from '../use-cases/call-view.js';
import { linkCallToContact } from '../use-cases/link-call-to-contact.js';
import { dismissMissedCall, listMissedCalls } from '../use-cases/missed-calls.js';
import { recordCallOutcome } from '../use-cases/record-call-outcome.js';
import { liveCallFramesOf } from '../use-cases/restore-live-calls.js';
import { setWrapUpCard } from '../use-cases/wrap-up-cards.js';
import { CallView } from './call-schemas.js';
import {
  CallOutcomeBody,
  CallWrapUpView,
  ContactCardView,
  LiveCallView,
  WrapUpCardBody,
} from './call-workspace-schemas.js';

export interface CallWorkspaceRoutesOptions {
  readonly readModel: CallReadModel;
  readonly ports: CallWorkspacePorts;
}

const CallParams = z.object({ id: z.string().min(1).max(64) });

/** Registers the workspace's routes. Why: the call card and the missed calls list of the web app. */
export async function callWorkspaceRoutes(
  app: FastifyInstance,
  options: CallWorkspaceRoutesOptions,
): Promise<void> {
  const { readModel, ports } = options;
  const typed = app.withTypeProvider<ZodTypeProvider>();

  typed.get(
    '/api/calls/missed',
    { preHandler: requireSignedIn, schema: { response: { 200: z.object({ items: z.array(CallView) }) } } },
    async (request) => {
      const calls = await listMissedCalls(ports, actorOf(request), Date.now());
      return { items: await toCallViews(readModel, calls) };
    },
  );

  typed.post(
    '/api/calls/:id/dismiss',
    { preHandler: requireSignedIn, schema: { params: CallParams, response: { 204: z.null() } } },
    async (request, reply) => {
      await dismissMissedCall(ports, actorOf(request), {
        callId: request.params.id,
        at: new Date().toISOString(),
      });
      return reply.code(204).send(null);
    },
  );

  typed.get(
    '/api/calls/:id/live',
    { preHandler: requireSignedIn, schema: { params: CallParams, response: { 200: LiveCallView } } },
    async (request) => {
      const frames = await liveCallFramesOf(ports, actorOf(request), request.params.id);
      const ringing = frames?.find((f) => f.topic === 'call.ringing');
      if (!frames || !ringing) {
        throw new AppError('SB_ERR_NOT_FOUND', `no call in progress ${request.params.id}`);
      }
      const answered = frames.find((f) => f.topic === 'call.answered');
      return {
        ringing: ringing.data as z.infer<typeof LiveCallView>['ringing'],
        answered: (answered?.data ?? null) as z.infer<typeof LiveCallView>['answered'],
      };
    },
  );

  typed.put(
    '/api/calls/:id/outcome',
    {
      preHandler: requireSignedIn,
      schema: { params: CallParams, body: CallOutcomeBody, response: { 200: CallWrapUpView } },
    },
    async (request) =>
      recordCallOutcome(ports, actorOf(request), {
        callId: request.params.id,
        outcome: request.body.outcome,
        at: new Date().toISOString(),
      }),
  );

  typed.put(
    '/api/calls/:id/contact',
    {
      preHandler: requireSignedIn,
      schema: {
        params: CallParams,
        body: z.object({ contactId: z.string().min(1).max(64) }),
        response: { 200: ContactCardView },
      },
    },
    async (request) => {
      const card = await linkCallToContact(ports, actorOf(request), {
        callId: request.params.id,
        contactId: request.body.contactId,
        at: new Date().toISOString(),
      });
      // A stored call's status is always one of the API's (call-view.ts).
      return card as z.infer<typeof ContactCardView>;
    },
  );

  typed.put(
    '/api/calls/:id/wrap-up',
    {
      preHandler: requireSignedIn,
      schema: {
        description:
          'Opens or closes the signed-in user’s wrap-up card of the call: an open card comes back to every tab ' +
          'of theirs, after the call too, until they close it.',
        params: CallParams,
        body: WrapUpCardBody,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await setWrapUpCard(ports, actorOf(request), {
        callId: request.params.id,
        open: request.body.open,
        at: new Date().toISOString(),
      });
      return reply.code(204).send(null);
    },
  );
}
