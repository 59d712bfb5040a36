/**
 * Kysely adapter of `CallStatisticsReader`: grouped sums over the rollups (each primary key starts with the
 * hour, day or month, so a span is one range scan; a period reads the coarsest grains that cover it exactly,
 * migration 0022), and the missed calls' fates from the missed-call rollups (migration 0017) the fold keeps —
 * nothing here reads the calls themselves.
 */
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../../platform/db/schema.js';
import { type RollupSpan, rollupSpans } from '../domain/call-rollup.js';
import type { FateBucket } from '../domain/missed-call-classification.js';
import type { CallStatisticsReader, LocalHourRun, StatisticsRange } from '../ports.js';

/** Creates the statistics reader over the app's database (either dialect). */
export function createKyselyCallStatistics(db: Kysely<Database>): CallStatisticsReader {
  /**
   * No extension at all (an agent without one): nothing to read. Why not `in ('\u0000')`: PostgreSQL refuses a
   * NUL byte in a text parameter.
   */
  const readsNothing = (range: StatisticsRange) => range.extensions !== null && range.extensions.length === 0;
  const measures = (r: {
    calls: number | string;
    talk_seconds: number | string;
    wait_seconds: number | string;
  }) => ({
    calls: Number(r.calls),
    talkSeconds: Number(r.talk_seconds),
    waitSeconds: Number(r.wait_seconds),
  });
  const side = (direction: string): 'in' | 'out' => (direction === 'out' ? 'out' : 'in');

  const extensionFilter = (range: StatisticsRange) =>
    range.extensions === null ? sql`` : sql` and extension in (${sql.join([...range.extensions])})`;

  /**
   * The rows of `[fromHour, toHour)` from the grains `rollupSpans` picks (edge hours, edge days, whole months),
   * as one UNION ALL summed by `columns`: one statement and one round trip whatever the period.
   */
  function spansSummed<R>(
    tables: Record<RollupSpan['grain'], string>,
    range: StatisticsRange,
    columns: readonly string[],
    measured: readonly string[],
  ) {
    const spans = rollupSpans(range.fromHour, range.toHour);
    if (spans.length === 0 || readsNothing(range)) {
      return Promise.resolve([] as R[]);
    }
    const keys = sql.raw(columns.join(', '));
    const parts = spans.map(
      (span) =>
        sql`select ${keys}, ${sql.raw(measured.join(', '))} from ${sql.table(tables[span.grain])}
          where ${sql.ref(span.grain)} >= ${span.from} and ${sql.ref(span.grain)} < ${span.to}${extensionFilter(range)}`,
    );
    const sums = sql.raw(measured.map((m) => `sum(${m}) as ${m}`).join(', '));
    return sql<R>`select ${keys}, ${sums} from (${sql.join(parts, sql` union all `)}) spans group by ${keys}`
      .execute(db)
      .then((r) => r.rows);
  }

  return {
    async byAgent(range) {
      // Whole UTC months from the monthly grain, the edge days from the daily one, the edge hours from the
      // hourly one: the same sums, exact in any time zone, with a year reading ~12 rows per cell, not ~8,760.
      const rows = await spansSummed<{
        extension: string;
        direction: string;
        outcome: string;
        calls: number | string;
        talk_seconds: number | string;
        wait_seconds: number | string;
      }>(
        { hour: 'call_rollups', day: 'call_rollups_daily', month: 'call_rollups_monthly' },
        range,
        ['extension', 'direction', 'outcome'],
        ['calls', 'talk_seconds', 'wait_seconds'],
      );
      return rows.map((r) => ({
        extension: r.extension,
        direction: side(r.direction),
        outcome: r.outcome,
        ...measures(r),
      }));
    },

    async localTallies(extensions, runs, by) {
      if (runs.length === 0 || extensions?.length === 0) {
        return [];
      }
      const key = (run: LocalHourRun) =>
        by === 'day'
          ? sql`(hour + ${sql.lit(run.offsetHours)}) / 24`
          : sql`(hour + ${sql.lit(run.offsetHours + 72)}) % 168`;
      const toTally = (r: {
        k: number | string;
        calls: number | string;
        answered: number | string;
        inbound: number | string;
        missed: number | string;
      }) => ({
        key: Number(r.k),
        calls: Number(r.calls),
        answered: Number(r.answered),
        inbound: Number(r.inbound),
        missed: Number(r.missed),
      });
      // Narrow hourly tallies, one row an hour: the whole team's (migration 0022), or the extensions' own
      // (migration 0031) — an agent's year beside the year before reads ~17,500 rows, not one per hour ×
      // direction × outcome of `call_rollups`.
      // Local hour = UTC hour + offset; 1970-01-01 was a Thursday, so Monday 00:00 is local hour 72 of a week.
      const parts = runs.map((run) =>
        extensions === null
          ? sql`select ${key(run)} as k, calls, answered, inbound, missed from call_tallies_team
            where hour >= ${run.fromHour} and hour < ${run.toHour}`
          : sql`select ${key(run)} as k, calls, answered, inbound, missed from call_tallies_extension
            where extension in (${sql.join([...extensions])}) and hour >= ${run.fromHour} and hour < ${run.toHour}`,
      );
      const rows = await sql<Parameters<typeof toTally>[0]>`select k, sum(calls) as calls,
          sum(answered) as answered, sum(inbound) as inbound, sum(missed) as missed
        from (${sql.join(parts, sql` union all `)}) runs group by k`.execute(db);
      return rows.rows.map(toTally);
    },

    async missedFates(range) {
      // The missed-call rollups kept by the fold (missed-call-fates.ts), through the same spans.
      const rows = await spansSummed<{
        extension: string;
        fate: string;
        calls: number | string;
        return_seconds: number | string;
      }>(
        {
          hour: 'call_missed_rollups',
          day: 'call_missed_rollups_daily',
          month: 'call_missed_rollups_monthly',
        },
        range,
        ['extension', 'fate'],
        ['calls', 'return_seconds'],
      );
      return rows
        .map((r) => ({
          extension: r.extension,
          fate: r.fate as FateBucket,
          calls: Number(r.calls),
          returnSeconds: Number(r.return_seconds),
        }))
        .filter((c) => c.calls !== 0);
    },
  };
}
