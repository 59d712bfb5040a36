/**
 * The bridge between the opaque `JobTransaction` of the port and the Kysely transaction the drivers write through.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { JobTransaction } from './job-queue.js';

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
