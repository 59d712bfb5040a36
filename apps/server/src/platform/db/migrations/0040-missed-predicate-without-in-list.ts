/**
 * The five partial indexes of missed calls (`calls_missed_idx` 0011, `calls_missed_open_idx` 0017,
 * `calls_missed_returned_idx` 0029, `calls_missed_open_contact_idx` 0032, `calls_missed_hour_idx` 0039) recreated —
 * same names, columns and rows — with the missed outcomes written as `(outcome = 'no_answer' or …)` instead of
 * `outcome in ('no_answer', …)`. Why: SQLite evaluates a partial index's predicate on every write of a row, and an
 * `in` list of more than two constants is built there as a temporary B-tree each time (no `Once` in a row's
 * index code): seven per call inserted, fourteen per call updated, about 2 µs each — a fifth of the fold's CPU for
 * a new number's ring and end (`telephony-ingest.bench.ts`). The comparisons cost nothing of the sort, select the
 * same rows, and the readers write the same text (missed-call-condition.ts `MISSED_PREDICATE`, held equal by its
 * test), so both planners still match these indexes; a query pinned to one outcome (`outcome = 'busy'`) even
 * implies the new predicate on SQLite.
 */
import { type Kysely, type Migration, type SqlBool, sql } from 'kysely';
import { dialectOf } from '../column-types.js';

/** A migration is frozen once shipped: its own copies of the predicates and expressions. */
const OUTCOMES = ['no_answer', 'busy', 'cancelled', 'ivr_hangup'];
export const MISSED_PREDICATE = `direction <> 'outbound' and (${OUTCOMES.map((o) => `outcome = '${o}'`).join(' or ')})`;
const OLD_MISSED_PREDICATE = `direction <> 'outbound' and outcome in (${OUTCOMES.map((o) => `'${o}'`).join(', ')})`;
const UTC_HOUR_OF_WEEK = {
  sqlite: "((cast(strftime('%s', started_at) as integer) / 3600) % 168)",
  postgres: "((floor(extract(epoch from (started_at at time zone 'UTC')) / 3600))::bigint % 168)",
} as const;
/** Missed calls we returned (0029's index): the delay's index and the call log's returned classes read it. */
export const MISSED_RETURNED_PREDICATE = `${MISSED_PREDICATE} and return_at is not null and return_direction = 'out'`;
export const RETURN_DELAY_MS = {
  sqlite: "round((unixepoch(return_at, 'subsec') - unixepoch(started_at, 'subsec')) * 1000)",
  postgres: '(extract(epoch from (return_at - started_at)) * 1000)',
} as const;
const HOUR_COVERED =
  'started_at, id, agent_user_id, contact_id, direction, outcome, is_recorded, agent_extension, return_at';
const CONTACT_COVERED =
  'contact_id, started_at, id, agent_user_id, direction, outcome, is_recorded, agent_extension, return_at';

/** Each index: its name, its key (columns or expressions, per dialect) and what follows the missed predicate. */
function indexes(dialect: 'sqlite' | 'postgres') {
  return [
    { name: 'calls_missed_idx', key: 'started_at', more: '' },
    { name: 'calls_missed_open_idx', key: 'started_at', more: ' and return_at is null' },
    {
      name: 'calls_missed_returned_idx',
      key: `${RETURN_DELAY_MS[dialect]}, started_at, id`,
      more: " and return_at is not null and return_direction = 'out'",
    },
    { name: 'calls_missed_open_contact_idx', key: CONTACT_COVERED, more: ' and return_at is null' },
    { name: 'calls_missed_hour_idx', key: `${UTC_HOUR_OF_WEEK[dialect]}, ${HOUR_COVERED}`, more: '' },
  ];
}

async function recreate(db: Kysely<unknown>, missed: string): Promise<void> {
  const dialect = dialectOf(db);
  for (const index of indexes(dialect)) {
    await db.schema.dropIndex(index.name).execute();
    await db.schema
      .createIndex(index.name)
      .on('calls')
      .expression(sql.raw(index.key))
      .where(sql<SqlBool>`${sql.raw(`${missed}${index.more}`)}`)
      .execute();
  }
  if (dialect === 'postgres') {
    // The expression indexes' statistics (the delay's, the hour's), as 0029 and 0039 keep them.
    await sql`analyze calls`.execute(db);
  }
}

export const migration0040MissedPredicateWithoutInList: Migration = {
  async up(db: Kysely<unknown>) {
    await recreate(db, MISSED_PREDICATE);
  },
  async down(db: Kysely<unknown>) {
    await recreate(db, OLD_MISSED_PREDICATE);
  },
};
