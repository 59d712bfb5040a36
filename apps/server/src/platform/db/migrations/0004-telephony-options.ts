/**
 * The telephony options table (db/schema/telephony-options.ts): everything on the settings page that
 * `telephony_settings` does not hold. A separate row keeps the feature switches off by default (issue 5).
 */
import type { Kysely, Migration } from 'kysely';
import { dialectOf, timestampType } from '../column-types.js';

export const migration0004TelephonyOptions: Migration = {
  async up(db: Kysely<unknown>) {
    const ts = timestampType(dialectOf(db));
    await db.schema
      .createTable('telephony_options')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('api_base_url', 'text')
      .addColumn('ip_allow_enabled', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('ip_allow_cidrs', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('trusted_proxies', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('default_responsible_user_id', 'text', (c) => c.references('users.id').onDelete('set null'))
      .addColumn('predicted_callback', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('auto_create', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('route_to_responsible', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('caller_name', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('missed_call_tasks', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('blacklist', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('webhook_registered_at', ts)
      .addColumn('updated_at', ts, (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('telephony_options').execute();
  },
};
