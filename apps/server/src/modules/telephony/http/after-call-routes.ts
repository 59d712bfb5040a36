/**
 * After the call (issue 12, items 6 and 9): the admin's options beside the two switches
 * (`/api/telephony/after-call`), and the new-callers inbox every signed-in user works through (`/api/new-callers`).
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, requireAdmin, requireSignedIn } from '../../../platform/http/auth-guards.js';
import type { AfterCallOptionsStore, NewCallerInbox, PipelineStages } from '../ports.js';
import {
  acceptNewCaller,
  declineNewCaller,
  listNewCallers,
  mergeNewCaller,
} from '../use-cases/decide-new-caller-in-inbox.js';
import { readAfterCallOptions } from '../use-cases/read-after-call-options.js';
import { saveAfterCallOptions } from '../use-cases/save-after-call-options.js';
import {
  ZAcceptNewCaller,
  ZAfterCallOptions,
  ZAfterCallOptionsPatch,
  ZDeclineNewCaller,
  ZMergeNewCaller,
  ZNewCallerDecision,
  ZNewCallerItem,
} from './after-call-schemas.js';

export interface AfterCallRoutesOptions {
  readonly options: AfterCallOptionsStore;
  readonly pipelines: PipelineStages;
  readonly inbox: NewCallerInbox;
}

const tags = ['telephony'];

/** Registers the after-call routes. Why: one plugin per area, wired by telephony-module.ts. */
export async function afterCallRoutes(app: FastifyInstance, ports: AfterCallRoutesOptions): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const now = () => new Date().toISOString();

  r.get(
    '/api/telephony/after-call',
    {
      onRequest: requireAdmin,
      schema: {
        tags,
        summary: 'The callback tasks due time and the new-caller rules',
        response: { 200: ZAfterCallOptions },
      },
    },
    () => readAfterCallOptions(ports),
  );

  r.put(
    '/api/telephony/after-call',
    {
      onRequest: requireAdmin,
      schema: {
        tags,
        summary: 'Change the after-call options (rules creating a record for every call need a confirmation)',
        body: ZAfterCallOptionsPatch,
        response: { 200: ZAfterCallOptions },
      },
    },
    async (request) => {
      const saved = await saveAfterCallOptions(ports, request.body);
      request.log.info({ fields: Object.keys(request.body) }, 'after-call options changed');
      return saved;
    },
  );

  r.get(
    '/api/new-callers',
    {
      onRequest: requireSignedIn,
      schema: {
        tags,
        summary: 'Numbers waiting in the new-callers inbox, with a spam hint',
        response: { 200: z.object({ items: z.array(ZNewCallerItem) }) },
      },
    },
    async () => ({ items: await listNewCallers(ports) }),
  );

  r.post(
    '/api/new-callers/accept',
    {
      onRequest: requireSignedIn,
      schema: {
        tags,
        summary: 'Accept a new caller: create a contact, lead or deal, yours',
        body: ZAcceptNewCaller,
        response: { 200: ZNewCallerDecision },
      },
    },
    async (request) => {
      const created = await acceptNewCaller(ports, {
        clientE164: request.body.number,
        kind: request.body.kind,
        name: request.body.name,
        actor: actorOf(request),
        at: now(),
      });
      return { recordType: created.type, recordId: created.id };
    },
  );

  r.post(
    '/api/new-callers/merge',
    {
      onRequest: requireSignedIn,
      schema: {
        tags,
        summary: "Merge a new caller into an existing contact (the number joins the contact's phones)",
        body: ZMergeNewCaller,
        response: { 200: ZNewCallerDecision },
      },
    },
    async (request) => {
      await mergeNewCaller(ports, {
        clientE164: request.body.number,
        contactId: request.body.contactId,
        actor: actorOf(request),
        at: now(),
      });
      return { recordType: 'contact' as const, recordId: request.body.contactId };
    },
  );

  r.post(
    '/api/new-callers/decline',
    {
      onRequest: requireSignedIn,
      schema: {
        tags,
        summary: 'Decline a new caller: no record, and its later calls are not offered again',
        body: ZDeclineNewCaller,
        response: { 200: ZNewCallerDecision },
      },
    },
    async (request) => {
      await declineNewCaller(ports, { clientE164: request.body.number, actor: actorOf(request), at: now() });
      return { recordType: null, recordId: null };
    },
  );
}
