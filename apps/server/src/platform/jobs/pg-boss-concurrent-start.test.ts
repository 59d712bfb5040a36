/**
 * Several instances starting together on one PostgreSQL (a rolling deploy, a cluster after an outage): their
 * pg-boss queues install the same schema and create the same queues at the same moment, which PostgreSQL may
 * answer with a deadlock (40P01) or a serialization failure for one of them. Every instance must still start.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_DATABASE_URL } from '../../test-support/test-database.js';
import type { JobQueueDriver } from './job-queue.js';
import { createPgBossJobQueue, retryLockConflicts } from './pg-boss-job-queue.js';

const JOB_NAMES = Array.from({ length: 12 }, (_, i) => `concurrent.job-${i}`);

let schema = '';
const opened: JobQueueDriver[] = [];

afterEach(async () => {
  await Promise.all(opened.splice(0).map((queue) => queue.close()));
  if (schema === '') {
    return;
  }
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
  schema = '';
});

describe('pg-boss queues starting together on one schema', () => {
  it('all three open and start, and every job name gets a working worker', async () => {
    schema = `pgboss_${randomBytes(5).toString('hex')}`;
    const handled = new Map<string, Set<number>>();
    const queues = await Promise.all(
      [0, 1, 2].map(async (instance) => {
        const queue = await createPgBossJobQueue({
          connectionString: TEST_DATABASE_URL,
          schema,
          poolSize: 3,
          retryDelaySeconds: 0,
          pollingIntervalSeconds: 0.5,
          concurrency: 1,
        });
        opened.push(queue);
        // Each instance registers the names in its own order: the order that provokes lock cycles.
        const names = instance === 1 ? [...JOB_NAMES].reverse() : JOB_NAMES;
        for (const name of names) {
          queue.handle(name, async () => {
            const seen = handled.get(name) ?? new Set<number>();
            seen.add(instance);
            handled.set(name, seen);
          });
        }
        return queue;
      }),
    );
    const started = await Promise.allSettled(queues.map((queue) => queue.start()));
    // The reasons, not only the statuses: a failure says which PostgreSQL error escaped.
    const why = (outcome: PromiseSettledResult<void>) =>
      outcome.status === 'fulfilled'
        ? 'started'
        : `${(outcome.reason as { code?: string }).code ?? ''} ${String(outcome.reason)}`;
    expect(started.map(why)).toEqual(['started', 'started', 'started']);

    for (const name of JOB_NAMES) {
      await queues[0]?.enqueue(name, { n: 1 });
    }
    const deadline = Date.now() + 20_000;
    while (handled.size < JOB_NAMES.length && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect([...handled.keys()].sort()).toEqual([...JOB_NAMES].sort());
  });
});

describe('retryLockConflicts', () => {
  const failing = (codes: readonly (string | undefined)[]) => {
    let calls = 0;
    return {
      calls: () => calls,
      async operation() {
        const code = codes[calls++];
        if (code !== undefined) {
          throw Object.assign(new Error(`failure ${code}`), { code });
        }
        return 'done';
      },
    };
  };

  it('asks again after deadlocks and serialization failures, pausing longer each time', async () => {
    const pauses: number[] = [];
    const op = failing(['40P01', '40001', '40P01']);
    const sleep = async (ms: number) => {
      pauses.push(ms);
    };
    await expect(retryLockConflicts(op.operation, sleep)).resolves.toBe('done');
    expect(op.calls()).toBe(4);
    // Equal jitter around 50, 100, 200 ms: each pause at least half its step and at most the step.
    expect(pauses).toHaveLength(3);
    pauses.forEach((ms, i) => {
      expect(ms).toBeGreaterThanOrEqual(25 * 2 ** i);
      expect(ms).toBeLessThanOrEqual(50 * 2 ** i);
    });
  });

  it('lets any other error through at once', async () => {
    const op = failing(['23505']);
    await expect(retryLockConflicts(op.operation, async () => {})).rejects.toThrow('failure 23505');
    expect(op.calls()).toBe(1);
  });

  it('gives up after eight tries with the last error', async () => {
    const op = failing(Array.from({ length: 20 }, () => '40P01'));
    await expect(retryLockConflicts(op.operation, async () => {})).rejects.toMatchObject({ code: '40P01' });
    expect(op.calls()).toBe(8);
  });
});
