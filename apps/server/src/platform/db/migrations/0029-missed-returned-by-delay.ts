/**
 * `calls_missed_returned_idx`: the missed calls we returned, by the delay to the return (issue 11: the call log's
 * first page bounded whatever the filters). A statistics figure "returned within N minutes" / "within 24 h" opens
 * its calls through the log's `fate` filter; without this index each missed stream was walked by start time to its
 * end looking for the rare returns within the window (measured before at 10 M calls: within 30 min 6.2 s on
 * SQLite, 3.8 s on PostgreSQL; within 24 h 18 s on PostgreSQL). With it the log ranges over the delay and sorts
 * the class's few calls. The delay is the expression `returnOfClass` (missed-call-condition.ts) compares, written
 * the same so both databases match it (a test holds them equal); the predicate is the missed one and "returned
 * by us", as literals. Small: calls we returned are a few in a hundred.
 */
import { type Kysely, type Migration, type SqlBool, sql } from 'kysely';
import { dialectOf } from '../column-types.js';

/** A migration is frozen once shipped: its own copy of the predicate and of the delay. */
export const MISSED_RETURNED_PREDICATE =
  "direction <> 'outbound' and outcome in ('no_answer', 'busy', 'cancelled', 'ivr_hangup') and return_at is not null and return_direction = 'out'";
export const RETURN_DELAY_MS = {
  sqlite: "round((unixepoch(return_at, 'subsec') - unixepoch(started_at, 'subsec')) * 1000)",
  postgres: '(extract(epoch from (return_at - started_at)) * 1000)',
} as const;

export const migration0029MissedReturnedByDelay: Migration = {
  async up(db: Kysely<unknown>) {
    const delay = RETURN_DELAY_MS[dialectOf(db)];
    await db.schema
      .createIndex('calls_missed_returned_idx')
      .on('calls')
      .expression(sql`${sql.raw(delay)}, started_at, id`)
      .where(sql<SqlBool>`${sql.raw(MISSED_RETURNED_PREDICATE)}`)
      .execute();
    if (dialectOf(db) === 'postgres') {
      // The delay's statistics, kept by ANALYZE for an expression index: without them PostgreSQL guesses a third
      // of the calls within any window and walks the start-time order instead (measured: 0.7-7.6 s at 10 M).
      await sql`analyze calls`.execute(db);
    }
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex('calls_missed_returned_idx').execute();
  },
};
