/**
 * Missed calls classified when the calls are folded, not when the statistics are read (issue 11).
 * - `calls.return_at`, `calls.return_direction`: on a missed inbound call, the start of the first connected call
 *   with the same client after it and which way it went ('in': the client called back, 'out': we did); null
 *   while not returned. Kept by the fold's own transaction (modules/telephony/adapters/missed-call-fates.ts).
 * - `calls_missed_open_idx`: the missed calls not returned — the one "missed and not returned" rule
 *   (modules/telephony/adapters/missed-call-condition.ts) read by the dashboard, the missed-calls list, the call
 *   log's filter and the statistics.
 * - `calls_connected_client_idx`: the connected calls by client, which decide a missed call's return.
 * - `call_missed_rollups` (UTC hour × attributed extension × fate bucket) and `call_missed_rollups_daily`
 *   (UTC day × …): how many missed calls and their seconds to the return, per bucket
 *   (domain/missed-call-classification.ts, `fateBucket`). Filled from the calls at start-up when empty.
 */
import { type Kysely, type Migration, type SqlBool, sql } from 'kysely';
import { dialectOf, timestampType } from '../column-types.js';

/** A migration is frozen once shipped: its own copies of the predicates. */
const MISSED_PREDICATE =
  "direction <> 'outbound' and outcome in ('no_answer', 'busy', 'cancelled', 'ivr_hangup')";
const CONNECTED_PREDICATE = "status in ('answered', 'in_progress') and client_e164 is not null";

export const migration0017MissedCallFates: Migration = {
  async up(db: Kysely<unknown>) {
    const ts = timestampType(dialectOf(db));
    await db.schema.alterTable('calls').addColumn('return_at', ts).execute();
    await db.schema.alterTable('calls').addColumn('return_direction', 'text').execute();
    await db.schema
      .createIndex('calls_connected_client_idx')
      .on('calls')
      .columns(['client_e164', 'started_at'])
      .where(sql<SqlBool>`${sql.raw(CONNECTED_PREDICATE)}`)
      .execute();
    // The calls that are already there: their first connected return, set-based (each an index probe).
    await sql`update calls set return_at = (
        select min(r.started_at) from calls r
        where r.client_e164 = calls.client_e164 and r.started_at > calls.started_at
          and r.status in ('answered', 'in_progress') and r.client_e164 is not null)
      where ${sql.raw(MISSED_PREDICATE)} and client_e164 is not null and started_at is not null`.execute(db);
    await sql`update calls set return_direction = case when exists (
        select 1 from calls r
        where r.client_e164 = calls.client_e164 and r.started_at = calls.return_at
          and r.status in ('answered', 'in_progress') and r.client_e164 is not null and r.direction = 'outbound')
      then 'out' else 'in' end
      where return_at is not null`.execute(db);
    await db.schema
      .createIndex('calls_missed_open_idx')
      .on('calls')
      .column('started_at')
      .where(sql<SqlBool>`${sql.raw(`${MISSED_PREDICATE} and return_at is null`)}`)
      .execute();
    for (const [table, grain] of [
      ['call_missed_rollups', 'hour'],
      ['call_missed_rollups_daily', 'day'],
    ] as const) {
      await db.schema
        .createTable(table)
        .addColumn(grain, 'integer', (c) => c.notNull())
        .addColumn('extension', 'text', (c) => c.notNull())
        .addColumn('fate', 'text', (c) => c.notNull())
        .addColumn('calls', 'integer', (c) => c.notNull())
        .addColumn('return_seconds', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint(`${table}_pk`, [grain, 'extension', 'fate'])
        .execute();
    }
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('call_missed_rollups_daily').execute();
    await db.schema.dropTable('call_missed_rollups').execute();
    await db.schema.dropIndex('calls_missed_open_idx').execute();
    await db.schema.dropIndex('calls_connected_client_idx').execute();
    await db.schema.alterTable('calls').dropColumn('return_direction').execute();
    await db.schema.alterTable('calls').dropColumn('return_at').execute();
  },
};
