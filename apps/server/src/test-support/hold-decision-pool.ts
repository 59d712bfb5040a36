/**
 * The PostgreSQL decision pool (`DatabaseHandle.replyPrepared`) of a handle opened with `decisionPoolSize: 1`,
 * held busy and looked into. Why: a test of what a decision does while every decision connection is busy must say
 * itself when the connection comes free (never a clock), and must see on the server which named statements that
 * one connection was ever sent.
 */
import { randomInt } from 'node:crypto';
import pg from 'pg';
import type { DatabaseHandle } from '../platform/db/database.js';
import { TEST_DATABASE_URL } from './test-database.js';
import { until } from './until.js';

/** The name of the statement holding the connection (`holdDecisionPool`). */
export const HOLD_STATEMENT = 'sb_test_hold';
const STATEMENTS_STATEMENT = 'sb_test_statements';

export interface DecisionPoolHold {
  /** The process id of the held connection's backend (as the server shows it waiting). */
  readonly backendPid: number;
  /**
   * Frees the connection; resolves with its backend's process id once the holding statement has ended (rejects
   * as it does, when the statement failed).
   */
  release(): Promise<number>;
}

function runOf(handle: DatabaseHandle): NonNullable<DatabaseHandle['replyPrepared']> {
  if (!handle.replyPrepared) {
    throw new Error('expected a PostgreSQL handle');
  }
  return handle.replyPrepared;
}

/**
 * Occupies the decision pool's one connection until `release()`: it runs a statement waiting for an advisory
 * lock a session of this helper holds, and this returns once the server shows that statement waiting. Statements
 * asked of the pool meanwhile queue for the connection, in order. The key is random: advisory locks are the whole
 * database's, and suites run side by side.
 */
export async function holdDecisionPool(handle: DatabaseHandle): Promise<DecisionPoolHold> {
  const run = runOf(handle);
  const key = randomInt(1, 2 ** 31 - 1);
  const locker = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await locker.connect();
  await locker.query('select pg_advisory_lock($1::bigint)', [key]);
  const held = run<{ pid: number }>(
    HOLD_STATEMENT,
    'select pg_backend_pid() as pid, pg_advisory_xact_lock($1::bigint) as locked',
    [key],
  );
  // Awaited by release(); until then a failure must not surface as an unhandled rejection.
  held.catch(() => {});
  // A bigint key shows in pg_locks as classid (its high 32 bits, here 0) and objid (its low 32 bits).
  const backendPid = await until(
    async () =>
      (
        await locker.query<{ pid: number }>(
          `select pid from pg_locks where locktype = 'advisory' and classid = 0 and objid = $1 and not granted`,
          [key],
        )
      ).rows[0]?.pid ?? null,
    'the decision connection waiting on the advisory lock',
  );
  return {
    backendPid,
    async release() {
      try {
        await locker.query('select pg_advisory_unlock($1::bigint)', [key]);
      } finally {
        await locker.end();
      }
      const [row] = await held;
      if (!row) {
        throw new Error('the holding statement answered no row');
      }
      return row.pid;
    },
  };
}

/**
 * The backend process id of the decision pool's one connection and the named statements that connection has
 * prepared (PostgreSQL's `pg_prepared_statements`: the session's own, whatever was sent to it — once parsed, a
 * named statement stays for the session's life). Why: a statement the pool never sent is absent here, and the id
 * shows the connection was not replaced by a fresh one (which would show none).
 */
export async function decisionConnectionStatements(
  handle: DatabaseHandle,
): Promise<{ readonly pid: number; readonly names: readonly string[] }> {
  const [row] = await runOf(handle)<{ pid: number; names: string[] }>(
    STATEMENTS_STATEMENT,
    'select pg_backend_pid() as pid, array(select name::text from pg_prepared_statements order by name) as names',
    [],
  );
  if (!row) {
    throw new Error('pg_prepared_statements answered no row');
  }
  return { pid: row.pid, names: row.names.filter((name) => name !== STATEMENTS_STATEMENT) };
}
