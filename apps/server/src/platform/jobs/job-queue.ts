/**
 * The job queue port: work that must happen off the request path and survive a restart (recording downloads,
 * history import, callback escalation, reconciliation). Use cases take `JobQueue` (enqueue only); the
 * composition root holds a `JobQueueDriver` (run, stop, dead letters). Drivers: `inline-job-queue.ts` (memory,
 * tests), `sqlite-job-queue.ts` (a table queue), `pg-boss-job-queue.ts` (PostgreSQL).
 */

declare const jobTransactionBrand: unique symbol;

/**
 * The caller's open database transaction, opaque: only a driver can look inside (`kysely-job-transaction.ts`
 * makes one from a Kysely transaction). Why: a use case can make a job part of its transaction without the
 * port handing out a query builder.
 */
export interface JobTransaction {
  readonly [jobTransactionBrand]: 'JobTransaction';
}

/** How a job is enqueued. Every field is optional. */
export interface EnqueueOptions {
  /**
   * Unique per job name: a second enqueue with the same key does nothing and returns the first job (for as
   * long as the first job is kept: dead jobs until discarded, finished ones at least 7 days).
   */
  readonly idempotencyKey?: string;
  /** Not before this time (default: now). */
  readonly runAt?: Date;
  /** Attempts before the job is dead (default 5, at least 1). */
  readonly maxAttempts?: number;
  /** Write the job in this transaction: it exists only if the transaction commits. */
  readonly trx?: JobTransaction;
}

/** What `enqueue` answers: the job's id, and whether this call created it (false: the idempotency key matched). */
export interface EnqueuedJob {
  readonly id: string;
  readonly created: boolean;
}

/** Where a job is in its life. `dead`: it failed `maxAttempts` times and waits for an admin. */
export type JobStatus = 'queued' | 'running' | 'done' | 'dead';

/** A job as stored. `payload` is the JSON value given to `enqueue`. */
export interface JobRecord {
  readonly id: string;
  readonly name: string;
  readonly payload: unknown;
  readonly status: JobStatus;
  /** Attempts started so far. */
  readonly attempts: number;
  readonly maxAttempts: number;
  /** When it is due next (ISO-8601 UTC). */
  readonly runAt: string;
  /** The error of the last failed attempt. */
  readonly lastError: string | null;
  readonly idempotencyKey: string | null;
  readonly createdAt: string;
}

/** One run of a job, as its handler sees it. */
export interface JobRun<P = unknown> {
  readonly id: string;
  readonly name: string;
  readonly payload: P;
  /** 1 on the first run. */
  readonly attempt: number;
  readonly maxAttempts: number;
}

/**
 * Runs one job; a throw (or rejection) fails the attempt, which is retried with backoff until `maxAttempts`.
 * Handlers must be idempotent: a job whose worker died mid-run is run again after its lease.
 */
export type JobHandler<P = unknown> = (job: JobRun<P>) => Promise<void>;

/**
 * What use cases see: put a job in the queue.
 * Why: the use case decides what must happen later, the driver decides where and when it runs.
 * @public the port the telephony use cases are to take (issue 10, items 2 and 3); none does yet.
 */
export interface JobQueue {
  /**
   * Enqueues `name` with a JSON-serialisable `payload` (at most 64 KiB once encoded).
   * Why: work that outlives the request (a download, an import) is durable before the request answers.
   */
  enqueue<P>(name: string, payload: P, options?: EnqueueOptions): Promise<EnqueuedJob>;
}

/**
 * The whole queue, for the composition root and the admin routes: handlers by job name, the worker, dead letters.
 * Why: one interface per driver keeps the contract suite (`job-queue.contract.test.ts`) the same for all.
 */
export interface JobQueueDriver extends JobQueue {
  /** Which driver this is (`inline`, `sqlite`, `pg-boss`), for logs and the admin page. */
  readonly kind: 'inline' | 'sqlite' | 'pg-boss';
  /** Registers the handler of jobs named `name` (one per name). Jobs without a handler wait, untouched. */
  handle<P>(name: string, handler: JobHandler<P>): void;
  /** Starts running due jobs in the background. */
  start(): Promise<void>;
  /** Stops taking jobs and waits for the running ones; the queue stays usable for `enqueue` until `close`. */
  stop(): Promise<void>;
  /** One job by id, or null. */
  get(id: string): Promise<JobRecord | null>;
  /** Dead jobs, most recent first. */
  listDead(options?: { readonly limit?: number }): Promise<JobRecord[]>;
  /** Queues a dead job again, due now, for one more attempt (failing again makes it dead again); false if none. */
  retryDead(id: string): Promise<boolean>;
  /** Deletes a dead job; false if there is no such dead job. */
  discardDead(id: string): Promise<boolean>;
  /** Stops and releases what the driver opened (not the application's database). */
  close(): Promise<void>;
}

/** Attempts when `maxAttempts` is not given. */
export const DEFAULT_MAX_ATTEMPTS = 5;
/** Upper bound on `maxAttempts`: a job that fails 25 times with backoff has been failing for days. */
export const MAX_ATTEMPTS_LIMIT = 25;
/** Largest payload accepted, as JSON bytes: jobs carry ids and small parameters, not data. */
export const MAX_PAYLOAD_BYTES = 64 * 1024;
/** Longest job name and idempotency key. */
export const MAX_NAME_LENGTH = 100;
export const MAX_KEY_LENGTH = 200;
