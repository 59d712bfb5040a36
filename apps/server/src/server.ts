/**
 * Starts the whole server: configuration, database (migrated), demo mode resolution and seeding, the app,
 * listening. `main.ts` calls it with the process environment; browser tests and benchmarks call it directly.
 */
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { startDemoTelephony } from './modules/demo/demo-telephony.js';
import { demoAccountsMessage } from './modules/demo/demo-users.js';
import { isDemoDatabase, seedDemo } from './modules/demo/seed-demo.js';
import {
  deriveCallReadModel,
  deriveMissedRollups,
} from './modules/telephony/adapters/call-read-model-rebuild.js';
import { startRetentionSchedule } from './modules/telephony/adapters/inbox-retention.js';
import { type InstanceLease, startInstanceLease } from './modules/telephony/adapters/server-instances.js';
import {
  createTelephonyRuntime,
  type TelephonyRuntimeControl,
} from './modules/telephony/adapters/zadarma/telephony-runtime.js';
import { telephonyLiveOf } from './modules/telephony/telephony-module.js';
import { type Config, loadConfig } from './platform/config/config.js';
import { createSecretBox } from './platform/crypto/secret-box.js';
import { resolveSecretKey } from './platform/crypto/secret-key.js';
import { type DatabaseHandle, openDatabase } from './platform/db/database.js';
import { migrateToLatest } from './platform/db/migrate.js';
import type { EventBus } from './platform/events/event-bus.js';
import { createInProcessEventBus } from './platform/events/in-process-event-bus.js';
import { createPostgresEventBus } from './platform/events/postgres-event-bus.js';
import { processScopedId } from './platform/instances/process-identity.js';
import { createJobQueue } from './platform/jobs/create-job-queue.js';
import type { JobQueueDriver } from './platform/jobs/job-queue.js';
import { countUsers } from './platform/users/user-repository.js';

export interface StartServerOptions {
  /** Environment to read the configuration from (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Overrides `PORT` (0 picks a free port). */
  readonly port?: number;
  /** Overrides `HOST`. */
  readonly host?: string;
  /** Where log lines go (default stdout). */
  readonly logStream?: { write(line: string): void };
}

export interface RunningServer {
  /** The base URL, e.g. `http://127.0.0.1:3000`. */
  readonly url: string;
  readonly app: FastifyInstance;
  readonly config: Config;
  readonly database: DatabaseHandle;
  /** Telephony settings, client and (demo mode) the built-in simulator. */
  readonly telephony: TelephonyRuntimeControl;
  readonly bus: EventBus;
  /** The job queue (SQLite table queue, or pg-boss on PostgreSQL), its worker running. */
  readonly jobs: JobQueueDriver;
  /** This instance's heartbeat and takeover of dead instances' inbox entries (issue 9). */
  readonly lease: InstanceLease | null;
  /** Milliseconds from the call to serving. */
  readonly startupMs: number;
  /** Stops listening and closes the database. */
  close(): Promise<void>;
}

export const CREATE_ADMIN_HINT =
  'The database has no users. Create the first administrator with:\n' +
  '  npm run create-admin -w @switchboard/server -- --email you@example.com --name "Your Name"\n' +
  '(it asks for the password; a pipe, ADMIN_PASSWORD or --password-file <path> work too)\n' +
  '(or start once with DEMO=1 to explore with demo data).';

/**
 * Decides demo mode: `DEMO=1` forces it, `DEMO=0` forbids it; unset, a database without users gets demo
 * data, and a database seeded as a demo stays in demo mode.
 */
async function resolveDemo(
  config: Config,
  database: DatabaseHandle,
): Promise<{ demo: boolean; empty: boolean }> {
  const empty = (await countUsers(database.db)) === 0;
  if (config.demo) {
    return { demo: true, empty };
  }
  if (!config.demoWhenEmpty) {
    return { demo: false, empty };
  }
  return { demo: empty || (await isDemoDatabase(database.db)), empty };
}

/** Starts the server and resolves once it is serving. Why: one start-up path for main, tests and benches. */
export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  const startedAt = performance.now();
  const env = options.env ?? process.env;
  const loaded = loadConfig(env);
  const database = openDatabase(
    loaded.database.dialect === 'sqlite'
      ? { dialect: 'sqlite', file: loaded.database.file }
      : { dialect: 'postgres', url: loaded.database.url },
  );
  let bus: EventBus | null = null;
  let telephony: TelephonyRuntimeControl | null = null;
  let lease: InstanceLease | null = null;
  let jobs: JobQueueDriver | null = null;
  try {
    await migrateToLatest(database.db);
    // Calls folded before the call log's derived columns existed get them (and the statistics) once.
    await deriveCallReadModel(database.db);
    // A database migrated to 0017: its missed calls' returns are set; their rollups are summed once.
    await deriveMissedRollups(database.db);
    const { demo, empty } = await resolveDemo(loaded, database);
    const config: Config = Object.freeze({
      ...loaded,
      demo,
      ...(options.port !== undefined ? { port: options.port } : {}),
      ...(options.host !== undefined ? { host: options.host } : {}),
    });
    const box = createSecretBox(
      await resolveSecretKey({ secretKey: config.secretKey, demo, dataDir: config.dataDir }),
    );
    const seeded = demo && empty ? await seedDemo(database.db, { sqlite: database.sqlite }) : null;
    const busErrors: { log: ((error: unknown) => void) | null } = { log: null };
    const onBusError = (error: unknown) => busErrors.log?.(error);
    bus =
      config.database.dialect === 'postgres'
        ? await createPostgresEventBus({
            db: database.db,
            connectionString: config.database.url,
            onError: onBusError,
          })
        : createInProcessEventBus({ db: database.db, sqlite: database.sqlite, onError: onBusError });
    const backgroundErrors: { log: ((error: unknown, context: string) => void) | null } = { log: null };
    telephony = createTelephonyRuntime({
      db: database.db,
      box,
      config,
      // The id names this process, so that after a crash the next start here takes over its work at once.
      instanceId: processScopedId(),
      onError: (error, context) => backgroundErrors.log?.(error, context),
    });
    // Settings changed through another instance reach this one: bus event, and a version check every second.
    telephony.watch({ bus });
    const jobErrors: { log: ((error: unknown, context: string) => void) | null } = { log: null };
    jobs = await createJobQueue({
      database,
      ...(config.database.dialect === 'postgres' ? { databaseUrl: config.database.url } : {}),
      onError: (error, context) => jobErrors.log?.(error, context),
    });
    const app = await buildApp({
      config,
      database,
      telephony,
      bus,
      jobs,
      ...(options.logStream ? { logStream: options.logStream } : {}),
    });
    busErrors.log = (error) => app.log.error({ err: error }, 'event bus error');
    jobErrors.log = (error, context) => app.log.warn({ err: error }, context);
    backgroundErrors.log = (error, context) => app.log.error({ err: error }, `telephony: ${context}`);
    const live = telephonyLiveOf(app);
    if (live) {
      // Heartbeat, and takeover of the entries a dead instance accepted but did not process.
      lease = await startInstanceLease({
        db: database.db,
        instanceId: telephony.instanceId,
        recover: (before, recoverOptions) => live.ingest.recover(before, recoverOptions),
        onError: (error) => app.log.error({ err: error }, 'telephony: instance lease'),
        onRecovered: (count) =>
          app.log.info(
            `telephony: processed ${count} webhook(s) a stopped instance had stored but not processed`,
          ),
        onPredecessorsExpired: (ids) =>
          app.log.info({ instances: ids }, 'telephony: taking over from instances that crashed on this host'),
      });
    }
    const address = await app.listen({ port: config.port, host: config.host });
    const url = address.replace('://[::1]', '://localhost');
    telephony.attach({ publicBaseUrl: env.PUBLIC_BASE_URL ? config.publicBaseUrl : url });
    await jobs.start();
    const retention = startRetentionSchedule({ db: database.db, dialect: database.dialect, log: app.log });
    const startupMs = Math.round(performance.now() - startedAt);
    // performance.now() counts from process start, so this is the cold start including module loading.
    const cpu = process.cpuUsage();
    app.log.info(
      `Switchboard ${demo ? 'demo' : 'live'} mode on ${database.dialect}, listening on ${url} ` +
        `(started in ${startupMs} ms; ${Math.round(performance.now())} ms after process start, ` +
        `${Math.round((cpu.user + cpu.system) / 1000)} ms CPU)`,
    );
    if (seeded?.seeded) {
      app.log.info(`Demo data seeded: ${seeded.users.length} users and the demo CRM records`);
    }
    const demoTelephony = demo
      ? await startDemoTelephony({ db: database.db, runtime: telephony, config, serverUrl: url }).catch(
          async (error: unknown) => {
            await app.close();
            throw error;
          },
        )
      : null;
    if (demo) {
      app.log.info(demoAccountsMessage(env.PUBLIC_BASE_URL ? config.publicBaseUrl : url));
    }
    if (demoTelephony) {
      app.log.info(demoTelephony.message);
    } else if (empty && !demo) {
      app.log.warn(CREATE_ADMIN_HINT);
    }
    return {
      url,
      app,
      config,
      database,
      telephony,
      bus,
      jobs,
      lease,
      startupMs,
      async close() {
        await retention.stop();
        await lease?.stop();
        await demoTelephony?.close();
        await jobs?.stop();
        await app.close();
        await jobs?.close();
        await lease?.retire();
        await bus?.close();
        await telephony?.close();
        await database.close();
      },
    };
  } catch (error) {
    await lease?.stop();
    await jobs?.close();
    await telephony?.close();
    await bus?.close();
    await database.close();
    throw error;
  }
}
