/**
 * "A missed inbound call" as SQL, written with literals so that both databases match it to the partial index
 * of missed calls (migration 0011: `calls_missed_idx`) — a bound parameter would hide the match from SQLite.
 */
import { type RawBuilder, type SqlBool, sql } from 'kysely';
import { MISSED_OUTCOMES } from '../domain/call-outcome.js';

/** The index's predicate text (migration 0011 repeats it verbatim; a test holds them equal). */
export const MISSED_PREDICATE = `direction <> 'outbound' and outcome in (${MISSED_OUTCOMES.map((o) => `'${o}'`).join(', ')})`;

/** The predicate on the calls table under `alias`. */
export function missedCall(alias: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`(${sql.raw(MISSED_PREDICATE.replace(/\b(direction|outcome)\b/g, `${alias}.$1`))})`;
}
