/**
 * The first call stored with a signed `caller_id` and start (`CallRepository.ringingFacts`), the ringing popup's
 * replay check (use-cases/handle-call-ringing.ts, domain/ringing-trust.ts). It runs for every
 * NOTIFY_INTERNAL, so the query is built once (platform/db/prepared-query.ts) and answered by one seek on
 * `calls_signed_start_idx` (migration 0023) however many calls started in that second. Why apart from the fold's
 * writes: a read with an index of its own, which the write path never needs.
 */
import type SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { preparedQuery } from '../../../platform/db/prepared-query.js';
import type { Database } from '../../../platform/db/schema.js';
import type { SignedStart } from '../ports.js';

const firstSigned = preparedQuery((db, callerId: string, startedAt: string, callStart: string) =>
  db
    .selectFrom('calls')
    .select('pbx_call_id')
    .where('caller_id', '=', callerId)
    .where('started_at', '=', startedAt)
    .where('call_start', '=', callStart)
    .orderBy('created_at')
    .orderBy('pbx_call_id')
    .limit(1),
);

/** The `pbx_call_id` of the first call stored with these signed fields over `db`, or null. */
export async function firstSignedWith(db: Kysely<Database>, signed: SignedStart): Promise<string | null> {
  const { rows } = await firstSigned(db, signed.callerId, signed.startedAt, signed.callStart);
  return rows[0]?.pbx_call_id ?? null;
}

/**
 * The same lookup as a native prepared statement on SQLite's connection, run synchronously (the caller holds the
 * connection). Why: it runs for every NOTIFY_INTERNAL inside the processing batch, and going through Kysely's
 * driver (a connection lease, promises, a result object) cost several times SQLite's own seek. The first call is
 * chosen here rather than by `order by … limit 1`, which has SQLite open a sorter for every seek (~5 µs, measured
 * beside the seek's ~10 µs) to order what is as a rule no row, at most a few.
 */
export function sqliteFirstSignedWith(sqlite: SQLite.Database): (signed: SignedStart) => string | null {
  const statement = sqlite.prepare<[string, string, string], { pbx_call_id: string; created_at: string }>(
    'select pbx_call_id, created_at from calls where caller_id = ? and started_at = ? and call_start = ?',
  );
  return (signed) => {
    let first: { pbx_call_id: string; created_at: string } | null = null;
    for (const row of statement.all(signed.callerId, signed.startedAt, signed.callStart)) {
      if (
        first === null ||
        row.created_at < first.created_at ||
        (row.created_at === first.created_at && row.pbx_call_id < first.pbx_call_id)
      ) {
        first = row;
      }
    }
    return first?.pbx_call_id ?? null;
  };
}
