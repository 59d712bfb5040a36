/**
 * Drops `calls_contact_id_idx` (`contact_id, started_at` where `contact_id is not null`, migration 0005): its key
 * is a prefix of `calls_log_contact_idx` (0021: `contact_id, started_at, id, …`) under the same condition, so
 * every query it served — the contact card's last calls, the routing chain's last agent — reads the longer index
 * the same way, in the same order, and both planners already chose it. Why drop it: every call linked to a
 * contact rewrote both on each write of its row (the known callers' ingest wrote 25.9 KiB a request with it,
 * 24.2 KiB without, `telephony-ingest.bench.ts`). The contact foreign key's `on delete set null` finds the calls
 * through the longer index too.
 */
import { type Kysely, type Migration, sql } from 'kysely';

export const migration0043DropContactCallsPrefixIndex: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.dropIndex('calls_contact_id_idx').execute();
  },
  async down(db: Kysely<unknown>) {
    // As 0005 made it.
    await db.schema
      .createIndex('calls_contact_id_idx')
      .on('calls')
      .columns(['contact_id', 'started_at'])
      .where(sql.ref('contact_id'), 'is not', null)
      .execute();
  },
};
