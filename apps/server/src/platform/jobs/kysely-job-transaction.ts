/**
 * The bridge between the opaque `JobTransaction` of the port and the Kysely transaction the drivers write through.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { JobQueue, JobTransaction } from './job-queue.js';

/**
 * Wraps the caller's Kysely transaction for `enqueue(…, { trx })`.
 * Why: the port stays free of Kysely; only the composition side (repositories, drivers) knows what is inside.
 */
export function jobTransaction(trx: Transaction<Database>): JobTransaction {
  return trx as unknown as JobTransaction;
}

/**
 * The Kysely transaction behind a `JobTransaction`, for drivers; refuses anything else.
 * Why: a job "in a transaction" written outside it would exist even if the transaction rolled back.
 */
export function kyselyOf(trx: JobTransaction): Kysely<Database> {
  const db = trx as unknown as Kysely<Database>;
  if (typeof db?.isTransaction !== 'boolean' || !db.isTransaction) {
    throw new TypeError('enqueue: `trx` is not an open Kysely transaction (use jobTransaction(trx))');
  }
  return db;
}

/**
 * `jobs` with every enqueue written in `trx`: a job exists only if the transaction commits.
 * Why: a use case bound to a unit of work gets a `JobQueue` like any other, and cannot forget the `trx` option.
 */
export function enqueueingIn(jobs: JobQueue, trx: Kysely<Database>): JobQueue {
  const inTrx = jobTransaction(trx as Transaction<Database>);
  return { enqueue: (name, payload, options) => jobs.enqueue(name, payload, { ...options, trx: inTrx }) };
}
