/**
 * The PostgreSQL driver on pg-boss 10, in its own schema (`pgboss`) with its own small pool. How the port maps:
 * - in a transaction: pg-boss 10's per-send `db` option runs its INSERT through the caller's Kysely transaction
 *   (no outbox needed): the job commits or rolls back with it;
 * - idempotency key: the job id is a UUID derived from (name, key), so pg-boss's `INSERT … ON CONFLICT DO NOTHING`
 *   on its primary key makes a second send a no-op (its `singletonKey` alone only deduplicates within a policy or a
 *   time slot); the key is also stored as `singleton_key`, for admins;
 * - `runAt` → `startAfter`; `maxAttempts` → `retryLimit` = maxAttempts − 1 with `retryBackoff` (exponential,
 *   half of each delay random); the lease is `expireInSeconds` (an active job past it is failed by pg-boss's
 *   supervisor and retried); dead = state `failed`, kept 30 days before pg-boss archives it;
 * - an error that says how long to wait (Zadarma's `Retry-After`, `retryAfterOf`): pg-boss knows only its own
 *   backoff, so the handler queues the retry itself at that time (`retryAfter` below) instead of failing the job.
 */
import { createHash } from 'node:crypto';
import { CompiledQuery } from 'kysely';
import PgBoss from 'pg-boss';
import { checkEnqueue, errorText, retryAfterOf, retryDelayMs } from './job-options.js';
import type {
  EnqueuedJob,
  EnqueueOptions,
  JobHandler,
  JobQueueDriver,
  JobRecord,
  JobStatus,
} from './job-queue.js';
import { kyselyOf } from './kysely-job-transaction.js';

export interface PgBossJobQueueOptions {
  readonly connectionString: string;
  /** pg-boss's schema (default `pgboss`); tests use a throwaway one. */
  readonly schema?: string;
  /** Connections of pg-boss's own pool (default 4). */
  readonly poolSize?: number;
  /** Base retry delay, seconds (default 5); 0 retries at once, without backoff (tests). */
  readonly retryDelaySeconds?: number;
  /** The lease of a running job, seconds (default 15 min). */
  readonly leaseSeconds?: number;
  /** How often an idle worker polls, seconds (default 1; pg-boss's minimum is 0.5). */
  readonly pollingIntervalSeconds?: number;
  /** Workers per job name (default 2). */
  readonly concurrency?: number;
  readonly onError?: (error: unknown, context: string) => void;
}

interface JobRow {
  id: string;
  name: string;
  data: { payload?: unknown } | null;
  state: 'created' | 'retry' | 'active' | 'completed' | 'cancelled' | 'failed';
  retry_count: number;
  retry_limit: number;
  start_after: Date | string;
  started_on: Date | string | null;
  singleton_key: string | null;
  created_on: Date | string;
  output: { message?: unknown } | null;
}

const STATUS: Record<JobRow['state'], JobStatus> = {
  created: 'queued',
  retry: 'queued',
  active: 'running',
  completed: 'done',
  cancelled: 'dead',
  failed: 'dead',
};

const isoOf = (value: Date | string) => new Date(value).toISOString();

function toRecord(row: JobRow): JobRecord {
  const message = row.output?.message;
  return {
    id: row.id,
    name: row.name,
    payload: row.data?.payload ?? null,
    status: STATUS[row.state],
    attempts: row.started_on === null ? 0 : Number(row.retry_count) + 1,
    maxAttempts: Number(row.retry_limit) + 1,
    runAt: isoOf(row.start_after),
    lastError: row.state === 'completed' || typeof message !== 'string' ? null : message,
    idempotencyKey: row.singleton_key,
    createdAt: isoOf(row.created_on),
  };
}

/**
 * The job id for an idempotency key: a UUID (version 8 layout) from SHA-256 of name and key.
 * Why: the same key always names the same row, which PostgreSQL's primary key then keeps unique.
 */
export function idempotentJobId(name: string, key: string): string {
  const bytes = createHash('sha256').update(`${name}\u0000${key}`).digest().subarray(0, 16);
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x80;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const SCHEMA_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;

/** PostgreSQL's "try again" answers: a deadlock victim (40P01), a serialization failure (40001). */
const LOCK_CONFLICTS = new Set(['40P01', '40001']);

/** Up to 8 tries, 50 ms doubling to 2 s with jitter: instances that collided do not collide again in step. */
const LOCK_CONFLICT_BACKOFF = { baseMs: 50, maxMs: 2_000 } as const;
const LOCK_CONFLICT_TRIES = 8;

/**
 * Runs `operation` (idempotent), again after a pause while PostgreSQL answers it with a deadlock or a
 * serialization failure. Why: several instances starting together on one database create the same pg-boss
 * queues at the same moment, and the database resolves their lock cycles by failing all but one.
 */
export async function retryLockConflicts<T>(
  operation: () => Promise<T>,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      if (typeof code !== 'string' || !LOCK_CONFLICTS.has(code) || attempt >= LOCK_CONFLICT_TRIES) {
        throw error;
      }
      await sleep(retryDelayMs(attempt, LOCK_CONFLICT_BACKOFF));
    }
  }
}

/**
 * Starts pg-boss (installing or upgrading its schema) and returns the queue; `start()` then runs handlers.
 * Why: on PostgreSQL a maintained queue with its own supervision beats a second home-made one.
 */
export async function createPgBossJobQueue(options: PgBossJobQueueOptions): Promise<JobQueueDriver> {
  const schema = options.schema ?? 'pgboss';
  if (!SCHEMA_PATTERN.test(schema)) {
    throw new TypeError(`pg-boss schema "${schema}" is not a plain lower-case identifier`);
  }
  const onError = options.onError ?? (() => {});
  const retryDelay = options.retryDelaySeconds ?? 5;
  const boss = new PgBoss({
    connectionString: options.connectionString,
    schema,
    max: options.poolSize ?? 4,
    // No cron schedules are used: no clock monitor or cron worker polling.
    schedule: false,
    // Dead jobs stay visible to admins for 30 days; done ones (and so their idempotency keys) for 7.
    archiveCompletedAfterSeconds: 7 * 24 * 3600,
    archiveFailedAfterSeconds: 30 * 24 * 3600,
  });
  boss.on('error', (error) => onError(error, 'pg-boss'));
  // Installing or upgrading the schema runs under pg-boss's own advisory lock; retried all the same, since a
  // failed start would leave an instance without its queue.
  await retryLockConflicts(() => boss.start());
  const sql = boss.getDb();

  const handlers = new Map<string, JobHandler>();
  const workers = new Map<string, string[]>();
  const queues = new Set<string>();
  let running = false;
  let inFlight = 0;
  let idle: (() => void) | null = null;

  async function ensureQueue(name: string): Promise<void> {
    if (!queues.has(name)) {
      // Idempotent (INSERT … ON CONFLICT DO NOTHING), outside any caller transaction: a queue is configuration.
      // Other instances creating their queues at the same moment (each one a partition attached to pg-boss's job
      // table) can make PostgreSQL pick this one as a deadlock victim; being idempotent, it is asked again.
      await retryLockConflicts(() => boss.createQueue(name));
      queues.add(name);
    }
  }

  /**
   * Queues the next attempt of a failed `job` at the time its error asks for, when it asks and an attempt is left;
   * true when done. The row stays the one pg-boss fetched (`state = 'active'`, so its completion then changes
   * nothing) and the next fetch counts the attempt, as after pg-boss's own retry.
   */
  async function retryAfter(
    job: { readonly id: string; readonly retryCount: number; readonly retryLimit: number },
    error: unknown,
  ): Promise<boolean> {
    const wait = retryAfterOf(error);
    if (wait === null || job.retryCount >= job.retryLimit) {
      return false;
    }
    const { rows } = await sql.executeSql(
      `UPDATE ${schema}.job SET state = 'retry', start_after = now() + $2 * interval '1 millisecond',
         output = $3::jsonb
       WHERE id = $1 AND state = 'active' AND retry_count < retry_limit RETURNING id`,
      [job.id, wait, JSON.stringify({ message: errorText(error) })],
    );
    return rows.length > 0;
  }

  async function work(name: string, handler: JobHandler): Promise<void> {
    await ensureQueue(name);
    const ids: string[] = [];
    for (let i = 0; i < (options.concurrency ?? 2); i++) {
      let worker = '';
      worker = await boss.work<{ payload: unknown }>(
        name,
        {
          batchSize: 1,
          includeMetadata: true,
          pollingIntervalSeconds: options.pollingIntervalSeconds ?? 1,
        },
        async (jobs) => {
          inFlight += 1;
          try {
            for (const job of jobs) {
              await handler({
                id: job.id,
                name: job.name,
                payload: job.data?.payload ?? null,
                attempt: job.retryCount + 1,
                maxAttempts: job.retryLimit + 1,
              });
            }
          } catch (error) {
            onError(error, `job ${name} ${jobs[0]?.id}`);
            const job = jobs[0];
            if (job && (await retryAfter(job, error))) {
              return;
            }
            throw error;
          } finally {
            inFlight -= 1;
            if (inFlight === 0) {
              idle?.();
            }
            // A worker that found a job asks for the next one at once. Why: pg-boss 10 sleeps its polling
            // interval after every fetch, jobs or not, unless told otherwise — each worker ran one job a second,
            // and the jobs enqueued inside a transaction (every after-call job: nothing wakes a worker for
            // those) fell behind without bound: at 200 calls/s, 74 done by the end of the NOTIFY_START bench's
            // first round on PostgreSQL, of ~2,600 queued (765 since). An empty fetch still sleeps the interval.
            if (running && worker) {
              boss.notifyWorker(worker);
            }
          }
        },
      );
      ids.push(worker);
    }
    workers.set(name, ids);
  }

  const selectJob = `SELECT id, name, data, state, retry_count, retry_limit, start_after, started_on, singleton_key,
      created_on, output FROM ${schema}.job`;

  async function stopWorkers(): Promise<void> {
    running = false;
    for (const name of workers.keys()) {
      await boss.offWork(name);
    }
    workers.clear();
    if (inFlight > 0) {
      await new Promise<void>((resolve) => {
        idle = resolve;
      });
      idle = null;
    }
  }

  return {
    kind: 'pg-boss',
    async enqueue<P>(name: string, payload: P, enqueue: EnqueueOptions = {}): Promise<EnqueuedJob> {
      const checked = checkEnqueue(name, payload, enqueue);
      await ensureQueue(name);
      const trx = enqueue.trx ? kyselyOf(enqueue.trx) : null;
      const id = checked.idempotencyKey === null ? undefined : idempotentJobId(name, checked.idempotencyKey);
      const sent = await boss.send(name, { payload: JSON.parse(checked.payloadJson) as unknown }, {
        ...(id ? { id, singletonKey: checked.idempotencyKey as string } : {}),
        ...(checked.runAt === null ? {} : { startAfter: new Date(checked.runAt) }),
        retryLimit: checked.maxAttempts - 1,
        retryDelay,
        retryBackoff: retryDelay > 0,
        expireInSeconds: options.leaseSeconds ?? 15 * 60,
        ...(trx
          ? {
              db: {
                async executeSql(text: string, values: unknown[]) {
                  const result = await trx.executeQuery(CompiledQuery.raw(text, values));
                  return { rows: result.rows };
                },
              },
            }
          : {}),
      } as PgBoss.SendOptions);
      if (sent) {
        if (!trx && checked.runAt === null) {
          // Wake this instance's idle workers instead of waiting for their next poll.
          for (const worker of workers.get(name) ?? []) {
            boss.notifyWorker(worker);
          }
        }
        return { id: sent, created: true };
      }
      if (id) {
        return { id, created: false };
      }
      throw new Error(`pg-boss did not store job ${name}`);
    },
    handle<P>(name: string, handler: JobHandler<P>) {
      if (handlers.has(name)) {
        throw new Error(`job ${name} already has a handler`);
      }
      handlers.set(name, handler as JobHandler);
      if (running) {
        work(name, handler as JobHandler).catch((error: unknown) => onError(error, `job ${name}: worker`));
      }
    },
    async start() {
      if (running) {
        return;
      }
      running = true;
      for (const [name, handler] of handlers) {
        await work(name, handler);
      }
    },
    stop: stopWorkers,
    async close() {
      await stopWorkers();
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
    },
    async get(id) {
      const { rows } = await sql.executeSql(`${selectJob} WHERE id = $1`, [id]);
      const row = (rows as JobRow[])[0];
      if (row) {
        return toRecord(row);
      }
      const archived = await sql.executeSql(
        `SELECT id, name, data, state, retry_count, retry_limit, start_after, started_on, singleton_key, created_on,
           output FROM ${schema}.archive WHERE id = $1`,
        [id],
      );
      const old = (archived.rows as JobRow[])[0];
      return old ? toRecord(old) : null;
    },
    async listDead(listOptions = {}) {
      const { rows } = await sql.executeSql(
        `${selectJob} WHERE state = 'failed' ORDER BY completed_on DESC, id DESC LIMIT $1`,
        [listOptions.limit ?? 100],
      );
      return (rows as JobRow[]).map(toRecord);
    },
    async retryDead(id) {
      // One more attempt: the next fetch counts it (retry_count + 1), and a failure then finds no retry left.
      const { rows } = await sql.executeSql(
        `UPDATE ${schema}.job SET state = 'retry', retry_limit = retry_count + 1, start_after = now(),
           completed_on = NULL
         WHERE id = $1 AND state = 'failed' RETURNING name`,
        [id],
      );
      return rows.length > 0;
    },
    async discardDead(id) {
      const { rows } = await sql.executeSql(
        `DELETE FROM ${schema}.job WHERE id = $1 AND state = 'failed' RETURNING id`,
        [id],
      );
      return rows.length > 0;
    },
  };
}
