/**
 * The worker of the table and inline queues: claims due jobs whose name has a handler, runs them off the request
 * path, and records the outcome (done, retry later — when the error says, else with backoff — or dead). pg-boss brings its own worker.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { processScopedId } from '../instances/process-identity.js';
import { type BackoffPolicy, errorText, nextAttemptDelayMs } from './job-options.js';
import type { JobHandler } from './job-queue.js';

/** A job a worker holds the lease of. `payloadJson` is as stored. */
export interface ClaimedJob {
  readonly id: string;
  readonly name: string;
  readonly payloadJson: string;
  /** Attempts started, this one included. */
  readonly attempts: number;
  readonly maxAttempts: number;
}

/** Where the worker's jobs live: the SQLite table or memory. Times are epoch ms from the worker's clock. */
export interface JobStore {
  /**
   * Leases up to `limit` due jobs named in `names` to `workerId` until `until`, counting an attempt for each; a
   * job whose lease ran out is due again, or dead if that was its last attempt.
   */
  claim(
    names: readonly string[],
    limit: number,
    workerId: string,
    until: number,
    now: number,
  ): Promise<ClaimedJob[]>;
  /** Marks the job done, if `workerId` still holds it. */
  complete(id: string, workerId: string, now: number): Promise<void>;
  /** Records a failed attempt: due again at `retryAt`, or dead when `retryAt` is null. */
  fail(id: string, workerId: string, error: string, retryAt: number | null, now: number): Promise<void>;
  /** Moves the leases `workerId` holds on `ids` to `until`. */
  extend(ids: readonly string[], workerId: string, until: number): Promise<void>;
  /** Deletes jobs done before `before` (housekeeping). */
  prune(before: number): Promise<void>;
}

export interface JobWorkerOptions {
  readonly store: JobStore;
  readonly handlers: ReadonlyMap<string, JobHandler>;
  readonly now: () => number;
  /** Pause between looks at the store when nothing is due, ms. */
  readonly pollMs: number;
  /** How long a claimed job is the worker's before another may take it, ms; renewed while it runs. */
  readonly leaseMs: number;
  /** Jobs run at once. */
  readonly concurrency: number;
  readonly backoff: BackoffPolicy;
  /** How long finished jobs are kept (the idempotency window), ms. */
  readonly keepDoneMs: number;
  readonly random?: () => number;
  /** Store errors and handler failures, for logs. */
  readonly onError: (error: unknown, context: string) => void;
}

export interface JobWorker {
  readonly id: string;
  start(): void;
  /** Looks at the store now instead of at the next poll (a job was just enqueued here). */
  wake(): void;
  /** Claims and runs one batch of due jobs; resolves with how many ran. */
  runOnce(): Promise<number>;
  /** Stops taking jobs and waits for the running ones. */
  stop(): Promise<void>;
}

const PRUNE_EVERY_MS = 10 * 60_000;

/**
 * Creates a worker over `store`. Between jobs it yields to the event loop, and it never waits on the store
 * synchronously. Why: background work must not delay requests or the telephony hot path.
 */
export function createJobWorker(options: JobWorkerOptions): JobWorker {
  const { store, handlers, now } = options;
  // Names this process, so that after a crash the next start here can end this worker's leases at once.
  const id = processScopedId();
  const inFlight = new Set<string>();
  let running = false;
  let loop: Promise<void> | null = null;
  let wakeUp: (() => void) | null = null;
  let woken = false;
  let lastPrune = 0;

  async function runJob(job: ClaimedJob): Promise<void> {
    const handler = handlers.get(job.name);
    try {
      if (!handler) {
        throw new Error(`no handler for job ${job.name}`);
      }
      await handler({
        id: job.id,
        name: job.name,
        payload: JSON.parse(job.payloadJson) as unknown,
        attempt: job.attempts,
        maxAttempts: job.maxAttempts,
      });
    } catch (error) {
      const last = job.attempts >= job.maxAttempts;
      const at = now();
      // The wait the error asks for (Zadarma's Retry-After on a 429), else doubling backoff with jitter.
      const retryAt = last
        ? null
        : at + nextAttemptDelayMs(error, job.attempts, options.backoff, options.random);
      options.onError(error, `job ${job.name} ${job.id} attempt ${job.attempts}/${job.maxAttempts}`);
      await store.fail(job.id, id, errorText(error), retryAt, at);
      return;
    }
    await store.complete(job.id, id, now());
  }

  async function runOnce(): Promise<number> {
    const names = [...handlers.keys()];
    if (names.length === 0) {
      return 0;
    }
    const at = now();
    if (at - lastPrune > PRUNE_EVERY_MS) {
      lastPrune = at;
      await store.prune(at - options.keepDoneMs);
    }
    const jobs = await store.claim(names, options.concurrency, id, at + options.leaseMs, at);
    if (jobs.length === 0) {
      return 0;
    }
    for (const job of jobs) {
      inFlight.add(job.id);
    }
    // A handler that outlives its lease keeps it: renewed at a third of the lease while anything runs.
    const renew = setInterval(
      () => {
        store.extend([...inFlight], id, now() + options.leaseMs).catch((error: unknown) => {
          options.onError(error, 'job lease renewal');
        });
      },
      Math.max(1, Math.floor(options.leaseMs / 3)),
    );
    renew.unref();
    try {
      await Promise.all(
        jobs.map((job) =>
          runJob(job)
            .catch((error: unknown) => {
              // The outcome was not stored: the lease runs out and the job runs again (at least once).
              options.onError(error, `job ${job.name} ${job.id}: storing the outcome`);
            })
            .finally(() => inFlight.delete(job.id)),
        ),
      );
    } finally {
      clearInterval(renew);
    }
    return jobs.length;
  }

  function idle(ms: number): Promise<void> {
    if (woken) {
      woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakeUp = null;
        woken = false;
        resolve();
      }
      wakeUp = done;
    });
  }

  async function run(): Promise<void> {
    while (running) {
      let ran = 0;
      try {
        ran = await runOnce();
      } catch (error) {
        options.onError(error, 'job queue: claiming jobs');
      }
      if (!running) {
        break;
      }
      if (ran === 0) {
        await idle(options.pollMs);
      } else {
        await yieldToEventLoop();
      }
    }
  }

  return {
    id,
    start() {
      if (!running) {
        running = true;
        loop = run();
      }
    },
    wake() {
      if (wakeUp) {
        wakeUp();
      } else {
        woken = true;
      }
    },
    runOnce,
    async stop() {
      running = false;
      wakeUp?.();
      await loop;
      loop = null;
    },
  };
}
