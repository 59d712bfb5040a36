/**
 * The durable table queue on SQLite (`jobs`, migration 0008): leases, retries with backoff and jitter, an
 * idempotency key, `run_at` scheduling, dead letters. Statements are prepared once and run on the app's
 * connection through `onSqliteConnection` (under Kysely's lock, or at once inside the caller's transaction), so a
 * job enqueued in a transaction commits or rolls back with it. A claim is one BEGIN IMMEDIATE transaction, so
 * several processes on one file never run a job twice while its lease holds; a busy database is waited for
 * asynchronously like every other write.
 */
import type SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { type DatabaseHandle, onSqliteConnection } from '../db/database.js';
import type { JobsTable } from '../db/schema/jobs.js';
import type { Database } from '../db/schema.js';
import { newId } from '../ids.js';
import { madeByDeadProcess, type ProcessIdentity } from '../instances/process-identity.js';
import { type BackoffPolicy, checkEnqueue, DEFAULT_BACKOFF } from './job-options.js';
import type { EnqueuedJob, EnqueueOptions, JobHandler, JobQueueDriver, JobRecord } from './job-queue.js';
import { type ClaimedJob, createJobWorker, type JobStore } from './job-worker.js';
import { kyselyOf } from './kysely-job-transaction.js';

export interface SqliteJobQueueOptions {
  /** The app's SQLite database (`openDatabase`), migrated. */
  readonly database: Pick<DatabaseHandle, 'db' | 'sqlite'>;
  /** The clock (default `Date.now`); tests move it to make leases expire and retries fall due. */
  readonly now?: () => number;
  /** Pause between looks at the table when nothing is due, ms (default 1000; an enqueue here wakes it). */
  readonly pollMs?: number;
  /** A claimed job's lease, ms (default 5 min, renewed while its handler runs). */
  readonly leaseMs?: number;
  /** Jobs run at once (default 4). */
  readonly concurrency?: number;
  readonly backoff?: BackoffPolicy;
  readonly random?: () => number;
  /** How long done jobs are kept, and so how long an idempotency key holds after completion (default 7 days). */
  readonly keepDoneMs?: number;
  readonly onError?: (error: unknown, context: string) => void;
  /** This process (default: the real one) and how to tell a PID runs: what tells a dead worker on this machine. */
  readonly self?: ProcessIdentity;
  readonly isRunning?: (pid: number) => boolean;
}

const iso = (ms: number) => new Date(ms).toISOString();

interface ClaimRow {
  id: string;
  name: string;
  payload: string;
  attempts: number;
  max_attempts: number;
}

/** The prepared statements, made on first use (the table exists once migrations ran). */
function prepareStatements(sqlite: SQLite.Database) {
  const insert = sqlite.prepare(
    `INSERT INTO jobs (id, name, payload, status, idempotency_key, attempts, max_attempts, run_at, created_at, updated_at)
     VALUES (?, ?, ?, 'queued', ?, 0, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  );
  const byKey = sqlite.prepare('SELECT id FROM jobs WHERE name = ? AND idempotency_key = ?').pluck();
  // A worker that died on a job's last attempt: nobody will finish it, so it is dead (its lease ran out).
  const expireLast = sqlite.prepare(
    `UPDATE jobs SET status = 'dead', finished_at = @now, updated_at = @now, locked_by = NULL, locked_until = NULL,
       last_error = COALESCE(last_error || ' — then ', '') || 'the worker running it stopped (lease expired)'
     WHERE status = 'running' AND locked_until <= @now AND attempts >= max_attempts`,
  );
  // Two index-backed halves (jobs_due_idx, jobs_leased_idx): what is due, and what a dead worker left behind.
  const claim = sqlite.prepare(
    `UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_until = @until, locked_by = @worker,
       updated_at = @now
     WHERE id IN (
       SELECT id FROM jobs WHERE status = 'queued' AND run_at <= @now
         AND name IN (SELECT value FROM json_each(@names))
       UNION ALL
       SELECT id FROM jobs WHERE status = 'running' AND locked_until <= @now
         AND name IN (SELECT value FROM json_each(@names))
       LIMIT @limit)
     RETURNING id, name, payload, attempts, max_attempts`,
  );
  const claimTransaction = sqlite.transaction(
    (params: { now: string; until: string; worker: string; names: string; limit: number }) => {
      expireLast.run({ now: params.now });
      return claim.all(params) as ClaimRow[];
    },
  );
  const complete = sqlite.prepare(
    `UPDATE jobs SET status = 'done', locked_until = NULL, locked_by = NULL, finished_at = ?, updated_at = ?
     WHERE id = ? AND locked_by = ? AND status = 'running'`,
  );
  const retry = sqlite.prepare(
    `UPDATE jobs SET status = 'queued', run_at = ?, locked_until = NULL, locked_by = NULL, last_error = ?,
       updated_at = ?
     WHERE id = ? AND locked_by = ? AND status = 'running'`,
  );
  const bury = sqlite.prepare(
    `UPDATE jobs SET status = 'dead', locked_until = NULL, locked_by = NULL, last_error = ?, finished_at = ?,
       updated_at = ?
     WHERE id = ? AND locked_by = ? AND status = 'running'`,
  );
  const extend = sqlite.prepare(
    `UPDATE jobs SET locked_until = ? WHERE id = ? AND locked_by = ? AND status = 'running'`,
  );
  const prune = sqlite.prepare(`DELETE FROM jobs WHERE status = 'done' AND finished_at < ?`);
  return { insert, byKey, claimTransaction, complete, retry, bury, extend, prune };
}

function toRecord(row: JobsTable): JobRecord {
  return {
    id: row.id,
    name: row.name,
    payload: JSON.parse(row.payload) as unknown,
    status: row.status,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    runAt: row.run_at,
    lastError: row.last_error,
    idempotencyKey: row.idempotency_key,
    createdAt: row.created_at,
  };
}

/**
 * Creates the SQLite table queue (call `start()` to run jobs).
 * Why: an embedded install has no PostgreSQL, and its jobs must still survive restarts and crashes.
 */
export function createSqliteJobQueue(options: SqliteJobQueueOptions): JobQueueDriver {
  const { db, sqlite } = options.database;
  if (!sqlite) {
    throw new TypeError('createSqliteJobQueue needs a SQLite database');
  }
  const now = options.now ?? Date.now;
  const handlers = new Map<string, JobHandler>();
  let statements: ReturnType<typeof prepareStatements> | null = null;
  const sql = () => {
    statements ??= prepareStatements(sqlite);
    return statements;
  };

  const store: JobStore = {
    async claim(names, limit, workerId, until, at) {
      const params = {
        now: iso(at),
        until: iso(until),
        worker: workerId,
        names: JSON.stringify(names),
        limit,
      };
      const rows = await onSqliteConnection(db, () => sql().claimTransaction.immediate(params));
      return rows.map(
        (row): ClaimedJob => ({
          id: row.id,
          name: row.name,
          payloadJson: row.payload,
          attempts: row.attempts,
          maxAttempts: row.max_attempts,
        }),
      );
    },
    async complete(id, workerId, at) {
      const when = iso(at);
      await onSqliteConnection(db, () => sql().complete.run(when, when, id, workerId));
    },
    async fail(id, workerId, error, retryAt, at) {
      const when = iso(at);
      await onSqliteConnection(db, () =>
        retryAt === null
          ? sql().bury.run(error, when, when, id, workerId)
          : sql().retry.run(iso(retryAt), error, when, id, workerId),
      );
    },
    async extend(ids, workerId, until) {
      const when = iso(until);
      await onSqliteConnection(db, () => {
        for (const id of ids) {
          sql().extend.run(when, id, workerId);
        }
      });
    },
    async prune(before) {
      await onSqliteConnection(db, () => sql().prune.run(iso(before)));
    },
  };

  const worker = createJobWorker({
    store,
    handlers,
    now,
    pollMs: options.pollMs ?? 1000,
    leaseMs: options.leaseMs ?? 5 * 60_000,
    concurrency: options.concurrency ?? 4,
    backoff: options.backoff ?? DEFAULT_BACKOFF,
    keepDoneMs: options.keepDoneMs ?? 7 * 24 * 3600_000,
    ...(options.random ? { random: options.random } : {}),
    onError: options.onError ?? (() => {}),
  });

  async function insert(target: Kysely<Database>, name: string, payload: unknown, enqueue: EnqueueOptions) {
    const checked = checkEnqueue(name, payload, enqueue);
    const at = iso(now());
    const id = newId();
    return onSqliteConnection(target, (): EnqueuedJob => {
      const { insert: statement, byKey } = sql();
      const runAt = checked.runAt === null ? at : iso(checked.runAt);
      const args = [
        id,
        name,
        checked.payloadJson,
        checked.idempotencyKey,
        checked.maxAttempts,
        runAt,
        at,
        at,
      ];
      if (statement.run(...args).changes === 1) {
        return { id, created: true };
      }
      return { id: byKey.get(name, checked.idempotencyKey) as string, created: false };
    });
  }

  /**
   * Ends the leases held by workers of processes of this machine that are gone (a crash): the worker's first look
   * takes their jobs again at once, or buries one on its last attempt, as it does any expired lease.
   * Why: otherwise a crash restart leaves them for the whole lease (5 min).
   */
  async function endLeasesOfDeadWorkers(): Promise<void> {
    const holders = await db
      .selectFrom('jobs')
      .select('locked_by')
      .distinct()
      .where('status', '=', 'running')
      .where('locked_by', 'is not', null)
      .execute();
    const dead = holders
      .map((row) => row.locked_by as string)
      .filter((holder) => holder !== worker.id && madeByDeadProcess(holder, options.self, options.isRunning));
    if (dead.length > 0) {
      await db
        .updateTable('jobs')
        .set({ locked_until: iso(0) })
        .where('status', '=', 'running')
        .where('locked_by', 'in', dead)
        .execute();
    }
  }

  const selectJob = (id: string) => db.selectFrom('jobs').selectAll().where('id', '=', id);

  return {
    kind: 'sqlite',
    async enqueue<P>(name: string, payload: P, enqueue: EnqueueOptions = {}) {
      if (enqueue.trx) {
        // Visible to the worker once the caller commits: its next poll finds it.
        return insert(kyselyOf(enqueue.trx), name, payload, enqueue);
      }
      const job = await insert(db, name, payload, enqueue);
      worker.wake();
      return job;
    },
    handle<P>(name: string, handler: JobHandler<P>) {
      handlers.set(name, handler as JobHandler);
      worker.wake();
    },
    async start() {
      await endLeasesOfDeadWorkers();
      worker.start();
    },
    stop: () => worker.stop(),
    close: () => worker.stop(),
    async get(id) {
      const row = await selectJob(id).executeTakeFirst();
      return row ? toRecord(row) : null;
    },
    async listDead(listOptions = {}) {
      const rows = await db
        .selectFrom('jobs')
        .selectAll()
        .where('status', '=', 'dead')
        .where('finished_at', 'is not', null)
        .orderBy('finished_at', 'desc')
        .orderBy('id', 'desc')
        .limit(listOptions.limit ?? 100)
        .execute();
      return rows.map(toRecord);
    },
    async retryDead(id) {
      const at = iso(now());
      const result = await db
        .updateTable('jobs')
        .set((eb) => ({
          status: 'queued',
          run_at: at,
          // One more attempt, decided by an admin: failing again makes it dead again.
          max_attempts: eb('attempts', '+', 1),
          finished_at: null,
          locked_until: null,
          locked_by: null,
          updated_at: at,
        }))
        .where('id', '=', id)
        .where('status', '=', 'dead')
        .executeTakeFirst();
      worker.wake();
      return result.numUpdatedRows > 0n;
    },
    async discardDead(id) {
      const result = await db
        .deleteFrom('jobs')
        .where('id', '=', id)
        .where('status', '=', 'dead')
        .executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
  };
}
