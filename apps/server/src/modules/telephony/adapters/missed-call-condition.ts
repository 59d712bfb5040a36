/**
 * "A missed inbound call" and "missed and not returned" as SQL — the one rule (domain:
 * `isMissedNotReturned`, missed-call-classification.ts) read by the dashboard, the missed-calls list, the call
 * log's filter and, as the `open` bucket, the statistics. Written with literals so that both databases match
 * them to the partial indexes (`calls_missed_idx`, `calls_missed_open_idx` and the others of migration 0040) — a bound
 * parameter would hide the match from SQLite. Telephony's public file for the CRM's dashboard.
 */
import { type RawBuilder, type SqlBool, sql } from 'kysely';
import { MISSED_OUTCOMES } from '../domain/call-outcome.js';
import type { MissedCallClass } from '../domain/missed-call-classification.js';

/**
 * The index's predicate text (migration 0040 repeats it verbatim; a test holds them equal). The outcomes as
 * comparisons, not an `in` list: SQLite builds a list of more than two constants as a temporary B-tree each time a
 * partial index's predicate is evaluated on a row's write, which cost the fold a fifth of its CPU (migration 0040).
 */
export const MISSED_PREDICATE = `direction <> 'outbound' and (${MISSED_OUTCOMES.map((o) => `outcome = '${o}'`).join(' or ')})`;

/**
 * Missed and not returned: no connected call with the same client after it (the fold keeps `return_at`,
 * missed-call-fates.ts). Migration 0017's `calls_missed_open_idx` repeats it verbatim.
 */
export const MISSED_NOT_RETURNED_PREDICATE = `${MISSED_PREDICATE} and return_at is null`;

function onAlias(predicate: string, alias: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`(${sql.raw(predicate.replace(/\b(direction|outcome|return_at)\b/g, `${alias}.$1`))})`;
}

/** The missed predicate on the calls table under `alias`. */
export function missedCall(alias: string): RawBuilder<SqlBool> {
  return onAlias(MISSED_PREDICATE, alias);
}

/** The "missed and not returned" predicate on the calls table under `alias`. */
export function missedNotReturned(alias: string): RawBuilder<SqlBool> {
  return onAlias(MISSED_NOT_RETURNED_PREDICATE, alias);
}

/**
 * Missed calls of one class for the return window `returnWithinMinutes` (any N) — the SQL of `classifyReturn`
 * (missed-call-classification.ts) over the stored return: a figure of the statistics' "missed calls classified"
 * opens exactly the calls it counts.
 */
export function missedCallOfClass(
  alias: string,
  missedClass: MissedCallClass,
  returnWithinMinutes: number,
  dialect: 'sqlite' | 'postgres',
): RawBuilder<SqlBool> {
  if (missedClass === 'not_returned') {
    // Verbatim: the partial indexes' own predicate.
    return missedNotReturned(alias);
  }
  return sql<SqlBool>`(${missedCall(alias)} and ${returnOfClass(alias, missedClass, returnWithinMinutes, dialect)})`;
}

/**
 * The return part alone of `missedCallOfClass`: for a query already pinned to one missed direction and outcome
 * (the call log's streams), where repeating the missed condition makes SQLite sort the whole stream instead of
 * reading it in order. Seconds to the return are rounded as `secondsToReturn` rounds them:
 * `round(ms / 1000) ≤ K` ⟺ `ms < 1000 K + 500`.
 */
export function returnOfClass(
  alias: string,
  missedClass: MissedCallClass,
  returnWithinMinutes: number,
  dialect: 'sqlite' | 'postgres',
): RawBuilder<SqlBool> {
  const a = sql.raw(alias);
  if (missedClass === 'not_returned') {
    return sql<SqlBool>`${a}.return_at is null`;
  }
  if (missedClass === 'client_called_back') {
    return sql<SqlBool>`(${a}.return_at is not null and (${a}.return_direction is null or ${a}.return_direction <> 'out'))`;
  }
  const ms =
    dialect === 'postgres'
      ? sql`(extract(epoch from (${a}.return_at - ${a}.started_at)) * 1000)`
      : sql`round((unixepoch(${a}.return_at, 'subsec') - unixepoch(${a}.started_at, 'subsec')) * 1000)`;
  const within = (seconds: number) => sql.lit(seconds * 1000 + 500);
  const ours = sql<SqlBool>`${a}.return_at is not null and ${a}.return_direction = 'out'`;
  const windowSeconds = returnWithinMinutes * 60;
  switch (missedClass) {
    case 'returned_within_n':
      return sql<SqlBool>`(${ours} and ${ms} < ${within(windowSeconds)})`;
    case 'returned_within_24h':
      return sql<SqlBool>`(${ours} and ${ms} >= ${within(windowSeconds)} and ${ms} < ${within(DAY_SECONDS)})`;
    default:
      return sql<SqlBool>`(${ours} and ${ms} >= ${within(DAY_SECONDS)})`;
  }
}

const DAY_SECONDS = 86_400;
