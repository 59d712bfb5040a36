/**
 * `call_tallies_extension`: per attributed extension × UTC hour, its calls, answered, inbound and missed — what
 * `call_tallies_team` is for the team (migration 0022), for one extension (issue 11: every statistics query
 * fast at 10 M calls). An agent's own statistics page draws its trend and heatmap from their extension's hours
 * (kysely-call-statistics.ts `localTallies`); from `call_rollups` that is one row per hour × direction × outcome,
 * ~240,000 index rows for a year's trend beside the year before and its heatmap (measured before: the agent's page
 * over 365 days p95 261 ms at 10 M calls on SQLite, over the 100 ms target); here one row an hour. Kept by the
 * fold's own transaction beside the other grains (call-rollup-upserts.ts); filled here from the hourly rollups.
 */
import { type Kysely, type Migration, sql } from 'kysely';

export const migration0031ExtensionHourTallies: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('call_tallies_extension')
      .addColumn('extension', 'text', (c) => c.notNull())
      .addColumn('hour', 'integer', (c) => c.notNull())
      .addColumn('calls', 'integer', (c) => c.notNull())
      .addColumn('answered', 'integer', (c) => c.notNull())
      .addColumn('inbound', 'integer', (c) => c.notNull())
      .addColumn('missed', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('call_tallies_extension_pk', ['extension', 'hour'])
      .execute();
    // A migration is frozen once shipped: its own copy of the missed outcomes (call-outcome.ts).
    await sql`insert into call_tallies_extension (extension, hour, calls, answered, inbound, missed)
      select extension, hour, sum(calls), sum(case when outcome = 'answered' then calls else 0 end),
        sum(case when direction = 'in' then calls else 0 end),
        sum(case when direction = 'in' and outcome in ('no_answer', 'busy', 'cancelled', 'ivr_hangup') then calls else 0 end)
      from call_rollups group by extension, hour`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('call_tallies_extension').execute();
  },
};
