/**
 * Picks the job queue for the database the server runs on: the SQLite table queue, or pg-boss on PostgreSQL.
 */
import type { DatabaseHandle } from '../db/database.js';
import type { JobQueueDriver } from './job-queue.js';
import { createPgBossJobQueue } from './pg-boss-job-queue.js';
import { createSqliteJobQueue } from './sqlite-job-queue.js';

export interface CreateJobQueueOptions {
  readonly database: DatabaseHandle;
  /** The PostgreSQL URL (required on PostgreSQL: pg-boss opens its own pool). */
  readonly databaseUrl?: string;
  readonly onError?: (error: unknown, context: string) => void;
}

/**
 * Creates the queue matching the database's dialect (not yet running: call `start()`).
 * Why: the composition root chooses drivers; nothing else knows which one runs.
 */
export async function createJobQueue(options: CreateJobQueueOptions): Promise<JobQueueDriver> {
  const onError = options.onError ?? (() => {});
  if (options.database.dialect === 'sqlite') {
    return createSqliteJobQueue({ database: options.database, onError });
  }
  if (!options.databaseUrl) {
    throw new TypeError('createJobQueue: the PostgreSQL URL is required for pg-boss');
  }
  return createPgBossJobQueue({ connectionString: options.databaseUrl, onError });
}
