/**
 * What NOTIFY_START decides (issue 12 §7, §8, §10). The blacklist gains prefixes (`is_prefix`: every number
 * starting with `e164` is blocked), an optional expiry, and a count of the calls each entry refused (updated
 * after the call, never on the reply's path). Calls gain one partial index, by client number and start time
 * for calls linked to no contact: "Missed you 3× today" counts an unknown caller's missed calls with it, and
 * calls of known contacts (most, once a CRM is in use) add no entry to it.
 */
import { type Kysely, type Migration, sql } from 'kysely';
import { dialectOf, timestampType } from '../column-types.js';

export const migration0013CallHandling: Migration = {
  async up(db: Kysely<unknown>) {
    const ts = timestampType(dialectOf(db));
    // One column per statement: SQLite's ALTER TABLE adds one at a time.
    await db.schema
      .alterTable('blacklist')
      .addColumn('is_prefix', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema.alterTable('blacklist').addColumn('expires_at', ts).execute();
    await db.schema
      .alterTable('blacklist')
      .addColumn('blocked_calls', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema.alterTable('blacklist').addColumn('last_blocked_at', ts).execute();
    await db.schema
      .createIndex('calls_unlinked_client_idx')
      .on('calls')
      .columns(['client_e164', 'started_at'])
      .where(sql.ref('contact_id'), 'is', null)
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex('calls_unlinked_client_idx').execute();
    for (const column of ['last_blocked_at', 'blocked_calls', 'expires_at', 'is_prefix']) {
      await db.schema.alterTable('blacklist').dropColumn(column).execute();
    }
  },
};
