/**
 * `call_rollups_extension_idx` carries the columns an agent's trend and heatmap sum (issue 11: every statistics
 * query fast at 10 M calls). An agent's own statistics page reads their extension's hourly rollups
 * (kysely-call-statistics.ts `localTallies`: the hour, direction, outcome and calls of each row); the index was
 * `(extension, hour)`, so each of those rows was then read from the table — a year's trend and the year before
 * are ~175,000 rows (measured before: an agent's page over 365 days p95 201 ms, p50 132 at 10 M calls on SQLite,
 * over the 100 ms target). With the columns in the index the rows are read from it alone. Same name, same
 * leading columns: whatever used the old index uses this one.
 */
import type { Kysely, Migration } from 'kysely';

export const migration0026AgentRollupsCoveringIndex: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.dropIndex('call_rollups_extension_idx').execute();
    await db.schema
      .createIndex('call_rollups_extension_idx')
      .on('call_rollups')
      .columns(['extension', 'hour', 'direction', 'outcome', 'calls'])
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex('call_rollups_extension_idx').execute();
    await db.schema
      .createIndex('call_rollups_extension_idx')
      .on('call_rollups')
      .columns(['extension', 'hour'])
      .execute();
  },
};
