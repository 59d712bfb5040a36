/**
 * Several instances on one database (issue 9, finding 5): `server_instances` (one row per running instance,
 * its heartbeat), `webhook_inbox.instance_id` (who received an entry, so another instance can take over a dead
 * one's unprocessed entries once its lease expires), a tiny partial index of the entries still `received`
 * (what a takeover looks for), and on `telephony_options` a settings version every instance polls, plus the
 * previous API secret still accepted for a short grace after a planned rotation (sealed like the current one).
 */
import { type Kysely, type Migration, sql } from 'kysely';
import { dialectOf, timestampType } from '../column-types.js';

export const migration0007InboxLeases: Migration = {
  async up(db: Kysely<unknown>) {
    const ts = timestampType(dialectOf(db));
    await db.schema
      .createTable('server_instances')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('started_at', ts, (c) => c.notNull())
      .addColumn('heartbeat_at', ts, (c) => c.notNull())
      .execute();
    await db.schema.alterTable('webhook_inbox').addColumn('instance_id', 'text').execute();
    // Only entries not yet processed: a handful at any time, so the hot path's insert and status update
    // touch a tiny index, and a takeover finds its candidates without scanning the inbox.
    await db.schema
      .createIndex('webhook_inbox_received_idx')
      .on('webhook_inbox')
      .columns(['received_at', 'id'])
      .where(sql.ref('status'), '=', 'received')
      .execute();
    for (const [column, type] of [
      ['version', 'integer'],
      ['previous_secret_uses', 'integer'],
    ] as const) {
      await db.schema
        .alterTable('telephony_options')
        .addColumn(column, type, (c) => c.notNull().defaultTo(0))
        .execute();
    }
    await db.schema.alterTable('telephony_options').addColumn('previous_secret_sealed', 'text').execute();
    await db.schema.alterTable('telephony_options').addColumn('previous_secret_until', ts).execute();
  },
  async down(db: Kysely<unknown>) {
    for (const column of [
      'previous_secret_until',
      'previous_secret_sealed',
      'previous_secret_uses',
      'version',
    ]) {
      await db.schema.alterTable('telephony_options').dropColumn(column).execute();
    }
    await db.schema.dropIndex('webhook_inbox_received_idx').execute();
    await db.schema.alterTable('webhook_inbox').dropColumn('instance_id').execute();
    await db.schema.dropTable('server_instances').execute();
  },
};
