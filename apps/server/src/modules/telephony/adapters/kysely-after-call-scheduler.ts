/**
 * The scheduler a batch's unit of work gets: the follow-up job written in the batch's transaction, once per call.
 * Whether a switch is on is read by the batch before its transaction (on SQLite a read inside it would wait for
 * the transaction's own connection).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../../platform/db/schema.js';
import type { JobQueue } from '../../../platform/jobs/job-queue.js';
import { enqueueingIn } from '../../../platform/jobs/kysely-job-transaction.js';
import { type AfterCallScheduler, FOLLOW_UP_CALL_JOB } from '../ports.js';

export function afterCallScheduler(jobs: JobQueue, trx: Kysely<Database>): AfterCallScheduler {
  const inBatch = enqueueingIn(jobs, trx);
  return {
    async schedule(callId) {
      await inBatch.enqueue(FOLLOW_UP_CALL_JOB, { callId }, { idempotencyKey: callId });
    },
  };
}
