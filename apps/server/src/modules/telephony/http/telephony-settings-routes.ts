/**
 * Telephony settings API (api-contract-telephony.md, "Settings", admin only) and `GET /api/telephony/me`:
 * credentials with a write-only secret, connection test, webhook registration in Zadarma, balance, extensions
 * with presence and their CRM users, the blacklist. Each route parses, calls its use case
 * (modules/telephony/use-cases/) with the ports built by telephony-settings-ports.ts, and shapes the reply.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, currentUser, requireAdmin, requireSignedIn } from '../../../platform/http/auth-guards.js';
import type { BlacklistEntry } from '../ports.js';
import { MAX_BLACKLIST_PAGE, type TelephonySettingsPorts } from '../telephony-settings-ports.js';
import { assignExtension } from '../use-cases/assign-extension.js';
import { blockNumber } from '../use-cases/block-number.js';
import { freeExtension } from '../use-cases/free-extension.js';
import { listBlockedNumbers } from '../use-cases/list-blocked-numbers.js';
import { listExtensions } from '../use-cases/list-extensions.js';
import { readMyTelephony } from '../use-cases/read-my-telephony.js';
import { readNumberBlocking } from '../use-cases/read-number-blocking.js';
import { readTelephonySettings } from '../use-cases/read-telephony-settings.js';
import { readZadarmaBalance } from '../use-cases/read-zadarma-balance.js';
import { registerWebhook } from '../use-cases/register-webhook.js';
import { saveTelephonySettings } from '../use-cases/save-telephony-settings.js';
import { testZadarmaConnection } from '../use-cases/test-zadarma-connection.js';
import { unblockNumber } from '../use-cases/unblock-number.js';
import {
  ZBalance,
  ZBlacklistItem,
  ZExtensionItem,
  ZRegisterWebhookResult,
  ZTelephonyMe,
  ZTelephonySettingsPatch,
  ZTelephonySettingsView,
  ZTestConnectionResult,
} from './telephony-settings-schemas.js';

export interface TelephonySettingsRoutesOptions {
  readonly ports: TelephonySettingsPorts;
}

const tags = ['telephony'];

/** Registers the telephony settings routes. Why: one plugin per area, wired in src/routes.ts. */
export async function telephonySettingsRoutes(
  app: FastifyInstance,
  options: TelephonySettingsRoutesOptions,
): Promise<void> {
  const { telephony, assignments, blacklist, ownNumbers, defaultCountry, users, webhooks, now } =
    options.ports;
  const callZadarma = options.ports.zadarma;
  const r = app.withTypeProvider<ZodTypeProvider>();

  const reading = { settings: telephony, deployment: telephony, webhooks, now: Date.now };
  const view = () => readTelephonySettings(reading);

  r.get(
    '/api/telephony/settings',
    {
      onRequest: requireAdmin,
      schema: { tags, summary: 'Read the telephony settings', response: { 200: ZTelephonySettingsView } },
    },
    view,
  );

  r.put(
    '/api/telephony/settings',
    {
      onRequest: requireAdmin,
      schema: {
        tags,
        summary: 'Change telephony settings (the secret is write-only)',
        body: ZTelephonySettingsPatch,
        response: { 200: ZTelephonySettingsView },
      },
    },
    async (request) => {
      const saved = await saveTelephonySettings({
        ...reading,
        users,
        zadarma: telephony,
        change: request.body,
      });
      // Names of the changed fields only: values (the secret above all) never reach a log line.
      request.log.info({ fields: Object.keys(request.body) }, 'telephony settings changed');
      return saved;
    },
  );

  r.post(
    '/api/telephony/test-connection',
    {
      onRequest: requireAdmin,
      schema: {
        tags,
        summary: 'Check the credentials: balance and timezone from Zadarma',
        response: { 200: ZTestConnectionResult },
      },
    },
    () => callZadarma(() => testZadarmaConnection({ zadarma: telephony, settings: telephony })),
  );

  r.post(
    '/api/telephony/register-webhook',
    {
      onRequest: requireAdmin,
      schema: {
        tags,
        summary: "Register this CRM's /zadarma URL and every call notification in Zadarma",
        response: { 200: ZRegisterWebhookResult },
      },
    },
    () =>
      callZadarma(() =>
        registerWebhook({ zadarma: telephony, settings: telephony, deployment: telephony, now }),
      ),
  );

  r.get(
    '/api/telephony/balance',
    {
      onRequest: requireAdmin,
      schema: { tags, summary: 'The Zadarma account balance', response: { 200: ZBalance } },
    },
    () => callZadarma(() => readZadarmaBalance({ zadarma: telephony })),
  );

  r.get(
    '/api/telephony/extensions',
    {
      onRequest: requireAdmin,
      schema: {
        tags,
        summary: 'PBX extensions with presence and their CRM users',
        response: { 200: z.object({ items: z.array(ZExtensionItem) }) },
      },
    },
    async () => ({ items: await callZadarma(() => listExtensions({ zadarma: telephony, assignments })) }),
  );

  r.put(
    '/api/telephony/extensions/:extension',
    {
      onRequest: requireAdmin,
      schema: {
        tags,
        summary: 'Assign an extension to a user (or free it with null)',
        params: z.object({ extension: z.string().regex(/^\d{1,8}$/, 'must be an extension number') }),
        body: z.object({ userId: z.string().min(1).nullable() }).strict(),
        response: { 200: ZExtensionItem },
      },
    },
    async (request) => {
      const { extension } = request.params;
      const { userId } = request.body;
      return userId === null
        ? freeExtension({ assignments, extension })
        : assignExtension({ assignments, users, extension, userId, now });
    },
  );

  r.get(
    '/api/telephony/blacklist',
    {
      onRequest: requireAdmin,
      schema: {
        tags,
        summary: 'Numbers whose calls are refused with busy, in number order, a page at a time',
        querystring: z.object({
          limit: z.coerce.number().int().min(1).max(MAX_BLACKLIST_PAGE).default(100),
          after: z.string().max(40).optional(),
          q: z.string().max(40).optional(),
        }),
        response: {
          200: z.object({
            items: z.array(ZBlacklistItem),
            nextCursor: z.string().nullable(),
            /** Calls the blacklist refused, all entries together. */
            blockedCalls: z.number(),
          }),
        },
      },
    },
    async (request) => {
      const { limit, after, q } = request.query;
      const page = await listBlockedNumbers({ blacklist, query: { limit, after, prefix: q } });
      return {
        nextCursor: page.nextCursor,
        items: page.items.map(toBlacklistItem),
        blockedCalls: page.blockedCalls,
      };
    },
  );

  r.get(
    '/api/telephony/blacklist/blocking',
    {
      onRequest: requireSignedIn,
      schema: {
        tags,
        summary: 'The blacklist entries (numbers or prefixes) that block any of these numbers now',
        querystring: z.object({
          numbers: z
            .string()
            .max(400)
            .transform((v) =>
              v
                .split(',')
                .map((n) => n.trim())
                .filter((n) => /^\+\d{6,15}$/.test(n)),
            )
            .refine((v) => v.length <= 20, 'at most 20 numbers'),
        }),
        response: { 200: z.object({ items: z.array(ZBlacklistItem) }) },
      },
    },
    async (request) => {
      const items = await readNumberBlocking({ blacklist, numbers: request.query.numbers, now });
      return { items: items.map(toBlacklistItem) };
    },
  );

  r.post(
    '/api/telephony/blacklist',
    {
      // Agents block a caller from a popup, the call log or a contact; prefixes are admins' (the use case).
      onRequest: requireSignedIn,
      schema: {
        tags,
        summary: 'Add a number (or, admins, a prefix) to the blacklist, optionally until a date',
        body: z
          .object({
            number: z.string().trim().min(1).max(40),
            isPrefix: z.boolean().default(false),
            reason: z.string().trim().max(500).default(''),
            expiresAt: z.string().max(40).nullable().default(null),
          })
          .strict(),
        response: { 201: ZBlacklistItem },
      },
    },
    async (request, reply) => {
      const entry = await blockNumber({
        blacklist,
        defaultCountry,
        ownNumbers,
        actor: actorOf(request),
        number: request.body.number,
        isPrefix: request.body.isPrefix,
        reason: request.body.reason,
        expiresAt: request.body.expiresAt,
        now: now(),
      });
      reply.code(201);
      return toBlacklistItem(entry);
    },
  );

  r.delete(
    '/api/telephony/blacklist/:id',
    {
      onRequest: requireAdmin,
      schema: {
        tags,
        summary: 'Remove a number from the blacklist',
        params: z.object({ id: z.string().min(1) }),
      },
    },
    async (request, reply) => {
      await unblockNumber({ blacklist, id: request.params.id });
      reply.code(204);
      return reply.send();
    },
  );

  r.get(
    '/api/telephony/me',
    {
      onRequest: requireSignedIn,
      schema: {
        tags,
        summary: "The signed-in user's telephony: enabled, extension, click-to-call mode",
        response: { 200: ZTelephonyMe },
      },
    },
    (request) =>
      readMyTelephony({
        settings: telephony,
        assignments,
        mode: telephony.mode,
        userId: currentUser(request).id,
      }),
  );
}

/** A blacklist entry as the API shows it (`number` kept for older clients: the E.164 form). */
function toBlacklistItem(entry: BlacklistEntry) {
  return {
    id: entry.id,
    number: entry.e164,
    e164: entry.e164,
    isPrefix: entry.isPrefix,
    reason: entry.reason,
    createdAt: entry.createdAt,
    createdByName: entry.createdByName ?? null,
    expiresAt: entry.expiresAt,
    blockedCalls: entry.blockedCalls,
    lastBlockedAt: entry.lastBlockedAt,
  };
}
