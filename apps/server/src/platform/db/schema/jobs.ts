/**
 * The table queue's jobs (platform/jobs/sqlite-job-queue.ts; migration 0008). PostgreSQL runs pg-boss in its own
 * schema instead, so there the table stays empty. Times are ISO-8601 UTC text on SQLite.
 */
type JobRowStatus = 'queued' | 'running' | 'done' | 'dead';

export interface JobsTable {
  id: string;
  name: string;
  /** JSON text. */
  payload: string;
  status: JobRowStatus;
  /** Unique per job name when set: a second enqueue with the same key returns the first job. */
  idempotency_key: string | null;
  /** Attempts started so far (a claim counts one). */
  attempts: number;
  max_attempts: number;
  /** When the job is due (first run or next retry). */
  run_at: string;
  /** The lease of the worker running it; past it, another worker may run the job again. */
  locked_until: string | null;
  locked_by: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

export type JobsTables = {
  jobs: JobsTable;
};
