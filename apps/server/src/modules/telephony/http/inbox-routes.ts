/**
 * Admin view of the webhook inbox (api-contract-telephony.md "Inbox"): list with filters and paging, one entry
 * with its raw body, and replay of a verified entry through the same processing as a live webhook.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, requireAdmin } from '../../../platform/http/auth-guards.js';
import type { InboxBrowser, InboxEntry, InboxRepository } from '../ports.js';
import { listInboxEntries } from '../use-cases/list-inbox-entries.js';
import type { Ingest } from '../use-cases/receive-webhook.js';
import { loadInboxEntry, replayInboxEntry } from '../use-cases/replay-inbox-entry.js';

const InboxStatus = z.enum(['received', 'processed', 'failed', 'rejected']);

const InboxItem = z.object({
  id: z.string(),
  receivedAt: z.string(),
  event: z.string(),
  pbxCallId: z.string().nullable(),
  remoteIp: z.string().nullable(),
  status: InboxStatus,
  error: z.string().nullable(),
  signatureValid: z.boolean(),
});

// A refused request keeps only a prefix of its body (`rawBody`), with the size and SHA-256 of the whole of it.
const InboxDetail = InboxItem.extend({
  rawBody: z.string(),
  contentType: z.string().nullable(),
  bodySize: z.number().int().nullable(),
  bodySha256: z.string().nullable(),
});

const InboxPage = z.object({
  items: z.array(InboxItem),
  total: z.number(),
  page: z.number(),
  pageSize: z.number(),
});

function toItem(e: InboxEntry): z.infer<typeof InboxItem> {
  return {
    id: e.id,
    receivedAt: e.receivedAt,
    event: e.event,
    pbxCallId: e.pbxCallId,
    remoteIp: e.remoteIp,
    status: e.status,
    error: e.error,
    signatureValid: e.signatureValid,
  };
}

function toDetail(e: InboxEntry): z.infer<typeof InboxDetail> {
  return {
    ...toItem(e),
    rawBody: e.body,
    contentType: e.contentType,
    bodySize: e.bodySize ?? null,
    bodySha256: e.bodySha256 ?? null,
  };
}

export interface InboxRoutesOptions {
  readonly inbox: Pick<InboxRepository, 'get'>;
  readonly browser: InboxBrowser;
  readonly ingest: Pick<Ingest, 'process'>;
}

/** Registers the inbox routes. Why: a refused or failed notification must be visible and fixable by admins. */
export async function inboxRoutes(app: FastifyInstance, options: InboxRoutesOptions): Promise<void> {
  const { inbox, browser, ingest } = options;
  const typed = app.withTypeProvider<ZodTypeProvider>();

  typed.get(
    '/api/telephony/inbox',
    {
      preHandler: requireAdmin,
      schema: {
        querystring: z.object({
          status: InboxStatus.optional(),
          event: z.string().max(64).optional(),
          page: z.coerce.number().int().min(1).default(1),
          pageSize: z.coerce.number().int().min(1).max(200).default(50),
        }),
        response: { 200: InboxPage },
      },
    },
    async (request) => {
      const page = await listInboxEntries({ inbox: browser, actor: actorOf(request), query: request.query });
      return { ...page, items: page.items.map(toItem) };
    },
  );

  typed.get(
    '/api/telephony/inbox/:id',
    {
      preHandler: requireAdmin,
      schema: { params: z.object({ id: z.string().min(1) }), response: { 200: InboxDetail } },
    },
    async (request) =>
      toDetail(await loadInboxEntry({ inbox, actor: actorOf(request), entryId: request.params.id })),
  );

  typed.post(
    '/api/telephony/inbox/:id/replay',
    {
      preHandler: requireAdmin,
      schema: { params: z.object({ id: z.string().min(1) }), response: { 200: InboxItem } },
    },
    async (request) =>
      toItem(await replayInboxEntry({ inbox, ingest, actor: actorOf(request), entryId: request.params.id })),
  );
}
