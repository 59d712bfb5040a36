/**
 * The call log's derived columns and the statistics rollups (modules/telephony/domain/call-rollup.ts).
 * - `calls.outcome`, `agent_extension`, `attribution_rule`, `wait_seconds`: written by the fold with the rest of
 *   the record, so the log filters on the same words the statistics count by. NULL `attribution_rule` marks a
 *   row folded before this migration: start-up derives it (`derive-call-read-model.ts`).
 * - Indexes for the log's first page, newest first: by attributed extension, and by client number (also the
 *   "missed and not returned" check, which looks for a later connected call with the same client).
 * - `call_rollups`: per UTC hour × extension × direction × outcome, the number of calls, talk and wait seconds,
 *   kept by the fold's own transaction.
 */
import { type Kysely, type Migration, type SqlBool, sql } from 'kysely';

/** A migration is frozen once shipped: its own copy of the predicate, not an import that could change. */
const MISSED_PREDICATE =
  "direction <> 'outbound' and outcome in ('no_answer', 'busy', 'cancelled', 'ivr_hangup')";

export const migration0011CallLogAndRollups: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('calls').addColumn('outcome', 'text').execute();
    await db.schema.alterTable('calls').addColumn('agent_extension', 'text').execute();
    await db.schema.alterTable('calls').addColumn('attribution_rule', 'text').execute();
    await db.schema.alterTable('calls').addColumn('wait_seconds', 'integer').execute();
    await db.schema
      .createIndex('calls_agent_extension_idx')
      .on('calls')
      .columns(['agent_extension', 'started_at'])
      .where(sql.ref('agent_extension'), 'is not', null)
      .execute();
    await db.schema
      .createIndex('calls_client_e164_idx')
      .on('calls')
      .columns(['client_e164', 'started_at'])
      .where(sql.ref('client_e164'), 'is not', null)
      .execute();
    // Missed inbound calls only (a fifth of calls or fewer): the statistics' missed-call classification and
    // the log's "missed and not returned" read them by start time. The predicate is
    // modules/telephony/adapters/missed-call-condition.ts's, verbatim (a test holds them equal).
    await db.schema
      .createIndex('calls_missed_idx')
      .on('calls')
      .column('started_at')
      .where(sql<SqlBool>`${sql.raw(MISSED_PREDICATE)}`)
      .execute();
    await db.schema
      .createTable('call_rollups')
      .addColumn('hour', 'integer', (c) => c.notNull())
      .addColumn('extension', 'text', (c) => c.notNull())
      .addColumn('direction', 'text', (c) => c.notNull())
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('calls', 'integer', (c) => c.notNull())
      .addColumn('talk_seconds', 'bigint', (c) => c.notNull())
      .addColumn('wait_seconds', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('call_rollups_pk', ['hour', 'extension', 'direction', 'outcome'])
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('call_rollups').execute();
    await db.schema.dropIndex('calls_missed_idx').execute();
    await db.schema.dropIndex('calls_client_e164_idx').execute();
    await db.schema.dropIndex('calls_agent_extension_idx').execute();
    for (const column of ['outcome', 'agent_extension', 'attribution_rule', 'wait_seconds']) {
      await db.schema.alterTable('calls').dropColumn(column).execute();
    }
  },
};
