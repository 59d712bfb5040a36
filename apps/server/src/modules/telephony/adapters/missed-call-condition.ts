/**
 * "A missed inbound call" and "missed and not returned" as SQL — the one rule (domain:
 * `isMissedNotReturned`, missed-call-classification.ts) read by the dashboard, the missed-calls list, the call
 * log's filter and, as the `open` bucket, the statistics. Written with literals so that both databases match
 * them to the partial indexes (migration 0011: `calls_missed_idx`; 0017: `calls_missed_open_idx`) — a bound
 * parameter would hide the match from SQLite. Telephony's public file for the CRM's dashboard.
 */
import { type RawBuilder, type SqlBool, sql } from 'kysely';
import { MISSED_OUTCOMES } from '../domain/call-outcome.js';

/** The index's predicate text (migration 0011 repeats it verbatim; a test holds them equal). */
export const MISSED_PREDICATE = `direction <> 'outbound' and outcome in (${MISSED_OUTCOMES.map((o) => `'${o}'`).join(', ')})`;

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
