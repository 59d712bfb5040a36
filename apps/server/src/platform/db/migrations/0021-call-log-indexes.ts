/**
 * The call log's first page in bounded time whatever the filters (issue 11; ARCHITECTURE.md "The call log").
 * The log reads one ordered range per (direction, outcome, recorded) value its filters allow and merges them by
 * start time (modules/telephony/adapters/kysely-call-log.ts `callLogStreams`): each range is a prefix of one of
 * these indexes, ordered by `(started_at, id)` after it, so a combination that matches few calls or none costs a
 * few index seeks instead of a walk along the start-time index.
 * - `calls_log_dims_idx`: the whole log; `calls_log_agent_idx`: an attributed extension's calls;
 *   `calls_log_user_idx`: an agent's own calls (the `userId` filter and an agent's visibility).
 * - `calls_log_contact_idx`: an agent's clients' calls (visibility), with the filtered columns (read without the table).
 * - `calls_log_odd_idx`: the calls none of those values names (outcome not derived yet, a value written by hand);
 *   empty as a rule. Its predicate is the adapter's `ODD_CALL_PREDICATE`, verbatim (a test holds them equal).
 * On a big database this migration takes a while: each index reads every call once (measured: about 4 minutes
 * for all of them over 10 million calls on SQLite, on a loaded 2-core machine; the table is locked for writes
 * meanwhile, and PostgreSQL likewise — not `concurrently`, which cannot run in the migration's transaction).
 * Run it at a quiet hour.
 */
import { type Kysely, type Migration, type SqlBool, sql } from 'kysely';
import { dialectOf } from '../column-types.js';

/** A migration is frozen once shipped: its own copy of the predicate. */
const ODD_CALL_PREDICATE =
  "outcome is null or outcome not in ('live', 'answered', 'no_answer', 'busy', 'cancelled', 'ivr_hangup', 'failed', 'blacklisted', 'unknown') or direction not in ('inbound', 'outbound', 'unknown') or is_recorded not in (0, 1)";

const DIMS = ['direction', 'outcome', 'is_recorded', 'started_at', 'id'];
/** The columns the log's filters read, carried by the contact index so that it answers without the table. */
const CONTACT_COVERED = [
  'agent_user_id',
  'direction',
  'outcome',
  'is_recorded',
  'agent_extension',
  'return_at',
];

export const migration0021CallLogIndexes: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.createIndex('calls_log_dims_idx').on('calls').columns(DIMS).execute();
    await db.schema
      .createIndex('calls_log_agent_idx')
      .on('calls')
      .columns(['agent_extension', ...DIMS])
      .where(sql.ref('agent_extension'), 'is not', null)
      .execute();
    await db.schema
      .createIndex('calls_log_user_idx')
      .on('calls')
      .columns(['agent_user_id', ...DIMS])
      .where(sql.ref('agent_user_id'), 'is not', null)
      .execute();
    // An agent's clients' calls (their visibility's second branch): every one is read, from the index alone.
    await db.schema
      .createIndex('calls_log_contact_idx')
      .on('calls')
      .columns(['contact_id', 'started_at', 'id', ...CONTACT_COVERED])
      .where(sql.ref('contact_id'), 'is not', null)
      .execute();
    await db.schema
      .createIndex('calls_log_odd_idx')
      .on('calls')
      .columns(['started_at', 'id'])
      .where(sql<SqlBool>`${sql.raw(ODD_CALL_PREDICATE)}`)
      .execute();
    if (dialectOf(db) === 'postgres') {
      // PostgreSQL multiplies the three columns' selectivities as if independent, so it expects thousands of
      // recorded missed calls where there are none, and reads such a stream through the smaller
      // `calls_missed_idx`, filtering its way to the end (seconds). Their joint values, kept by ANALYZE,
      // show the stream empty, and the stream's own index wins.
      await sql`create statistics calls_log_dims_stats (mcv) on direction, outcome, is_recorded from calls`.execute(
        db,
      );
      await sql`analyze calls`.execute(db);
    }
  },
  async down(db: Kysely<unknown>) {
    if (dialectOf(db) === 'postgres') {
      await sql`drop statistics if exists calls_log_dims_stats`.execute(db);
    }
    for (const name of [
      'calls_log_odd_idx',
      'calls_log_contact_idx',
      'calls_log_user_idx',
      'calls_log_agent_idx',
      'calls_log_dims_idx',
    ]) {
      await db.schema.dropIndex(name).execute();
    }
  },
};
