/**
 * The JobQueue contract, run against every driver: inline (memory), the SQLite table queue, and pg-boss on
 * PostgreSQL (a throwaway pg-boss schema per suite). Durable drivers also prove transactions and restarts.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ZadarmaApiError } from '@switchboard/zadarma';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestDatabase, TEST_DATABASE_URL, type TestDatabase } from '../../test-support/test-database.js';
import { type DatabaseHandle, openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import type { Database } from '../db/schema.js';
import type { AppError } from '../errors/errors.js';
import { createInlineJobQueue } from './inline-job-queue.js';
import { MAX_RETRY_AFTER_MS, retryAfterOf, retryDelayMs } from './job-options.js';
import type { JobQueueDriver, JobRecord, JobRun, JobStatus } from './job-queue.js';
import { jobTransaction } from './kysely-job-transaction.js';
import { createPgBossJobQueue, idempotentJobId, type PgBossJobQueueOptions } from './pg-boss-job-queue.js';
import { createSqliteJobQueue } from './sqlite-job-queue.js';

interface Harness {
  queue: JobQueueDriver;
  /** The database a caller's transaction runs on (durable drivers). */
  db: Kysely<Database> | null;
  /** Closes the queue (and its database) as a stopping server would, and opens a new one on the same storage. */
  restart: (() => Promise<JobQueueDriver>) | null;
  cleanup(): Promise<void>;
}

interface DriverCase {
  readonly name: string;
  readonly durable: boolean;
  open(): Promise<Harness>;
}

const FAST_BACKOFF = { baseMs: 1, maxMs: 4 };

function sqliteCase(): DriverCase {
  return {
    name: 'sqlite',
    durable: true,
    async open() {
      const dir = mkdtempSync(join(tmpdir(), 'switchboard-jobs-'));
      const file = join(dir, 'jobs.sqlite');
      let database: DatabaseHandle = openDatabase({ dialect: 'sqlite', file });
      await migrateToLatest(database.db);
      const make = () => createSqliteJobQueue({ database, pollMs: 10, backoff: FAST_BACKOFF });
      const harness: Harness = {
        queue: make(),
        db: database.db,
        async restart() {
          await harness.queue.close();
          await database.close();
          database = openDatabase({ dialect: 'sqlite', file });
          harness.queue = make();
          harness.db = database.db;
          return harness.queue;
        },
        async cleanup() {
          await harness.queue.close();
          await database.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
      return harness;
    },
  };
}

/** pg-boss in a throwaway schema; `overrides` change the queue's options (a suite of its own). */
function pgBossCase(overrides: Partial<PgBossJobQueueOptions> = {}): DriverCase {
  return {
    name: 'pg-boss',
    durable: true,
    async open() {
      const schema = `pgboss_${randomBytes(5).toString('hex')}`;
      const database: TestDatabase = await openTestDatabase('postgres');
      const make = () =>
        createPgBossJobQueue({
          connectionString: TEST_DATABASE_URL,
          schema,
          poolSize: 3,
          retryDelaySeconds: 0,
          pollingIntervalSeconds: 0.5,
          ...overrides,
        });
      const harness: Harness = {
        queue: await make(),
        db: database.db,
        async restart() {
          await harness.queue.close();
          harness.queue = await make();
          return harness.queue;
        },
        async cleanup() {
          await harness.queue.close();
          await database.cleanup();
          const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
          await client.connect();
          await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
          await client.end();
        },
      };
      return harness;
    },
  };
}

const inlineCase: DriverCase = {
  name: 'inline',
  durable: false,
  async open() {
    const queue = createInlineJobQueue({ pollMs: 10, backoff: FAST_BACKOFF });
    return { queue, db: null, restart: null, cleanup: () => queue.close() };
  },
};

const DRIVERS: DriverCase[] = [inlineCase, sqliteCase(), pgBossCase()];

/** Polls until the job satisfies `done` (a generous deadline: pg-boss workers poll every half second). */
async function waitForJob(
  queue: JobQueueDriver,
  id: string,
  done: (job: JobRecord | null) => boolean,
  withinMs = 30_000,
): Promise<JobRecord | null> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const job = await queue.get(id);
    if (done(job)) {
      return job;
    }
    if (Date.now() > deadline) {
      throw new Error(`job ${id} did not settle: ${JSON.stringify(job)}`);
    }
    await sleep(20);
  }
}

const hasStatus = (status: JobStatus) => (job: JobRecord | null) => job?.status === status;

describe.each(DRIVERS)('the job queue contract on $name', (driver) => {
  let harness: Harness;

  beforeEach(async () => {
    harness = await driver.open();
  });

  afterEach(async () => {
    await harness.cleanup();
  });

  it('runs a job once with its payload and marks it done', async () => {
    const { queue } = harness;
    const runs: JobRun[] = [];
    queue.handle<{ callId: string }>('recordings.download', async (job) => {
      runs.push(job);
    });
    await queue.start();
    const { id, created } = await queue.enqueue('recordings.download', { callId: 'c-1', n: [1, 2] });
    expect(created).toBe(true);
    const job = await waitForJob(queue, id, hasStatus('done'));
    expect(runs).toEqual([
      { id, name: 'recordings.download', payload: { callId: 'c-1', n: [1, 2] }, attempt: 1, maxAttempts: 5 },
    ]);
    expect(job).toMatchObject({ status: 'done', attempts: 1, lastError: null });
  });

  it('makes a second enqueue with the same idempotency key a no-op returning the first job', async () => {
    const { queue } = harness;
    let runs = 0;
    queue.handle('history.import', async () => {
      runs += 1;
    });
    const first = await queue.enqueue('history.import', { page: 1 }, { idempotencyKey: 'import-2024' });
    const second = await queue.enqueue('history.import', { page: 2 }, { idempotencyKey: 'import-2024' });
    expect(second).toEqual({ id: first.id, created: false });
    // The key is unique per job name.
    const other = await queue.enqueue('history.reconcile', {}, { idempotencyKey: 'import-2024' });
    expect(other.created).toBe(true);
    expect(other.id).not.toBe(first.id);
    await queue.start();
    await waitForJob(queue, first.id, hasStatus('done'));
    const third = await queue.enqueue('history.import', { page: 3 }, { idempotencyKey: 'import-2024' });
    expect(third).toEqual({ id: first.id, created: false });
    expect(runs).toBe(1);
    expect((await queue.get(first.id))?.payload).toEqual({ page: 1 });
  });

  it('keeps a job scheduled for later queued while due jobs run', async () => {
    const { queue } = harness;
    const ran: string[] = [];
    queue.handle<string>('callbacks.escalate', async (job) => {
      ran.push(job.payload);
    });
    await queue.start();
    const later = await queue.enqueue('callbacks.escalate', 'later', {
      runAt: new Date(Date.now() + 3600_000),
    });
    const now = await queue.enqueue('callbacks.escalate', 'now');
    await waitForJob(queue, now.id, hasStatus('done'));
    expect(ran).toEqual(['now']);
    expect(await queue.get(later.id)).toMatchObject({ status: 'queued', attempts: 0 });
  });

  it('leaves jobs without a handler untouched', async () => {
    const { queue } = harness;
    queue.handle('known', async () => {});
    await queue.start();
    const orphan = await queue.enqueue('unknown.job', {});
    const known = await queue.enqueue('known', {});
    await waitForJob(queue, known.id, hasStatus('done'));
    expect(await queue.get(orphan.id)).toMatchObject({ status: 'queued', attempts: 0 });
  });

  it('retries a failed job and counts its attempts', async () => {
    const { queue } = harness;
    const attempts: number[] = [];
    queue.handle('flaky', async (job) => {
      attempts.push(job.attempt);
      if (job.attempt < 3) {
        throw new Error(`transient ${job.attempt}`);
      }
    });
    await queue.start();
    const { id } = await queue.enqueue('flaky', {}, { maxAttempts: 4 });
    const job = await waitForJob(queue, id, hasStatus('done'));
    expect(attempts).toEqual([1, 2, 3]);
    expect(job).toMatchObject({ attempts: 3, maxAttempts: 4 });
  });

  it('makes a job dead after maxAttempts with its last error, listed, retried or discarded by an admin', async () => {
    const { queue } = harness;
    let healthy = false;
    queue.handle('reconcile', async (job) => {
      if (!healthy) {
        throw new Error(`Zadarma unreachable (attempt ${job.attempt})`);
      }
    });
    await queue.start();
    const doomed = await queue.enqueue('reconcile', { day: '2024-05-01' }, { maxAttempts: 2 });
    const other = await queue.enqueue('reconcile', { day: '2024-05-02' }, { maxAttempts: 1 });
    const dead = await waitForJob(queue, doomed.id, hasStatus('dead'));
    await waitForJob(queue, other.id, hasStatus('dead'));
    expect(dead).toMatchObject({ attempts: 2, maxAttempts: 2 });
    expect(dead?.lastError).toContain('Zadarma unreachable (attempt 2)');
    expect((await queue.listDead()).map((job) => job.id).sort()).toEqual([doomed.id, other.id].sort());

    healthy = true;
    expect(await queue.retryDead(doomed.id)).toBe(true);
    expect(await queue.retryDead(doomed.id)).toBe(false);
    await waitForJob(queue, doomed.id, hasStatus('done'));
    expect(await queue.discardDead(other.id)).toBe(true);
    expect(await queue.get(other.id)).toBeNull();
    expect(await queue.discardDead(doomed.id)).toBe(false);
    expect(await queue.listDead()).toEqual([]);
  });

  it("waits what a failed attempt's error asks (Zadarma's 429 Retry-After), within a cap, and still dies on the last", async () => {
    const { queue } = harness;
    // A real client error as the SDK throws it on a 429: the wait is its `limits.retryAfterMs`.
    const refused = (retryAfterMs: number) =>
      new ZadarmaApiError({
        code: 'rate_limited',
        httpMethod: 'GET',
        path: '/v1/pbx/record/request/',
        httpStatus: 429,
        limits: { limit: 100, remaining: 0, reset: null, retryAfterMs, method: null, headers: {} },
      });
    queue.handle<{ wait: number }>('recordings.fetch', async (job) => {
      // Wrapped, as a use case that adds context does: the wait is read from the cause too.
      throw new Error('fetch failed', { cause: refused(job.payload.wait) });
    });
    await queue.start();
    const before = Date.now();
    const asked = await queue.enqueue('recordings.fetch', { wait: 90_000 }, { maxAttempts: 3 });
    const greedy = await queue.enqueue('recordings.fetch', { wait: 10 * 24 * 3600_000 }, { maxAttempts: 3 });
    const last = await queue.enqueue('recordings.fetch', { wait: 90_000 }, { maxAttempts: 1 });
    // Settled after its first attempt: queued again (or, were the wait ignored, perhaps retried to death already).
    const retried = (job: JobRecord | null) => (job?.attempts ?? 0) >= 1 && job?.status !== 'running';
    const first = await waitForJob(queue, asked.id, retried);
    const capped = await waitForJob(queue, greedy.id, retried);
    const after = Date.now();
    // Without the wait, the suite's backoff (a few ms; pg-boss: none) would have run it again long since.
    const dueIn = (job: JobRecord | null) => Date.parse(job?.runAt ?? '');
    // A second of slack each side: pg-boss dates the retry by the database's clock.
    expect(dueIn(first)).toBeGreaterThanOrEqual(before + 90_000 - 1_000);
    expect(dueIn(first)).toBeLessThanOrEqual(after + 90_000 + 1_000);
    expect(dueIn(capped)).toBeGreaterThanOrEqual(before + MAX_RETRY_AFTER_MS - 1_000);
    expect(dueIn(capped)).toBeLessThanOrEqual(after + MAX_RETRY_AFTER_MS + 1_000);
    expect(first).toMatchObject({ status: 'queued', attempts: 1 });
    expect(first?.lastError).toContain('fetch failed');
    // Its last attempt spent, a job asking to wait is dead like any other.
    expect(await waitForJob(queue, last.id, hasStatus('dead'))).toMatchObject({ attempts: 1 });
  });

  it('refuses a bad name, attempts out of range and an oversized payload before storing anything', async () => {
    const { queue } = harness;
    const code = (promise: Promise<unknown>) =>
      promise.then(
        () => 'stored',
        (error: AppError) => error.code,
      );
    expect(await code(queue.enqueue('1bad name', {}))).toBe('SB_ERR_VALIDATION');
    expect(await code(queue.enqueue('ok', {}, { maxAttempts: 0 }))).toBe('SB_ERR_VALIDATION');
    expect(await code(queue.enqueue('ok', 'x'.repeat(70_000)))).toBe('SB_ERR_PAYLOAD_TOO_LARGE');
    expect(await queue.listDead()).toEqual([]);
  });
});

describe.each(DRIVERS.filter((driver) => driver.durable))(
  'the durable job queue contract on $name',
  (driver) => {
    let harness: Harness;

    beforeEach(async () => {
      harness = await driver.open();
    });

    afterEach(async () => {
      await harness.cleanup();
    });

    it('stores a job enqueued in a transaction only if the transaction commits', async () => {
      const { queue } = harness;
      const db = harness.db as Kysely<Database>;
      const ran: string[] = [];
      queue.handle<string>('tx.job', async (job) => {
        ran.push(job.payload);
      });
      await queue.start();
      let rolledBack = '';
      await db
        .transaction()
        .execute(async (trx) => {
          rolledBack = (await queue.enqueue('tx.job', 'rolled back', { trx: jobTransaction(trx) })).id;
          throw new Error('abort');
        })
        .catch(() => {});
      const committed = await db
        .transaction()
        .execute(
          async (trx) => (await queue.enqueue('tx.job', 'committed', { trx: jobTransaction(trx) })).id,
        );
      await waitForJob(queue, committed, hasStatus('done'));
      expect(await queue.get(rolledBack)).toBeNull();
      expect(ran).toEqual(['committed']);
    });

    it('runs a job enqueued before a restart', async () => {
      const before = await harness.queue.enqueue('survivor', { n: 1 });
      const queue = await (harness.restart as () => Promise<JobQueueDriver>)();
      const ran: unknown[] = [];
      queue.handle('survivor', async (job) => {
        ran.push(job.payload);
      });
      await queue.start();
      await waitForJob(queue, before.id, hasStatus('done'));
      expect(ran).toEqual([{ n: 1 }]);
    });
  },
);

describe('pg-boss workers with a backlog', () => {
  it('take the next job as soon as one is done, not a polling interval later', async () => {
    // One worker polling every 30 s: only a worker that asks for the next job at once gets through the backlog
    // within the 10 s each job is given below.
    const harness = await pgBossCase({ pollingIntervalSeconds: 30, concurrency: 1 }).open();
    const { queue } = harness;
    try {
      const ran: number[] = [];
      queue.handle<number>('backlog', async (job) => {
        ran.push(job.payload);
      });
      await queue.start();
      // Enqueued in a transaction, as every after-call job is: nothing wakes the worker for these.
      const inTransaction = await (harness.db as Kysely<Database>).transaction().execute(async (trx) => {
        const ids: string[] = [];
        for (let n = 0; n < 5; n++) {
          ids.push((await queue.enqueue('backlog', n, { trx: jobTransaction(trx) })).id);
        }
        return ids;
      });
      // One enqueued on its own wakes the idle worker, which then works through all six.
      const alone = await queue.enqueue('backlog', 5);
      for (const id of [alone.id, ...inTransaction]) {
        await waitForJob(queue, id, hasStatus('done'), 10_000);
      }
      expect(ran.sort()).toEqual([0, 1, 2, 3, 4, 5]);
    } finally {
      await harness.cleanup();
    }
  });
});

describe('the SQLite table queue (leases and backoff)', () => {
  let dir: string;
  let database: DatabaseHandle;
  let clock: number;
  const now = () => clock;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'switchboard-jobs-'));
    database = openDatabase({ dialect: 'sqlite', file: join(dir, 'jobs.sqlite') });
    await migrateToLatest(database.db);
    clock = Date.parse('2025-01-01T00:00:00.000Z');
  });

  afterEach(async () => {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A row as a worker that died mid-run leaves it: running, its lease in the past. */
  async function crashedJob(id: string, attempts: number, maxAttempts: number): Promise<void> {
    await database.db
      .insertInto('jobs')
      .values({
        id,
        name: 'download',
        payload: '{"callId":"c-9"}',
        status: 'running',
        idempotency_key: null,
        attempts,
        max_attempts: maxAttempts,
        run_at: new Date(clock - 600_000).toISOString(),
        locked_until: new Date(clock - 1).toISOString(),
        locked_by: 'a-worker-that-died',
        last_error: null,
        created_at: new Date(clock - 600_000).toISOString(),
        updated_at: new Date(clock - 600_000).toISOString(),
        finished_at: null,
      })
      .execute();
  }

  it("re-runs a crashed worker's job after its lease, and buries it when that was its last attempt", async () => {
    await crashedJob('crashed-1', 1, 3);
    await crashedJob('crashed-last', 3, 3);
    const queue = createSqliteJobQueue({ database, now, pollMs: 10 });
    const runs: JobRun[] = [];
    queue.handle('download', async (job) => {
      runs.push(job);
    });
    await queue.start();
    await waitForJob(queue, 'crashed-1', hasStatus('done'));
    const last = await waitForJob(queue, 'crashed-last', hasStatus('dead'));
    await queue.close();
    expect(runs.map((run) => [run.id, run.attempt])).toEqual([['crashed-1', 2]]);
    expect(last?.lastError).toContain('lease expired');
  });

  it('does not take a job whose lease still holds', async () => {
    await crashedJob('leased', 1, 3);
    await database.db
      .updateTable('jobs')
      .set({ locked_until: new Date(clock + 60_000).toISOString() })
      .execute();
    const queue = createSqliteJobQueue({ database, now, pollMs: 10 });
    queue.handle('download', async () => {});
    const due = await queue.enqueue('download', {});
    await queue.start();
    await waitForJob(queue, due.id, hasStatus('done'));
    await queue.close();
    expect(await queue.get('leased')).toMatchObject({ status: 'running', attempts: 1 });
  });

  it('schedules a retry after an exponential delay with jitter, and runs it once due', async () => {
    const queue = createSqliteJobQueue({
      database,
      now,
      pollMs: 10,
      backoff: { baseMs: 10_000, maxMs: 3600_000 },
      random: () => 0.5,
    });
    let attempt = 0;
    queue.handle('flaky', async (job) => {
      attempt = job.attempt;
      if (job.attempt < 3) {
        throw new Error('not yet');
      }
    });
    await queue.start();
    const { id } = await queue.enqueue('flaky', {});
    // First failure: 10 s doubled 0 times, half fixed and half × 0.5 → 7.5 s.
    let job = await waitForJob(queue, id, (j) => j?.attempts === 1 && j.status === 'queued');
    expect(Date.parse(job?.runAt ?? '') - clock).toBe(7_500);
    clock += 7_499;
    queue.handle('nudge', async () => {});
    const nudge = await queue.enqueue('nudge', {});
    await waitForJob(queue, nudge.id, hasStatus('done'));
    expect(attempt).toBe(1);
    clock += 1;
    job = await waitForJob(queue, id, (j) => j?.attempts === 2 && j.status === 'queued');
    // Second failure: 20 s → 15 s.
    expect(Date.parse(job?.runAt ?? '') - clock).toBe(15_000);
    clock += 15_000;
    job = await waitForJob(queue, id, hasStatus('done'));
    await queue.close();
    expect(job?.attempts).toBe(3);
  });
});

describe('retry delays', () => {
  it('double from the base, stay under the cap, and spread over the upper half', () => {
    const policy = { baseMs: 1000, maxMs: 60_000 };
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, policy, () => 0))).toEqual([500, 1000, 2000, 4000]);
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, policy, () => 0.999_999))).toEqual([
      1000, 2000, 4000, 8000,
    ]);
    expect(retryDelayMs(40, policy, () => 0.999_999)).toBe(60_000);
  });

  it("read an error's Retry-After, or its cause's, within [0, the cap], and nothing from other errors", () => {
    expect(retryAfterOf({ retryAfterMs: 1500.4 })).toBe(1500);
    expect(retryAfterOf(new Error('outer', { cause: { retryAfterMs: 2000 } }))).toBe(2000);
    expect(retryAfterOf({ retryAfterMs: -5 })).toBe(0);
    expect(retryAfterOf({ retryAfterMs: 1e12 })).toBe(MAX_RETRY_AFTER_MS);
    expect(retryAfterOf({ retryAfterMs: null })).toBeNull();
    expect(retryAfterOf({ retryAfterMs: Number.NaN })).toBeNull();
    expect(retryAfterOf(new Error('plain'))).toBeNull();
    expect(retryAfterOf('a string')).toBeNull();
  });

  it('gives pg-boss the same id for the same key and name only', () => {
    expect(idempotentJobId('a', 'k')).toBe(idempotentJobId('a', 'k'));
    expect(idempotentJobId('a', 'k')).not.toBe(idempotentJobId('b', 'k'));
    expect(idempotentJobId('a', 'k')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });
});
