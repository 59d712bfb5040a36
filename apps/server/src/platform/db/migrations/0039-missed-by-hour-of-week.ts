/**
 * `calls_missed_hour_idx`: the missed calls by their UTC hour of the week (issue 11: a heatmap cell's calls in the
 * call log ≤ 50 ms at 10 M calls). A cell over a year is read as weekly runs, each "start time in the run's span and
 * hour of the week in its list" (domain/local-hour-slots.ts `weeklyRuns`). For "missed" an agent's own calls were
 * read as sixteen ordered streams (direction × outcome × recorded), each walking the agent's missed calls of the
 * span and computing every row's hour of the week (measured before at 10 M calls on SQLite: p50 104–141 ms at load
 * 25; on PostgreSQL at 1 M p95 366–459 ms, 26–78 ms of it planning seventeen arms). With this index a run is one
 * range: the cell's missed calls of the span, newest first, read from the index alone until the page is full.
 * The hour is the expression `hourOfWeek` (kysely-call-log.ts) compares, written the same so both databases match
 * it (a test holds them equal); on PostgreSQL through `at time zone 'UTC'`, since `extract(epoch from timestamptz)`
 * is not immutable and cannot be indexed. Partial: a call write maintains it only while the call is a missed call
 * (about a fifth of the calls), one entry each.
 */
import { type Kysely, type Migration, type SqlBool, sql } from 'kysely';
import { dialectOf } from '../column-types.js';

/** A migration is frozen once shipped: its own copy of the predicate and of the hour. */
export const MISSED_PREDICATE =
  "direction <> 'outbound' and outcome in ('no_answer', 'busy', 'cancelled', 'ivr_hangup')";
export const UTC_HOUR_OF_WEEK = {
  sqlite: "((cast(strftime('%s', started_at) as integer) / 3600) % 168)",
  postgres: "((floor(extract(epoch from (started_at at time zone 'UTC')) / 3600))::bigint % 168)",
} as const;
/** The columns an agent's view filters a missed call by, so the index answers alone (as migration 0032's). */
const COVERED =
  'started_at, id, agent_user_id, contact_id, direction, outcome, is_recorded, agent_extension, return_at';

export const migration0039MissedByHourOfWeek: Migration = {
  async up(db: Kysely<unknown>) {
    const hour = UTC_HOUR_OF_WEEK[dialectOf(db)];
    await db.schema
      .createIndex('calls_missed_hour_idx')
      .on('calls')
      .expression(sql`${sql.raw(hour)}, ${sql.raw(COVERED)}`)
      .where(sql<SqlBool>`${sql.raw(MISSED_PREDICATE)}`)
      .execute();
    if (dialectOf(db) === 'postgres') {
      // The hour's statistics, kept by ANALYZE for an expression index: without them PostgreSQL guesses how many
      // calls an hour holds and may prefer the sixteen streams' indexes.
      await sql`analyze calls`.execute(db);
    }
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex('calls_missed_hour_idx').execute();
  },
};
