/**
 * One Kysely instance over SQLite (better-sqlite3, the embedded default) or PostgreSQL (`DATABASE_URL`).
 * Both dialects return the same JS shapes: times as ISO-8601 UTC strings, counts and int8 as numbers,
 * booleans as 0/1 integers (SQLite cannot bind JS booleans), so repositories are written once.
 */
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import SQLite from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  PostgresDialect,
  type QueryResult,
  SqliteDialect,
} from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';

export type Dialect = 'sqlite' | 'postgres';

export type DatabaseTarget =
  | { readonly dialect: 'sqlite'; readonly file: string }
  | {
      readonly dialect: 'postgres';
      readonly url: string;
      readonly schema?: string;
      readonly poolSize?: number;
      /** Connections of the reply pool (`DatabaseHandle.replyDb`, default 7). */
      readonly replyPoolSize?: number;
      /** Connections kept for the decision's named statements (`DatabaseHandle.replyPrepared`, default 3). */
      readonly decisionPoolSize?: number;
      /**
       * False: derived writes wait for their WAL flush like every other commit (`derivedCommitsUnflushed`, default
       * true). For the bench's A/B of it.
       */
      readonly unflushedDerivedCommits?: boolean;
    };

export interface DatabaseHandle {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  /** The raw SQLite connection (only on SQLite), for pragmas and prepared statements on hot paths. */
  readonly sqlite: SQLite.Database | null;
  /**
   * On PostgreSQL, a small pool of its own for what a caller waits on while the phone rings (the webhook's
   * inbox append and the NOTIFY_START lookups): never queued behind processing, jobs or page loads on the main
   * pool, and never closed when idle. Absent on SQLite (one connection; its hot reads are prepared statements).
   */
  readonly replyDb?: Kysely<Database>;
  /**
   * On PostgreSQL, runs `text` as the named (server-side prepared) statement `name` on connections of its own (the
   * decision pool, `decisionPoolSize`, kept open like the reply pool's): parsed once per connection, and after five
   * runs on PostgreSQL's cached generic plan. Why: the NOTIFY_START decision's one statement
   * (kysely-caller-facts.ts) took ~1 ms to plan and ~0.2 ms to run; Kysely sends every query unnamed, planned
   * afresh. Connections of its own: on the reply pool it shared six with the inbox's group commits (up to three in
   * flight, each waiting for a WAL flush) and the refusal writes, so when flushes slowed a decision could queue for
   * a connection behind writes; here it never does. And fewer connections see every run, so its plan turns generic
   * sooner (after 15 runs, not 30). Absent on SQLite.
   * `signal` (the decision's budget): once aborted, a statement still waiting for a connection is never sent —
   * the connection goes straight back and the call rejects with the signal's reason (`runUnlessAbandoned`).
   */
  readonly replyPrepared?: <R>(
    name: string,
    text: string,
    values: readonly unknown[],
    signal?: AbortSignal,
  ) => Promise<R[]>;
  /**
   * On PostgreSQL (unless the target turns it off), transactions whose every write is derived from input already
   * stored durably — the webhook batches, which fold inbox entries and mark them processed in the same
   * transaction — commit without waiting for their WAL flush (`synchronous_commit = off` for that transaction,
   * kysely-unit-of-work.ts). A crash loses the last ones whole, and their entries, still `received`, are processed
   * again; what was acknowledged (the inbox entries, a refusal) still waits for its flush. Why: at 200 calls/s the
   * batches' flushes queued with the one a ringing caller's inbox entry waits on (WAL flushes run one at a time),
   * issue 12. SQLite's `synchronous=NORMAL` (no flush per commit in WAL mode) already commits so; false there.
   */
  readonly derivedCommitsUnflushed?: boolean;
  close(): Promise<void>;
}

export interface SqliteOptions {
  /**
   * How long a write waits, asynchronously, for another process's write lock before failing with
   * SQLITE_BUSY, ms (default 30 s). The event loop never waits: SQLite's own busy wait is off.
   */
  readonly busyDeadlineMs?: number;
  /**
   * Period of the background WAL checkpoint (`checkpointStep`), ms (default 250); 0 leaves SQLite's automatic
   * checkpoint on instead (one-off tools).
   */
  readonly checkpointMs?: number;
  /**
   * Period of the query planner's statistics refresh (`PRAGMA optimize`) on the checkpointer's thread, ms
   * (default one hour), the first one period after that thread starts. Only with a checkpointer (`checkpointMs` > 0).
   */
  readonly optimizeMs?: number;
}

const DEFAULT_CHECKPOINT_MS = 250;
/**
 * Frames in the log (4 KiB pages) from which a checkpoint ends with a RESTART (`checkpointStep`): 256 MiB, the WAL
 * file's kept size (`WAL_SIZE_LIMIT_BYTES`) — a few seconds of the NOTIFY_START bench at 200 calls/s. Why so many:
 * each RESTART holds the writers (a NOTIFY_START's inbox append among them) for ~1–8 ms. Measured there (2 runs
 * each, 7,000 requests): from 16,384 frames the NOTIFY_START p99 server-side was 1.25–2.48 ms and the server's CPU
 * 5.3–5.9 s; from 65,536 frames 1.04–1.37 ms and 4.9–5.0 s; with no RESTART (the log unbounded) 0.94–1.04 ms and
 * 7.4–8.1 s. A long log that the PASSIVE passes keep copied costs little more per commit (a copied frame is never
 * searched by a read; the file's growth, ~+30 µs per 20-page commit). Below it the log restarts by itself between
 * commits.
 */
const RESTART_AFTER_FRAMES = 65_536;
/**
 * The longest a RESTART checkpoint waits — holding the write lock — for readers to leave the log, ms. This process's
 * readers are synchronous statements; only another process's long read (a backup, a shell) makes it wait, and
 * then the writers wait with it, asynchronously.
 */
const RESTART_WAIT_MS = 50;
/**
 * The WAL file's size kept after the log restarts, bytes (`PRAGMA journal_size_limit`): the RESTART threshold's, so
 * that under load the file is rewritten in place rather than grown again after each restart. Why a limit at all: a
 * restart rewrites the file from its start without shrinking it; after a burst the file would keep the burst's size.
 */
const WAL_SIZE_LIMIT_BYTES = 256 * 1024 * 1024;
const DEFAULT_OPTIMIZE_MS = 3_600_000;
/**
 * Rows ANALYZE samples per index (`PRAGMA analysis_limit`), as SQLite advises for `PRAGMA optimize`. Why: on a
 * copy of the 1 M-call bench database (statistics dropped) the first `optimize=0x10002` took 25 s without it and
 * 3 s with it (load 23 on 2 cores), holding the write lock all along.
 */
const ANALYSIS_LIMIT = 400;
/**
 * Connections of PostgreSQL's reply pool (`DatabaseHandle.replyDb`): the inbox's group commits take two at most,
 * the NOTIFY_STARTs' entries four (kysely-inbox-repository.ts: beyond them they commit together), and one is left
 * for a blocked caller's refusal write, which the reply waits on too.
 */
const DEFAULT_REPLY_POOL_SIZE = 7;
/**
 * Connections of PostgreSQL's decision pool (`DatabaseHandle.replyPrepared`): at 200 calls/s a decision holds one
 * for ~0.3 ms, so one is seldom busy; three are what the reply pool always had left beside its three commits.
 */
const DEFAULT_DECISION_POOL_SIZE = 3;
const STATEMENT_CACHE_SIZE = 500;
/** How long a write waits for a lock held by another process before giving up (API requests, processing). */
const DEFAULT_BUSY_DEADLINE_MS = 30_000;
const BUSY_PAUSE_MIN_MS = 2;
const BUSY_PAUSE_MAX_MS = 50;

/**
 * True for SQLite's "another connection holds the lock" errors (SQLITE_BUSY and its extended codes).
 * Why: those are retried asynchronously, every other error is real.
 */
export function isDatabaseBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_'));
}

/**
 * The pause before the `attempt`-th retry of a busy write: doubling from 2 ms to 50 ms.
 * Why: a lock held for milliseconds costs little latency; one held for seconds costs a poll every 50 ms.
 */
export function busyPauseMs(attempt: number): number {
  return Math.min(BUSY_PAUSE_MAX_MS, BUSY_PAUSE_MIN_MS * 2 ** Math.min(attempt, 10));
}

/**
 * Runs `attempt` until it does not fail with SQLITE_BUSY, pausing asynchronously between tries, and rethrows
 * the busy error once `deadlineMs` has passed. `attempt` must be safe to repeat after a busy failure (a single
 * statement, or a transaction that rolled back). Why: SQLite's own busy handler sleeps on the event loop.
 */
export async function retryWhileBusy<T>(
  attempt: () => Promise<T>,
  deadlineMs: number = DEFAULT_BUSY_DEADLINE_MS,
): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (let tries = 0; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      if (!isDatabaseBusy(error) || Date.now() >= deadline) {
        throw error;
      }
    }
    await sleep(busyPauseMs(tries));
  }
}

/**
 * Kysely's SQLite driver with SQLite's synchronous busy wait replaced by an asynchronous one: transactions
 * begin with BEGIN IMMEDIATE (a busy lock shows at BEGIN, where a retry is safe, not at a later write that
 * would need a rollback), and a statement that finds the database locked outside a transaction is retried
 * after a pause during which the connection is handed back, so reads and other work go on meanwhile (a WAL
 * reader is never blocked by another process's writer).
 */
class BusyRetryingDriver implements Driver {
  readonly #inner: Driver;
  readonly #sqlite: SQLite.Database;
  readonly #deadlineMs: number;
  #connection: DatabaseConnection | null = null;
  #innerConnection: DatabaseConnection | null = null;

  constructor(inner: Driver, sqlite: SQLite.Database, deadlineMs: number) {
    this.#inner = inner;
    this.#sqlite = sqlite;
    this.#deadlineMs = deadlineMs;
  }

  init(): Promise<void> {
    return this.#inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const inner = await this.#inner.acquireConnection();
    this.#innerConnection = inner;
    this.#connection ??= {
      executeQuery: <R>(query: CompiledQuery) => this.#execute<R>(inner, query),
      streamQuery: <R>(query: CompiledQuery, chunkSize?: number) => inner.streamQuery<R>(query, chunkSize),
    };
    return this.#connection;
  }

  async #execute<R>(inner: DatabaseConnection, query: CompiledQuery): Promise<QueryResult<R>> {
    const deadline = Date.now() + this.#deadlineMs;
    for (let tries = 0; ; tries++) {
      try {
        return await inner.executeQuery<R>(query);
      } catch (error) {
        // Inside a transaction a busy statement needs a rollback, not a retry (BEGIN IMMEDIATE prevents it).
        if (!isDatabaseBusy(error) || this.#sqlite.inTransaction || Date.now() >= deadline) {
          throw error;
        }
      }
      // Nothing is open on the connection: let others use it while the lock is away.
      await this.#inner.releaseConnection(inner);
      try {
        await sleep(busyPauseMs(tries));
      } finally {
        await this.#inner.acquireConnection();
      }
    }
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#inner.commitTransaction(connection);
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#inner.rollbackTransaction(connection);
  }

  savepoint(...args: Parameters<NonNullable<Driver['savepoint']>>): Promise<void> {
    return (this.#inner.savepoint as NonNullable<Driver['savepoint']>).apply(this.#inner, args);
  }

  rollbackToSavepoint(...args: Parameters<NonNullable<Driver['rollbackToSavepoint']>>): Promise<void> {
    return (this.#inner.rollbackToSavepoint as NonNullable<Driver['rollbackToSavepoint']>).apply(
      this.#inner,
      args,
    );
  }

  releaseSavepoint(...args: Parameters<NonNullable<Driver['releaseSavepoint']>>): Promise<void> {
    return (this.#inner.releaseSavepoint as NonNullable<Driver['releaseSavepoint']>).apply(this.#inner, args);
  }

  releaseConnection(): Promise<void> {
    return this.#inner.releaseConnection(this.#innerConnection as DatabaseConnection);
  }

  destroy(): Promise<void> {
    return this.#inner.destroy();
  }
}

/** The SQLite dialect over `BusyRetryingDriver`. */
class BusyRetryingSqliteDialect extends SqliteDialect {
  readonly #sqlite: SQLite.Database;
  readonly #deadlineMs: number;

  constructor(
    config: ConstructorParameters<typeof SqliteDialect>[0],
    sqlite: SQLite.Database,
    deadlineMs: number,
  ) {
    super(config);
    this.#sqlite = sqlite;
    this.#deadlineMs = deadlineMs;
  }

  override createDriver(): Driver {
    return new BusyRetryingDriver(super.createDriver(), this.#sqlite, this.#deadlineMs);
  }
}

/**
 * The connection as Kysely's SqliteDialect sees it, with prepared statements cached by SQL text: Kysely
 * prepares every query afresh, which costs as much as running a small one. A statement still iterating
 * (`busy`) is never handed out twice.
 */
function withStatementCache(sqlite: SQLite.Database): { prepare: SQLite.Database['prepare']; close(): void } {
  const cache = new Map<string, SQLite.Statement>();
  return {
    prepare(source: string) {
      const known = cache.get(source);
      if (known && !known.busy) {
        return known;
      }
      const statement = sqlite.prepare(source);
      if (cache.size >= STATEMENT_CACHE_SIZE) {
        cache.clear();
      }
      cache.set(source, statement);
      return statement;
    },
    close() {
      cache.clear();
      sqlite.close();
    },
  } as { prepare: SQLite.Database['prepare']; close(): void };
}

/**
 * One checkpoint step (`checkpointStep` says what and why), as plain JavaScript: the checkpointer thread evaluates
 * this text inside its own source, and this thread compiles the same text (`runCheckpointStep`) for its fallback
 * and the tests. Why one text: the thread runs no TypeScript and loads no module of ours, and two copies of the
 * step had already drifted apart. `restartWaitMs` bounds how long the RESTART waits for another process's reader
 * (its busy timeout), the connection's own timeout restored after.
 */
const CHECKPOINT_STEP_SOURCE = `(db, restartAfterFrames, restartWaitMs) => {
  try {
    const [copied] = db.pragma('wal_checkpoint(PASSIVE)');
    if (copied && copied.log >= restartAfterFrames) {
      db.pragma('wal_checkpoint(PASSIVE)');
      const patience = db.pragma('busy_timeout', { simple: true });
      db.pragma('busy_timeout = ' + restartWaitMs);
      try { db.pragma('wal_checkpoint(RESTART)'); } finally { db.pragma('busy_timeout = ' + patience); }
    }
    return copied ?? null;
  } catch {
    return null;
  }
}`;
const runCheckpointStep = new Function(`return ${CHECKPOINT_STEP_SOURCE}`)() as (
  db: SQLite.Database,
  restartAfterFrames: number,
  restartWaitMs: number,
) => WalCheckpoint | null;

// The checkpointer thread: its own connection to the same file, so copying WAL pages into the database never
// blocks the server's event loop (a PASSIVE checkpoint from another connection runs beside the writer). It also
// keeps the query planner's statistics (sqlite_stat1) current, which nothing else in production does: every
// optimizeMs (not as it starts: a server's first writes would meet its lock, and plans would change under a
// database opened for seconds — a CLI, a test; the plain optimize at close covers those), `optimize=0x10002` —
// SQLite's advice for a long-lived connection
// (3.46+), checking every table, since this connection runs no query of its own — analyses a table never
// analysed or grown tenfold since. Here, because ANALYZE is synchronous: seconds on a grown database on the
// event loop would stall every webhook reply; from here, writers only meet a busy lock they already wait out
// asynchronously. Plain CommonJS, evaluated as is: no loader or build step involved.
// Its checkpoint step is `CHECKPOINT_STEP_SOURCE` (`checkpointStep` says what and why), with a RESTART that waits
// up to `restartWaitMs` for another process's reader — holding the writers back meanwhile, never this process's
// event loop.
const CHECKPOINTER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
const step = ${CHECKPOINT_STEP_SOURCE};
const tick = () => step(db, workerData.restartFrames, workerData.restartWaitMs);
const timer = setInterval(tick, workerData.everyMs);
db.pragma('analysis_limit = ' + workerData.analysisLimit);
const optimize = () => { try { db.pragma('optimize=0x10002'); } catch {} };
const planner = setInterval(optimize, workerData.optimizeEveryMs);
parentPort.on('message', () => { clearInterval(timer); clearInterval(planner); db.close(); parentPort.close(); });
`;

/** What `PRAGMA wal_checkpoint` reports: 1 if it could not finish, frames in the log, frames copied. */
export interface WalCheckpoint {
  readonly busy: number;
  readonly log: number;
  readonly checkpointed: number;
}

/**
 * One checkpoint: a PASSIVE pass (copies the log into the database beside the writer, never blocking it), then —
 * once the log holds `restartAfterFrames` or more — a second PASSIVE pass (what was committed during the first)
 * and a RESTART, which copies the last few ms of commits holding the write lock (the writers wait asynchronously:
 * the driver's busy retry, the inbox's) and makes the next writer start the log over. Why: SQLite restarts the log
 * only when a write transaction begins with every frame already copied, which a PASSIVE pass taking longer than
 * the gap between two commits never leaves; under
 * a steady stream of commits the log grew by every one of them, without bound (730 MB in 15 s of the NOTIFY_START
 * bench at 200 calls/s), and every commit and page read paid for its length: a commit of ~24 pages cost 356 µs of
 * CPU there, and the bench's server used 7.4–8.1 s of CPU for 7,000 requests against 4.9–5.0 s now. The
 * checkpointer thread runs the same step (CHECKPOINT_STEP_SOURCE); here it serves the main thread's fallback,
 * whose RESTART waits for no reader by default (`restartWaitMs` 0: this thread must not sleep).
 * Returns the PASSIVE pass's figures, or null when the database was busy.
 */
export function checkpointStep(
  sqlite: SQLite.Database,
  restartAfterFrames: number = RESTART_AFTER_FRAMES,
  restartWaitMs = 0,
): WalCheckpoint | null {
  return runCheckpointStep(sqlite, restartAfterFrames, restartWaitMs);
}

/**
 * Moves WAL checkpoints off the write path: SQLite's automatic checkpoint runs inside the commit that crosses
 * the threshold and stalls it for milliseconds (STACK.md, measured 5–17 ms), so it is turned off and a PASSIVE
 * checkpoint (never blocks writers or readers) runs every `everyMs` from a worker thread with its own
 * connection — or from a timer here if the thread cannot start. The thread also refreshes the query planner's
 * statistics (CHECKPOINTER_SOURCE says why there). Returns the function stopping it.
 */
function startCheckpoints(sqlite: SQLite.Database, everyMs: number, optimizeEveryMs: number): () => void {
  if (everyMs <= 0 || sqlite.memory) {
    return () => {};
  }
  sqlite.pragma('wal_autocheckpoint = 0');
  let timer: NodeJS.Timeout | null = null;
  const checkpointHere = () => {
    // With the automatic checkpoint off, something must always checkpoint, or the WAL grows without bound.
    timer ??= setInterval(() => checkpointStep(sqlite), everyMs);
    timer.unref();
  };
  let worker: Worker | null = null;
  let stopping = false;
  try {
    worker = new Worker(CHECKPOINTER_SOURCE, {
      eval: true,
      workerData: {
        driver: createRequire(import.meta.url).resolve('better-sqlite3'),
        file: sqlite.name,
        everyMs,
        optimizeEveryMs,
        analysisLimit: ANALYSIS_LIMIT,
        restartFrames: RESTART_AFTER_FRAMES,
        restartWaitMs: RESTART_WAIT_MS,
      },
    });
    worker.unref();
    // A checkpointer thread that dies hands the job back to this thread.
    worker.on('error', checkpointHere);
    worker.on('exit', () => {
      if (!stopping) {
        checkpointHere();
      }
    });
  } catch {
    checkpointHere();
  }
  const stop = () => {
    stopping = true;
    worker?.postMessage('stop');
    if (timer) {
      clearInterval(timer);
    }
  };
  return () => {
    stop();
    try {
      if (sqlite.open) {
        sqlite.pragma('wal_checkpoint(TRUNCATE)');
      }
    } catch {
      // Busy at close: SQLite checkpoints the WAL itself when the last connection closes.
    }
  };
}

/**
 * Plain `PRAGMA optimize` as the connection closes, as SQLite advises: it analyses the tables this connection's
 * queries used whose statistics are missing or stale. Why here and not periodically on this connection: it is
 * synchronous on the event loop, and at close nothing waits for it.
 */
function optimizeOnClose(sqlite: SQLite.Database): void {
  if (!sqlite.open || sqlite.readonly) {
    return;
  }
  try {
    sqlite.pragma('optimize');
  } catch {
    // Busy (another process writes): the checkpointer's next start gathers what this one skipped.
  }
}

const PG_INT8 = 20;
const PG_NUMERIC = 1700;
const PG_TIMESTAMPTZ = 1184;
const PG_TIMESTAMP = 1114;

function pgTypeParser(oid: number, format?: string): (value: string) => unknown {
  if (oid === PG_INT8 || oid === PG_NUMERIC) {
    return Number;
  }
  if (oid === PG_TIMESTAMPTZ || oid === PG_TIMESTAMP) {
    return (value) => new Date(oid === PG_TIMESTAMP ? `${value}Z` : value).toISOString();
  }
  return pg.types.getTypeParser(oid, format as 'text');
}

/**
 * Runs the named statement `query` on a connection of `pool` unless `signal` is aborted by the time one is free:
 * then the connection goes straight back unused and the call rejects with the signal's reason, as it does at once
 * when the signal is aborted before the wait. A statement already sent runs to its end (cancelling it would cost
 * a connection of its own to the server, for a statement of a fraction of a millisecond). Failures are handled as
 * pg-pool's own `query` does: a connection that failed a statement is closed, not reused.
 * Why: pg-pool runs whatever waits for a connection once it gets one; under overload the NOTIFY_START decisions
 * that had answered `{}` long before still ran, each holding a connection the next callers' decisions waited
 * for, so every caller queued behind the ones the PBX had already given up on (issue 12).
 */
async function runUnlessAbandoned<R>(
  pool: pg.Pool,
  query: pg.QueryConfig,
  signal: AbortSignal | undefined,
): Promise<R[]> {
  signal?.throwIfAborted();
  const client = await pool.connect();
  if (signal?.aborted) {
    client.release();
    throw signal.reason;
  }
  let failure: Error | undefined;
  // A connection lost mid-statement also emits 'error', which pg-pool hears only on idle connections: unheard, it
  // would end the process. The statement rejects as well; the connection is then closed on release.
  const lost = (error: Error) => {
    failure = error;
  };
  client.on('error', lost);
  try {
    return (await client.query<R & pg.QueryResultRow>(query)).rows;
  } catch (error) {
    failure ??= error instanceof Error ? error : new Error(String(error));
    throw error;
  } finally {
    client.removeListener('error', lost);
    client.release(failure);
  }
}

/**
 * Runs synchronous raw-SQLite `work` (prepared statements on `DatabaseHandle.sqlite`) on the connection `db`
 * stands for: at once inside a transaction, whose connection is already ours; otherwise under Kysely's connection
 * lock, so the statement never lands inside (nor is rolled back with) someone else's open transaction.
 * Why: the webhook's hot statements skip query building, and must still respect transactions.
 */
export function onSqliteConnection<T>(db: Kysely<Database>, work: () => T): Promise<T> {
  if (db.isTransaction) {
    try {
      return Promise.resolve(work());
    } catch (error) {
      return Promise.reject(error);
    }
  }
  // Outside a transaction `work` is one statement or a better-sqlite3 transaction, rolled back when it fails:
  // a busy database is waited for asynchronously, the connection free meanwhile.
  return retryWhileBusy(() => db.connection().execute(async () => work()));
}

/**
 * Opens the database; SQLite files and their folder are created on first start.
 * Why: one place owns connection policy (pragmas, statement cache, WAL checkpoints) for every entry point.
 */
export function openDatabase(target: DatabaseTarget, options: SqliteOptions = {}): DatabaseHandle {
  if (target.dialect === 'sqlite') {
    if (target.file !== ':memory:') {
      mkdirSync(dirname(target.file), { recursive: true });
    }
    // No synchronous busy wait, ever: better-sqlite3 would sleep on the event loop (the audit saw 10–20 s
    // freezes while a `sqlite3` shell or a backup held the write lock). Busy writes are retried asynchronously
    // by the driver below, and the webhook inbox journals what it cannot store at once (journal-inbox.ts).
    const sqlite = new SQLite(target.file, { timeout: 0 });
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 0');
    // Reads through a memory map and a 64 MiB page cache instead of a pread() per page into SQLite's default
    // 2 MiB cache: at 1M contacts a phone lookup touches pages no cache has seen yet, and the system call per
    // page is what made the p99 of the call-path lookup several times its median (bench/run-bench.ts).
    sqlite.pragma('mmap_size = 2147418112');
    sqlite.pragma('cache_size = -65536');
    sqlite.pragma(`analysis_limit = ${ANALYSIS_LIMIT}`);
    sqlite.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
    const stopCheckpoints = startCheckpoints(
      sqlite,
      options.checkpointMs ?? DEFAULT_CHECKPOINT_MS,
      options.optimizeMs ?? DEFAULT_OPTIMIZE_MS,
    );
    const db = new Kysely<Database>({
      dialect: new BusyRetryingSqliteDialect(
        { database: withStatementCache(sqlite) },
        sqlite,
        options.busyDeadlineMs ?? DEFAULT_BUSY_DEADLINE_MS,
      ),
    });
    return {
      db,
      dialect: 'sqlite',
      sqlite,
      close: async () => {
        stopCheckpoints();
        optimizeOnClose(sqlite);
        await db.destroy();
      },
    };
  }
  const connection = {
    connectionString: target.url,
    types: { getTypeParser: pgTypeParser as typeof pg.types.getTypeParser },
    ...(target.schema ? { options: `-c search_path=${target.schema}` } : {}),
  };
  const pool = new pg.Pool({ ...connection, max: target.poolSize ?? 10 });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const replyPoolSize = target.replyPoolSize ?? DEFAULT_REPLY_POOL_SIZE;
  // min = max: an idle connection is kept, never closed after pg-pool's 10 s. Why: at a low call rate every
  // NOTIFY_START found the pool emptied and paid new connections — TCP, start-up, authentication, and a new
  // backend's cold catalogue caches on its first query of each table — several times in a row (p50 77 ms).
  const replyPool = new pg.Pool({ ...connection, max: replyPoolSize, min: replyPoolSize });
  const replyDb = new Kysely<Database>({ dialect: new PostgresDialect({ pool: replyPool }) });
  const decisionPoolSize = target.decisionPoolSize ?? DEFAULT_DECISION_POOL_SIZE;
  const decisionPool = new pg.Pool({ ...connection, max: decisionPoolSize, min: decisionPoolSize });
  return {
    db,
    dialect: 'postgres',
    sqlite: null,
    replyDb,
    derivedCommitsUnflushed: target.unflushedDerivedCommits !== false,
    replyPrepared: <R>(name: string, text: string, values: readonly unknown[], signal?: AbortSignal) =>
      runUnlessAbandoned<R>(decisionPool, { name, text, values: [...values] }, signal),
    close: async () => {
      await Promise.all([db.destroy(), replyDb.destroy(), decisionPool.end()]);
    },
  };
}
