/**
 * The server the telephony benches run against: a migrated SQLite file in a fresh temporary folder, a telephony
 * runtime configured with the bench's secret, and the real app listening on a free loopback port.
 * Why: the ingest, hostile-body and lock benches set it up the same way; one copy keeps them measuring one thing.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import {
  createTelephonyRuntime,
  type TelephonyRuntimeControl,
} from '../src/modules/telephony/adapters/zadarma/telephony-runtime.js';
import { loadConfig } from '../src/platform/config/config.js';
import { createSecretBox } from '../src/platform/crypto/secret-box.js';
import { type DatabaseHandle, openDatabase } from '../src/platform/db/database.js';
import { migrateToLatest } from '../src/platform/db/migrate.js';
import type { JobQueueDriver } from '../src/platform/jobs/job-queue.js';
import { createPgBossJobQueue } from '../src/platform/jobs/pg-boss-job-queue.js';
import { createSqliteJobQueue } from '../src/platform/jobs/sqlite-job-queue.js';

type SettingsPatch = Parameters<TelephonyRuntimeControl['update']>[0];

export interface BenchServerOptions {
  /** Names the temporary folder (`switchboard-<prefix>-bench-…`). */
  readonly prefix: string;
  /** The API secret webhooks are signed with. */
  readonly secret: string;
  /** An SQLite file to serve (a copy of a prepared dataset, migrated here); default a new one. */
  readonly file?: string;
  /** Further telephony settings (feature switches…). */
  readonly settings?: Omit<SettingsPatch, 'apiKey' | 'apiSecret' | 'apiBaseUrl'>;
  /** Serve a PostgreSQL schema (migrated here) instead of an SQLite file. */
  readonly postgres?: {
    readonly url: string;
    readonly schema: string;
    /** False: the webhook batches wait for their WAL flush (database.ts `unflushedDerivedCommits`; A/B). */
    readonly unflushedDerivedCommits?: boolean;
  };
  /** The Zadarma API the runtime talks to (e.g. the simulator); default a closed port (every call fails fast). */
  readonly apiBaseUrl?: string;
  /** Gives the server a job queue (`'run'`: started, as production does; `'hold'`: jobs queue up, not run). */
  readonly jobs?: 'run' | 'hold';
}

export interface BenchServer {
  readonly file: string;
  readonly database: DatabaseHandle;
  readonly runtime: TelephonyRuntimeControl;
  readonly app: FastifyInstance;
  /** `http://127.0.0.1:<port>`. */
  readonly base: string;
  /** The running job queue, when asked for. */
  readonly jobs: JobQueueDriver | null;
  /** Stops the app, the runtime and the database, and deletes the folder. */
  close(): Promise<void>;
}

/** Starts a bench server (see the file comment). */
export async function startBenchServer(options: BenchServerOptions): Promise<BenchServer> {
  const dir = mkdtempSync(join(tmpdir(), `switchboard-${options.prefix}-bench-`));
  const file = options.file ?? join(dir, 'bench.sqlite');
  const database = options.postgres
    ? openDatabase({
        dialect: 'postgres',
        url: options.postgres.url,
        schema: options.postgres.schema,
        ...(options.postgres.unflushedDerivedCommits === false ? { unflushedDerivedCommits: false } : {}),
      })
    : openDatabase({ dialect: 'sqlite', file });
  await migrateToLatest(database.db);
  const config = loadConfig({ LOG_LEVEL: 'silent' });
  const runtime = createTelephonyRuntime({
    db: database.db,
    box: createSecretBox(randomBytes(32)),
    config,
    clientOptions: { retry: false, timeoutMs: 200 },
  });
  // No Zadarma here: a closed port makes the timezone lookup fail fast (then UTC+0, memoised).
  await runtime.update({
    apiKey: 'bench',
    apiSecret: options.secret,
    apiBaseUrl: options.apiBaseUrl ?? 'http://127.0.0.1:9',
    ...options.settings,
  });
  // On PostgreSQL pg-boss, as production runs it, in a schema of the bench's own.
  const jobs = !options.jobs
    ? null
    : options.postgres
      ? await createPgBossJobQueue({
          connectionString: options.postgres.url,
          schema: `${options.postgres.schema}_boss`,
        })
      : createSqliteJobQueue({ database });
  const app = await buildApp({ config, database, telephony: runtime, ...(jobs ? { jobs } : {}) });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  if (options.jobs === 'run') {
    await jobs?.start();
  }
  return {
    file,
    database,
    runtime,
    app,
    base,
    jobs,
    async close() {
      await jobs?.stop();
      await app.close();
      await runtime.close();
      // `stop` only stops the workers: pg-boss keeps its own pool (and timers) until `close`, and they kept the
      // bench's process alive after it had printed its table.
      await jobs?.close();
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
