/**
 * One unit of work that joins the caller's transaction when there is one.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';

/**
 * Runs `work` inside `db` when `db` is already a transaction, otherwise inside a new transaction of its own.
 * Why: a use case stays atomic when called alone, and can also be one step of a larger unit of work (the demo
 * seed writes hundreds of records through the use cases in one transaction) — Kysely refuses nested
 * transactions, and SQLite's one connection would wait forever for a second one.
 */
export function inTransaction<T>(
  db: Kysely<Database>,
  work: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  if (db.isTransaction) {
    return work(db as Transaction<Database>);
  }
  return db.transaction().execute(work);
}
