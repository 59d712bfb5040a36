/**
 * The inline driver: jobs in memory, run by the same worker as the table queue, plus `drain()` to run what is
 * due right now. For unit tests of use cases (Twenty's sync driver plays this part). Not durable, and a `trx`
 * is ignored: nothing here can roll back with a database.
 */
import { newId } from '../ids.js';
import { type BackoffPolicy, checkEnqueue } from './job-options.js';
import type {
  EnqueuedJob,
  EnqueueOptions,
  JobHandler,
  JobQueueDriver,
  JobRecord,
  JobStatus,
} from './job-queue.js';
import { type ClaimedJob, createJobWorker, type JobStore } from './job-worker.js';

interface MemoryJob {
  id: string;
  name: string;
  payloadJson: string;
  status: JobStatus;
  idempotencyKey: string | null;
  attempts: number;
  maxAttempts: number;
  runAt: number;
  lockedUntil: number | null;
  lockedBy: string | null;
  lastError: string | null;
  createdAt: number;
  finishedAt: number | null;
}

export interface InlineJobQueueOptions {
  /** The clock (default `Date.now`): tests move it to make retries and `runAt` due. */
  readonly now?: () => number;
  readonly backoff?: BackoffPolicy;
  readonly random?: () => number;
  readonly leaseMs?: number;
  readonly pollMs?: number;
  readonly onError?: (error: unknown, context: string) => void;
}

/** The inline queue adds `drain()`: run every due job, retries that fall due meanwhile included, until none is. */
export interface InlineJobQueue extends JobQueueDriver {
  /** Runs due jobs until none is left; resolves with how many runs there were. */
  drain(): Promise<number>;
}

const iso = (ms: number) => new Date(ms).toISOString();

function toRecord(job: MemoryJob): JobRecord {
  return {
    id: job.id,
    name: job.name,
    payload: JSON.parse(job.payloadJson) as unknown,
    status: job.status,
    attempts: job.attempts,
    maxAttempts: job.maxAttempts,
    runAt: iso(job.runAt),
    lastError: job.lastError,
    idempotencyKey: job.idempotencyKey,
    createdAt: iso(job.createdAt),
  };
}

/**
 * Creates an in-memory queue. Why: use-case tests check what was enqueued and what a handler did without a
 * database, and with a clock they control.
 */
export function createInlineJobQueue(options: InlineJobQueueOptions = {}): InlineJobQueue {
  const now = options.now ?? Date.now;
  const jobs = new Map<string, MemoryJob>();
  const handlers = new Map<string, JobHandler>();

  const store: JobStore = {
    async claim(names, limit, workerId, until, at) {
      const claimed: ClaimedJob[] = [];
      for (const job of jobs.values()) {
        if (claimed.length >= limit) {
          break;
        }
        if (!names.includes(job.name)) {
          continue;
        }
        const expired = job.status === 'running' && (job.lockedUntil ?? 0) <= at;
        if (expired && job.attempts >= job.maxAttempts) {
          job.status = 'dead';
          job.lastError ??= 'the worker running it stopped (lease expired)';
          job.finishedAt = at;
          continue;
        }
        if ((job.status === 'queued' && job.runAt <= at) || expired) {
          job.status = 'running';
          job.attempts += 1;
          job.lockedUntil = until;
          job.lockedBy = workerId;
          claimed.push({
            id: job.id,
            name: job.name,
            payloadJson: job.payloadJson,
            attempts: job.attempts,
            maxAttempts: job.maxAttempts,
          });
        }
      }
      return claimed;
    },
    async complete(id, workerId, at) {
      const job = jobs.get(id);
      if (job?.status === 'running' && job.lockedBy === workerId) {
        Object.assign(job, { status: 'done', lockedUntil: null, lockedBy: null, finishedAt: at });
      }
    },
    async fail(id, workerId, error, retryAt, at) {
      const job = jobs.get(id);
      if (job?.status !== 'running' || job.lockedBy !== workerId) {
        return;
      }
      Object.assign(job, { lockedUntil: null, lockedBy: null, lastError: error });
      if (retryAt === null) {
        Object.assign(job, { status: 'dead', finishedAt: at });
      } else {
        Object.assign(job, { status: 'queued', runAt: retryAt });
      }
    },
    async extend(ids, workerId, until) {
      for (const id of ids) {
        const job = jobs.get(id);
        if (job?.status === 'running' && job.lockedBy === workerId) {
          job.lockedUntil = until;
        }
      }
    },
    async prune(before) {
      for (const job of jobs.values()) {
        if (job.status === 'done' && (job.finishedAt ?? 0) < before) {
          jobs.delete(job.id);
        }
      }
    },
  };

  const worker = createJobWorker({
    store,
    handlers,
    now,
    pollMs: options.pollMs ?? 50,
    leaseMs: options.leaseMs ?? 5 * 60_000,
    concurrency: 4,
    backoff: options.backoff ?? { baseMs: 1_000, maxMs: 60_000 },
    keepDoneMs: 7 * 24 * 3600_000,
    ...(options.random ? { random: options.random } : {}),
    onError: options.onError ?? (() => {}),
  });

  const deadJob = (id: string) => {
    const job = jobs.get(id);
    return job?.status === 'dead' ? job : null;
  };

  return {
    kind: 'inline',
    async enqueue<P>(name: string, payload: P, enqueueOptions: EnqueueOptions = {}): Promise<EnqueuedJob> {
      const checked = checkEnqueue(name, payload, enqueueOptions);
      if (checked.idempotencyKey !== null) {
        for (const job of jobs.values()) {
          if (job.name === name && job.idempotencyKey === checked.idempotencyKey) {
            return { id: job.id, created: false };
          }
        }
      }
      const at = now();
      const id = newId();
      jobs.set(id, {
        id,
        name,
        payloadJson: checked.payloadJson,
        status: 'queued',
        idempotencyKey: checked.idempotencyKey,
        attempts: 0,
        maxAttempts: checked.maxAttempts,
        runAt: checked.runAt ?? at,
        lockedUntil: null,
        lockedBy: null,
        lastError: null,
        createdAt: at,
        finishedAt: null,
      });
      worker.wake();
      return { id, created: true };
    },
    handle<P>(name: string, handler: JobHandler<P>) {
      handlers.set(name, handler as JobHandler);
      worker.wake();
    },
    async start() {
      worker.start();
    },
    stop: () => worker.stop(),
    close: () => worker.stop(),
    async drain() {
      let runs = 0;
      for (let ran = await worker.runOnce(); ran > 0; ran = await worker.runOnce()) {
        runs += ran;
      }
      return runs;
    },
    async get(id) {
      const job = jobs.get(id);
      return job ? toRecord(job) : null;
    },
    async listDead(listOptions = {}) {
      return [...jobs.values()]
        .filter((job) => job.status === 'dead')
        .sort((a, b) => (b.finishedAt ?? 0) - (a.finishedAt ?? 0))
        .slice(0, listOptions.limit ?? 100)
        .map(toRecord);
    },
    async retryDead(id) {
      const job = deadJob(id);
      if (!job) {
        return false;
      }
      Object.assign(job, { status: 'queued', runAt: now(), maxAttempts: job.attempts + 1, finishedAt: null });
      worker.wake();
      return true;
    },
    async discardDead(id) {
      return deadJob(id) ? jobs.delete(id) : false;
    },
  };
}
