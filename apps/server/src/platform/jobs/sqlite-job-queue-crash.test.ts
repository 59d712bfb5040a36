/**
 * A crash restart resumes the jobs the crashed process was running at once: a starting SQLite queue ends the
 * leases its dead predecessors on this machine held (platform/instances/process-identity.ts), instead of letting
 * them wait out the 5 min lease. Leases held by a live process, or by one elsewhere, are left alone.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type DatabaseHandle, openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { currentProcessIdentity, processScopedId } from '../instances/process-identity.js';
import type { JobQueueDriver } from './job-queue.js';
import { createSqliteJobQueue } from './sqlite-job-queue.js';

let dir: string;
let database: DatabaseHandle;
let queue: JobQueueDriver | null = null;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'switchboard-jobs-crash-'));
  database = openDatabase({ dialect: 'sqlite', file: join(dir, 'jobs.sqlite') });
  await migrateToLatest(database.db);
});

afterEach(async () => {
  await queue?.close();
  queue = null;
  await database.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A job left `running` under `worker`'s lease (five minutes ahead), after `attempts` of `maxAttempts`. */
async function leftRunning(worker: string, attempts = 1, maxAttempts = 5): Promise<string> {
  const setup = createSqliteJobQueue({ database });
  const { id } = await setup.enqueue('crash.work', { n: 1 }, { maxAttempts });
  await database.db
    .updateTable('jobs')
    .set({
      status: 'running',
      attempts,
      locked_by: worker,
      locked_until: new Date(Date.now() + 5 * 60_000).toISOString(),
    })
    .where('id', '=', id)
    .execute();
  return id;
}

const exitedPid = () => spawnSync(process.execPath, ['-e', '0']).pid as number;

describe('the SQLite queue starting after a crash', () => {
  it('runs at once the job a dead worker of this machine held, as its next attempt', async () => {
    const id = await leftRunning(processScopedId({ ...currentProcessIdentity(), pid: exitedPid() }));
    const runs: number[] = [];
    queue = createSqliteJobQueue({ database, pollMs: 10 });
    queue.handle('crash.work', async (job) => {
      runs.push(job.attempt);
    });
    await queue.start();
    // Polled, never slept: without the take-over the lease holds it for five minutes.
    await vi.waitFor(async () => expect((await queue?.get(id))?.status).toBe('done'), {
      timeout: 10_000,
      interval: 20,
    });
    expect(runs).toEqual([2]);
  });

  it('buries a job the dead worker held on its last attempt, saying the worker stopped', async () => {
    const id = await leftRunning(processScopedId({ ...currentProcessIdentity(), pid: exitedPid() }), 3, 3);
    queue = createSqliteJobQueue({ database, pollMs: 10 });
    queue.handle('crash.work', async () => {});
    await queue.start();
    await vi.waitFor(async () => expect((await queue?.get(id))?.status).toBe('dead'), {
      timeout: 10_000,
      interval: 20,
    });
    expect((await queue.get(id))?.lastError).toMatch(/the worker running it stopped/);
  });

  it('leaves the leases of a live process here, of a process elsewhere and of a worker naming none', async () => {
    const me = currentProcessIdentity();
    const held = [
      await leftRunning(processScopedId({ ...me, pid: process.ppid })),
      await leftRunning(processScopedId({ ...me, place: '0f1e2d3c4b5a6978', pid: exitedPid() })),
      await leftRunning('legacy-worker-id'),
    ];
    queue = createSqliteJobQueue({ database, pollMs: 10 });
    const ran: string[] = [];
    queue.handle('crash.work', async (job) => {
      ran.push(job.id);
    });
    await queue.start();
    // A fresh job runs: the worker has looked at the table since it started.
    const { id: fresh } = await queue.enqueue('crash.work', { n: 2 });
    await vi.waitFor(async () => expect((await queue?.get(fresh))?.status).toBe('done'), {
      timeout: 10_000,
      interval: 20,
    });
    expect(ran).toEqual([fresh]);
    for (const id of held) {
      expect((await queue.get(id))?.status).toBe('running');
    }
  });
});
