/**
 * `GET/PATCH /api/settings` (admin): the company name, default country for phone numbers, default currency, and
 * how many days refused and processed webhooks and live events are kept.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import type { Database } from '../../../platform/db/schema.js';
import { requireAdmin } from '../../../platform/http/auth-guards.js';
import {
  readSettings,
  SettingsPatchSchema,
  SettingsSchema,
  updateSettings,
} from './company-settings-store.js';

/** Registers the settings routes. Why: one plugin per area, wired in src/routes.ts. */
export async function settingsRoutes(app: FastifyInstance, options: { db: Kysely<Database> }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/settings',
    {
      onRequest: requireAdmin,
      schema: { tags: ['settings'], summary: 'Read the company settings', response: { 200: SettingsSchema } },
    },
    async () => readSettings(options.db),
  );
  r.patch(
    '/api/settings',
    {
      onRequest: requireAdmin,
      schema: {
        tags: ['settings'],
        summary: 'Change some company settings',
        body: SettingsPatchSchema.strict(),
        response: { 200: SettingsSchema },
      },
    },
    async (request) => updateSettings(options.db, request.body),
  );
}
