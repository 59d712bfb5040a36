/**
 * Telephony settings API (api-contract-telephony.md, "Settings", admin only) and `GET /api/telephony/me`:
 * credentials with a write-only secret, connection test, webhook registration in Zadarma, balance, extensions
 * with presence and their CRM users, the blacklist.
 */
import { compileIpPolicy } from '@switchboard/zadarma';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../../platform/db/schema.js';
import { isUniqueViolation } from '../../../platform/db/unique-violation.js';
import { AppError } from '../../../platform/errors/errors.js';
import { currentUser, requireAdmin, requireSignedIn } from '../../../platform/http/auth-guards.js';
import { normalizePhone } from '../../crm/phones/normalize-phone.js';
import { readSettings } from '../../crm/settings/company-settings-store.js';
import {
  createBlacklistRepository,
  listBlacklistPage,
  MAX_BLACKLIST_PAGE,
} from '../adapters/kysely-blacklist-repository.js';
import { createExtensionAssignmentRepository } from '../adapters/kysely-extension-assignment-repository.js';
import {
  readWebhookStatus,
  type TelephonySettingsView,
  toSettingsView,
} from '../adapters/telephony-settings-store.js';
import type { TelephonyRuntimeControl } from '../adapters/zadarma/telephony-runtime.js';
import { callZadarma } from '../adapters/zadarma/zadarma-errors.js';
import { listExtensions } from '../use-cases/list-extensions.js';
import { registerWebhook } from '../use-cases/register-webhook.js';
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
  readonly db: Kysely<Database>;
  readonly telephony: TelephonyRuntimeControl;
}

const tags = ['telephony'];

/** Registers the telephony settings routes. Why: one plugin per area, wired in src/routes.ts. */
export async function telephonySettingsRoutes(
  app: FastifyInstance,
  options: TelephonySettingsRoutesOptions,
): Promise<void> {
  const { db, telephony } = options;
  const r = app.withTypeProvider<ZodTypeProvider>();

  async function view(): Promise<TelephonySettingsView> {
    const stored = await telephony.stored();
    const webhook = await readWebhookStatus(db, stored.webhookRegisteredAt);
    return toSettingsView(stored, {
      mode: telephony.mode,
      publicBaseUrl: telephony.publicBaseUrl,
      webhook,
      trustedProxies: telephony.trustedProxies,
    });
  }

  async function requireClient() {
    const client = await telephony.client();
    if (!client) {
      throw new AppError(
        'SB_ERR_TELEPHONY_NOT_CONFIGURED',
        'telephony is not configured: set the Zadarma API key and secret first',
      );
    }
    return client;
  }

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
      const body = request.body;
      if (body.ipAllowList) {
        const current = (await telephony.stored()).ipAllowList;
        const cidrs = body.ipAllowList.cidrs ?? current.cidrs;
        checkCidrs('ipAllowList.cidrs', cidrs);
        checkEnvOnlyProxies(body.ipAllowList.trustedProxies, telephony.trustedProxies);
      }
      if (body.defaultResponsibleUserId) {
        const user = await db
          .selectFrom('users')
          .select(['id', 'disabled'])
          .where('id', '=', body.defaultResponsibleUserId)
          .executeTakeFirst();
        if (!user || user.disabled === 1) {
          throw new AppError('SB_ERR_VALIDATION', 'defaultResponsibleUserId: no active user with this id', [
            { path: 'defaultResponsibleUserId', message: 'no active user with this id' },
          ]);
        }
      }
      await telephony.update({
        ...body,
        ...(body.apiKey !== undefined ? { apiKey: body.apiKey || null } : {}),
        ...(body.apiSecret !== undefined ? { apiSecret: body.apiSecret || null } : {}),
      });
      // Names of the changed fields only: values (the secret above all) never reach a log line.
      request.log.info({ fields: Object.keys(body) }, 'telephony settings changed');
      return view();
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
    async () => {
      const client = await requireClient();
      const balance = await callZadarma(() => client.getBalance());
      const timezone = await callZadarma(() => client.getTimezone());
      if ((await telephony.stored()).timezone !== timezone.timezone) {
        await telephony.update({ timezone: timezone.timezone });
      }
      return {
        ok: true as const,
        balance: balance.balance,
        currency: balance.currency,
        timezone: timezone.timezone,
      };
    },
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
    async () => {
      const client = await requireClient();
      const result = await callZadarma(() => registerWebhook(client, telephony.webhookUrl));
      await telephony.update({ webhookRegisteredAt: new Date().toISOString() });
      return { ok: true as const, ...result };
    },
  );

  r.get(
    '/api/telephony/balance',
    {
      onRequest: requireAdmin,
      schema: { tags, summary: 'The Zadarma account balance', response: { 200: ZBalance } },
    },
    async () => {
      const client = await requireClient();
      const { balance, currency } = await callZadarma(() => client.getBalance());
      return { balance, currency };
    },
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
    async () => {
      const client = await requireClient();
      return { items: await callZadarma(() => listExtensions(db, client)) };
    },
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
      const assignments = createExtensionAssignmentRepository(db);
      if (userId === null) {
        await assignments.unassign(extension);
        return { extension, online: null, userId: null, userName: null };
      }
      const user = await db
        .selectFrom('users')
        .select(['id', 'name', 'disabled'])
        .where('id', '=', userId)
        .executeTakeFirst();
      if (!user || user.disabled === 1) {
        throw new AppError('SB_ERR_NOT_FOUND', `no active user with id ${userId}`);
      }
      await assignExclusively(db, extension, user);
      return { extension, online: null, userId: user.id, userName: user.name };
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
        response: { 200: z.object({ items: z.array(ZBlacklistItem), nextCursor: z.string().nullable() }) },
      },
    },
    async (request) => {
      const { limit, after, q } = request.query;
      const page = await listBlacklistPage(db, { limit, after, prefix: q });
      return {
        nextCursor: page.nextCursor,
        items: page.items.map((e) => ({
          id: e.id,
          number: e.e164,
          e164: e.e164,
          reason: e.reason,
          createdAt: e.createdAt,
        })),
      };
    },
  );

  r.post(
    '/api/telephony/blacklist',
    {
      onRequest: requireAdmin,
      schema: {
        tags,
        summary: 'Add a number to the blacklist',
        body: z
          .object({
            number: z.string().trim().min(1).max(40),
            reason: z.string().trim().max(500).default(''),
          })
          .strict(),
        response: { 201: ZBlacklistItem },
      },
    },
    async (request, reply) => {
      const { defaultCountry } = await readSettings(db);
      const e164 = normalizePhone(request.body.number, defaultCountry);
      if (!e164) {
        throw new AppError(
          'SB_ERR_VALIDATION',
          `number: "${request.body.number}" is not a valid phone number`,
          [{ path: 'number', message: 'not a valid phone number' }],
        );
      }
      const entry = await createBlacklistRepository(db).add({
        e164,
        reason: request.body.reason,
        createdBy: currentUser(request).id,
      });
      reply.code(201);
      return {
        id: entry.id,
        number: entry.e164,
        e164: entry.e164,
        reason: entry.reason,
        createdAt: entry.createdAt,
      };
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
      const result = await db.deleteFrom('blacklist').where('id', '=', request.params.id).executeTakeFirst();
      if (Number(result.numDeletedRows) === 0) {
        throw new AppError('SB_ERR_NOT_FOUND', `no blacklist entry with id ${request.params.id}`);
      }
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
    async (request) => {
      const settings = await telephony.settings();
      const extension = await createExtensionAssignmentRepository(db).findExtension(currentUser(request).id);
      return {
        enabled: telephony.mode === 'demo' || settings.configured,
        extension,
        predictedCallback: settings.predictedCallback,
      };
    },
  );
}

function checkCidrs(path: string, cidrs: readonly string[]): void {
  try {
    compileIpPolicy({ allow: cidrs });
  } catch (error) {
    const message = (error as Error).message;
    throw new AppError('SB_ERR_VALIDATION', `${path}: ${message}`, [{ path, message }]);
  }
}

/**
 * Refuses a change of the trusted proxies (an unchanged list, as the page sends back, passes).
 * Why: they are env-only (`TRUST_PROXY`), one source for Fastify and `/zadarma`; a silently ignored edit would lie.
 */
function checkEnvOnlyProxies(sent: readonly string[] | undefined, current: readonly string[]): void {
  if (sent === undefined || (sent.length === current.length && sent.every((p, i) => p === current[i]))) {
    return;
  }
  const path = 'ipAllowList.trustedProxies';
  const message = `is set by the TRUST_PROXY environment variable only (now ${current.length > 0 ? current.join(',') : 'unset'})`;
  throw new AppError('SB_ERR_VALIDATION', `${path}: ${message}`, [{ path, message }]);
}

/**
 * Gives the extension to the user unless either is already taken by someone else (409 naming the holder).
 * The table's two unique keys settle a race between two admins.
 */
async function assignExclusively(
  db: Kysely<Database>,
  extension: string,
  user: { id: string; name: string },
): Promise<void> {
  const holders = await db
    .selectFrom('extension_assignments')
    .innerJoin('users', 'users.id', 'extension_assignments.user_id')
    .select(['extension_assignments.extension', 'extension_assignments.user_id', 'users.name'])
    .where((eb) =>
      eb.or([
        eb('extension_assignments.extension', '=', extension),
        eb('extension_assignments.user_id', '=', user.id),
      ]),
    )
    .execute();
  for (const holder of holders) {
    if (holder.extension === extension && holder.user_id === user.id) {
      return;
    }
    if (holder.extension === extension) {
      throw new AppError('SB_ERR_CONFLICT', `extension ${extension} is already assigned to ${holder.name}`);
    }
    throw new AppError('SB_ERR_CONFLICT', `${user.name} already has extension ${holder.extension}`);
  }
  try {
    await db
      .insertInto('extension_assignments')
      .values({ extension, user_id: user.id, created_at: new Date().toISOString() })
      .execute();
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError('SB_ERR_CONFLICT', `extension ${extension} or ${user.name} was assigned meanwhile`);
    }
    throw error;
  }
}
