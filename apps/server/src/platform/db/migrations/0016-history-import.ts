/**
 * History import and reconciliation (issue 11): one row per run, with its cursor — the ≤ 30-day window of
 * `/v1/statistics/pbx/` being read and the rows of it already read — so a restarted server goes on where it
 * stopped, and its report (calls checked, missing, healed; rows that could not be read and why).
 */
import type { Kysely, Migration } from 'kysely';
import { dialectOf, timestampType } from '../column-types.js';

export const migration0016HistoryImport: Migration = {
  async up(db: Kysely<unknown>) {
    const ts = timestampType(dialectOf(db));
    await db.schema
      .createTable('call_history_runs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('period_start', 'text', (c) => c.notNull())
      .addColumn('period_end', 'text', (c) => c.notNull())
      .addColumn('page_size', 'integer', (c) => c.notNull())
      .addColumn('window_start', 'text', (c) => c.notNull())
      .addColumn('skip', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('reached_at', 'text')
      .addColumn('pages', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('rows_read', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('calls_checked', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('calls_missing', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('calls_healed', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('bad_rows', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('problems', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('error', 'text')
      .addColumn('resume_at', ts)
      .addColumn('requested_by', 'text', (c) => c.references('users.id').onDelete('set null'))
      .addColumn('created_at', ts, (c) => c.notNull())
      .addColumn('updated_at', ts, (c) => c.notNull())
      .addColumn('finished_at', ts)
      .execute();
    // The card reads the latest run of each kind; "one at a time" reads the unfinished one.
    await db.schema
      .createIndex('call_history_runs_kind_idx')
      .on('call_history_runs')
      .columns(['kind', 'created_at'])
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('call_history_runs').execute();
  },
};
