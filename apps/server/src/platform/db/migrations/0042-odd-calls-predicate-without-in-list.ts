/**
 * `calls_log_odd_idx` (0021) recreated — same name, key and rows — with its predicate written without `in` lists:
 * `not (outcome = 'live' or …)` instead of `outcome not in ('live', …)`. Why, as for the missed calls' indexes in
 * 0040: SQLite evaluates a partial index's predicate on every write of a row and builds each `in` list of more
 * than two constants as a temporary B-tree there, each time — two per call inserted, four per outcome written,
 * the last ones the fold paid after 0040 (`telephony-ingest.bench.ts`). The comparisons select the same rows
 * (a NULL direction or recorded flag is in neither form; a NULL outcome is named by the first term in both), and the
 * call log writes the same text (kysely-call-log.ts `ODD_CALL_PREDICATE`, held equal by its test), so both planners
 * still read the odd calls' stream from this index.
 */
import { type Kysely, type Migration, type SqlBool, sql } from 'kysely';

/** A migration is frozen once shipped: its own copies of the predicates. */
const OUTCOMES = [
  'live',
  'answered',
  'no_answer',
  'busy',
  'cancelled',
  'ivr_hangup',
  'failed',
  'blacklisted',
  'unknown',
];
const DIRECTIONS = ['inbound', 'outbound', 'unknown'];
const noneOf = (column: string, values: readonly string[]) =>
  `not (${values.map((v) => `${column} = ${v}`).join(' or ')})`;
export const ODD_CALL_PREDICATE = `outcome is null or ${noneOf(
  'outcome',
  OUTCOMES.map((o) => `'${o}'`),
)} or ${noneOf(
  'direction',
  DIRECTIONS.map((d) => `'${d}'`),
)} or ${noneOf('is_recorded', ['0', '1'])}`;
const OLD_ODD_CALL_PREDICATE =
  "outcome is null or outcome not in ('live', 'answered', 'no_answer', 'busy', 'cancelled', 'ivr_hangup', 'failed', 'blacklisted', 'unknown') or direction not in ('inbound', 'outbound', 'unknown') or is_recorded not in (0, 1)";

async function recreate(db: Kysely<unknown>, predicate: string): Promise<void> {
  await db.schema.dropIndex('calls_log_odd_idx').execute();
  await db.schema
    .createIndex('calls_log_odd_idx')
    .on('calls')
    .columns(['started_at', 'id'])
    .where(sql<SqlBool>`${sql.raw(predicate)}`)
    .execute();
}

export const migration0042OddCallsPredicateWithoutInList: Migration = {
  async up(db: Kysely<unknown>) {
    await recreate(db, ODD_CALL_PREDICATE);
  },
  async down(db: Kysely<unknown>) {
    await recreate(db, OLD_ODD_CALL_PREDICATE);
  },
};
