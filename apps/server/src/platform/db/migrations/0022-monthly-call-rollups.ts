/**
 * A monthly grain of the statistics rollups (issue 11: every statistics query fast over any period):
 * - `call_rollups_monthly`: per UTC month (`month` = whole months since January 1970) × extension × direction ×
 *   outcome, the sums of `call_rollups`;
 * - `call_missed_rollups_monthly`: per UTC month × extension × fate bucket, the sums of `call_missed_rollups`;
 * - `call_tallies_team`: per UTC hour, the team's calls, answered, inbound and missed — the daily trend and the
 *   heatmap read one row an hour instead of one per hour × direction × outcome.
 * Kept by the fold's own transaction like the hourly and daily grains (kysely-call-repository.ts,
 * missed-call-fates.ts); a long period reads its whole months here, its edge days and hours from the finer
 * grains (domain/call-rollup.ts, `rollupSpans`). Filled here from the daily grains, which already sum the hours.
 */
import { type Kysely, type Migration, sql } from 'kysely';
import { dialectOf } from '../column-types.js';

export const migration0022MonthlyCallRollups: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('call_rollups_monthly')
      .addColumn('month', 'integer', (c) => c.notNull())
      .addColumn('extension', 'text', (c) => c.notNull())
      .addColumn('direction', 'text', (c) => c.notNull())
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('calls', 'integer', (c) => c.notNull())
      .addColumn('talk_seconds', 'bigint', (c) => c.notNull())
      .addColumn('wait_seconds', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('call_rollups_monthly_pk', ['month', 'extension', 'direction', 'outcome'])
      .execute();
    await db.schema
      .createTable('call_missed_rollups_monthly')
      .addColumn('month', 'integer', (c) => c.notNull())
      .addColumn('extension', 'text', (c) => c.notNull())
      .addColumn('fate', 'text', (c) => c.notNull())
      .addColumn('calls', 'integer', (c) => c.notNull())
      .addColumn('return_seconds', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('call_missed_rollups_monthly_pk', ['month', 'extension', 'fate'])
      .execute();
    // One row per UTC hour for the whole team (domain/call-rollup.ts `tallyOf`): the trend and the heatmap.
    await db.schema
      .createTable('call_tallies_team')
      .addColumn('hour', 'integer', (c) => c.notNull())
      .addColumn('calls', 'integer', (c) => c.notNull())
      .addColumn('answered', 'integer', (c) => c.notNull())
      .addColumn('inbound', 'integer', (c) => c.notNull())
      .addColumn('missed', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('call_tallies_team_pk', ['hour'])
      .execute();
    await sql`insert into call_tallies_team (hour, calls, answered, inbound, missed)
      select hour, sum(calls), sum(case when outcome = 'answered' then calls else 0 end),
        sum(case when direction = 'in' then calls else 0 end),
        sum(case when direction = 'in' and outcome in ('no_answer', 'busy', 'cancelled', 'ivr_hangup') then calls else 0 end)
      from call_rollups_team group by hour`.execute(db);
    // The UTC month of a day number, without the session's time zone (a date, not a timestamp).
    const month = sql.raw(
      dialectOf(db) === 'postgres'
        ? "((extract(year from date '1970-01-01' + day)::int - 1970) * 12 + extract(month from date '1970-01-01' + day)::int - 1)"
        : "((cast(strftime('%Y', day * 86400, 'unixepoch') as integer) - 1970) * 12 + cast(strftime('%m', day * 86400, 'unixepoch') as integer) - 1)",
    );
    await sql`insert into call_rollups_monthly (month, extension, direction, outcome, calls, talk_seconds, wait_seconds)
      select ${month}, extension, direction, outcome, sum(calls), sum(talk_seconds), sum(wait_seconds)
      from call_rollups_daily group by ${month}, extension, direction, outcome`.execute(db);
    await sql`insert into call_missed_rollups_monthly (month, extension, fate, calls, return_seconds)
      select ${month}, extension, fate, sum(calls), sum(return_seconds)
      from call_missed_rollups_daily group by ${month}, extension, fate`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('call_tallies_team').execute();
    await db.schema.dropTable('call_missed_rollups_monthly').execute();
    await db.schema.dropTable('call_rollups_monthly').execute();
  },
};
