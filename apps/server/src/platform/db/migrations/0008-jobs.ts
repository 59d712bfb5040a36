/**
 * The durable job queue on SQLite (issue 10, item 3): one `jobs` table with an idempotency key unique per job
 * name, and three small partial indexes — what is due, what is leased (a crashed worker's lease to take over),
 * and the dead letters admins look at — so the claim never scans finished jobs. Created on both dialects (one
 * set of migrations); PostgreSQL queues through pg-boss in its own schema and leaves the table empty.
 */
import { type Kysely, type Migration, sql } from 'kysely';
import { dialectOf, timestampType } from '../column-types.js';

export const migration0008Jobs: Migration = {
  async up(db: Kysely<unknown>) {
    const ts = timestampType(dialectOf(db));
    await db.schema
      .createTable('jobs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('idempotency_key', 'text')
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('max_attempts', 'integer', (c) => c.notNull())
      .addColumn('run_at', ts, (c) => c.notNull())
      .addColumn('locked_until', ts)
      .addColumn('locked_by', 'text')
      .addColumn('last_error', 'text')
      .addColumn('created_at', ts, (c) => c.notNull())
      .addColumn('updated_at', ts, (c) => c.notNull())
      .addColumn('finished_at', ts)
      .execute();
    await db.schema
      .createIndex('jobs_idempotency_key_idx')
      .on('jobs')
      .columns(['name', 'idempotency_key'])
      .unique()
      .where(sql.ref('idempotency_key'), 'is not', null)
      .execute();
    await db.schema
      .createIndex('jobs_due_idx')
      .on('jobs')
      .columns(['run_at'])
      .where(sql.ref('status'), '=', 'queued')
      .execute();
    await db.schema
      .createIndex('jobs_leased_idx')
      .on('jobs')
      .columns(['locked_until'])
      .where(sql.ref('status'), '=', 'running')
      .execute();
    await db.schema
      .createIndex('jobs_finished_idx')
      .on('jobs')
      .columns(['status', 'finished_at'])
      .where(sql.ref('finished_at'), 'is not', null)
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('jobs').execute();
  },
};
