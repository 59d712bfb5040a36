/**
 * Two more grains of the statistics rollups, kept by the same transaction as `call_rollups`
 * (modules/telephony/adapters/kysely-call-repository.ts), so that long periods read few rows:
 * - `call_rollups_daily`: per UTC day × extension × direction × outcome — a period's per-agent sums are its
 *   whole UTC days here plus its edge hours from `call_rollups` (exact in any time zone);
 * - `call_rollups_team`: per UTC hour × direction × outcome — the team's trend and heatmap without one row per
 *   agent.
 * And `call_rollups` by extension first, for one agent's hours.
 */
import { type Kysely, type Migration, sql } from 'kysely';

export const migration0011CallRollupsByDayAndTeam: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('call_rollups_daily')
      .addColumn('day', 'integer', (c) => c.notNull())
      .addColumn('extension', 'text', (c) => c.notNull())
      .addColumn('direction', 'text', (c) => c.notNull())
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('calls', 'integer', (c) => c.notNull())
      .addColumn('talk_seconds', 'bigint', (c) => c.notNull())
      .addColumn('wait_seconds', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('call_rollups_daily_pk', ['day', 'extension', 'direction', 'outcome'])
      .execute();
    await db.schema
      .createTable('call_rollups_team')
      .addColumn('hour', 'integer', (c) => c.notNull())
      .addColumn('direction', 'text', (c) => c.notNull())
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('calls', 'integer', (c) => c.notNull())
      .addColumn('talk_seconds', 'bigint', (c) => c.notNull())
      .addColumn('wait_seconds', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('call_rollups_team_pk', ['hour', 'direction', 'outcome'])
      .execute();
    await db.schema
      .createIndex('call_rollups_extension_idx')
      .on('call_rollups')
      .columns(['extension', 'hour'])
      .execute();
    // Whatever the hourly rollups already hold (integer division: the same on both databases).
    await sql`insert into call_rollups_daily (day, extension, direction, outcome, calls, talk_seconds, wait_seconds)
      select hour / 24, extension, direction, outcome, sum(calls), sum(talk_seconds), sum(wait_seconds)
      from call_rollups group by hour / 24, extension, direction, outcome`.execute(db);
    await sql`insert into call_rollups_team (hour, direction, outcome, calls, talk_seconds, wait_seconds)
      select hour, direction, outcome, sum(calls), sum(talk_seconds), sum(wait_seconds)
      from call_rollups group by hour, direction, outcome`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex('call_rollups_extension_idx').execute();
    await db.schema.dropTable('call_rollups_team').execute();
    await db.schema.dropTable('call_rollups_daily').execute();
  },
};
