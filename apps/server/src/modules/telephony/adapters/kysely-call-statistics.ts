/**
 * Kysely adapter of `CallStatisticsReader`: grouped sums over `call_rollups` (its primary key starts with the
 * hour, so a period is one range scan), and the missed calls' fates from the missed-call rollups (migration
 * 0017) the fold keeps — nothing here reads the calls themselves.
 */
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../../platform/db/schema.js';
import type { FateBucket } from '../domain/missed-call-classification.js';
import type { CallStatisticsReader, StatisticsRange } from '../ports.js';

/** Creates the statistics reader over the app's database (either dialect). */
export function createKyselyCallStatistics(db: Kysely<Database>): CallStatisticsReader {
  const NONE = ['\u0000'];
  const sums = [
    sql<number | string>`sum(calls)`.as('calls'),
    sql<number | string>`sum(talk_seconds)`.as('talk_seconds'),
    sql<number | string>`sum(wait_seconds)`.as('wait_seconds'),
  ] as const;
  const missedSums = [
    sql<number | string>`sum(calls)`.as('calls'),
    sql<number | string>`sum(return_seconds)`.as('return_seconds'),
  ] as const;
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

  /** Hourly cells of `[from, to)` hours, per extension × direction × outcome. */
  function hourlyByAgent(range: StatisticsRange, from: number, to: number) {
    let q = db.selectFrom('call_rollups').where('hour', '>=', from).where('hour', '<', to);
    if (range.extensions !== null) {
      q = q.where('extension', 'in', range.extensions.length > 0 ? [...range.extensions] : NONE);
    }
    return q
      .select(['extension', 'direction', 'outcome', ...sums])
      .groupBy(['extension', 'direction', 'outcome'])
      .execute();
  }

  return {
    async byAgent(range) {
      // Whole UTC days from the daily grain, the hours before the first and after the last from the hourly one:
      // the same sums, exact in any time zone, with a year reading ~365 rows per cell instead of ~8,760.
      const firstDay = Math.ceil(range.fromHour / 24);
      const endDay = Math.floor(range.toHour / 24);
      const parts =
        endDay > firstDay
          ? [
              hourlyByAgent(range, range.fromHour, firstDay * 24),
              (() => {
                let q = db
                  .selectFrom('call_rollups_daily')
                  .where('day', '>=', firstDay)
                  .where('day', '<', endDay);
                if (range.extensions !== null) {
                  q = q.where('extension', 'in', range.extensions.length > 0 ? [...range.extensions] : NONE);
                }
                return q
                  .select(['extension', 'direction', 'outcome', ...sums])
                  .groupBy(['extension', 'direction', 'outcome'])
                  .execute();
              })(),
              hourlyByAgent(range, endDay * 24, range.toHour),
            ]
          : [hourlyByAgent(range, range.fromHour, range.toHour)];
      const cells = new Map<
        string,
        {
          extension: string;
          direction: 'in' | 'out';
          outcome: string;
          calls: number;
          talkSeconds: number;
          waitSeconds: number;
        }
      >();
      for (const rows of await Promise.all(parts)) {
        for (const r of rows) {
          const key = `${r.extension}|${r.direction}|${r.outcome}`;
          const m = measures(r);
          const known = cells.get(key);
          cells.set(key, {
            extension: r.extension,
            direction: side(r.direction),
            outcome: r.outcome,
            calls: (known?.calls ?? 0) + m.calls,
            talkSeconds: (known?.talkSeconds ?? 0) + m.talkSeconds,
            waitSeconds: (known?.waitSeconds ?? 0) + m.waitSeconds,
          });
        }
      }
      return [...cells.values()];
    },

    async byHour(range) {
      // The whole team from its own grain (one row per hour × direction × outcome); some agents from theirs.
      const rows =
        range.extensions === null
          ? await db
              .selectFrom('call_rollups_team')
              .where('hour', '>=', range.fromHour)
              .where('hour', '<', range.toHour)
              .select(['hour', 'direction', 'outcome', 'calls', 'talk_seconds', 'wait_seconds'])
              .execute()
          : await db
              .selectFrom('call_rollups')
              .where('extension', 'in', range.extensions.length > 0 ? [...range.extensions] : NONE)
              .where('hour', '>=', range.fromHour)
              .where('hour', '<', range.toHour)
              .select(['hour', 'direction', 'outcome', ...sums])
              .groupBy(['hour', 'direction', 'outcome'])
              .execute();
      return rows.map((r) => ({
        hour: Number(r.hour),
        direction: side(r.direction),
        outcome: r.outcome,
        ...measures(r),
      }));
    },

    async missedFates(range) {
      // The missed-call rollups kept by the fold (missed-call-fates.ts): whole UTC days from the daily grain,
      // the edge hours from the hourly one — a year reads ~365 rows per extension and bucket.
      const hourly = (from: number, to: number) => {
        let q = db.selectFrom('call_missed_rollups').where('hour', '>=', from).where('hour', '<', to);
        if (range.extensions !== null) {
          q = q.where('extension', 'in', range.extensions.length > 0 ? [...range.extensions] : NONE);
        }
        return q
          .select(['extension', 'fate', ...missedSums])
          .groupBy(['extension', 'fate'])
          .execute();
      };
      const firstDay = Math.ceil(range.fromHour / 24);
      const endDay = Math.floor(range.toHour / 24);
      const parts =
        endDay > firstDay
          ? [
              hourly(range.fromHour, firstDay * 24),
              (() => {
                let q = db
                  .selectFrom('call_missed_rollups_daily')
                  .where('day', '>=', firstDay)
                  .where('day', '<', endDay);
                if (range.extensions !== null) {
                  q = q.where('extension', 'in', range.extensions.length > 0 ? [...range.extensions] : NONE);
                }
                return q
                  .select(['extension', 'fate', ...missedSums])
                  .groupBy(['extension', 'fate'])
                  .execute();
              })(),
              hourly(endDay * 24, range.toHour),
            ]
          : [hourly(range.fromHour, range.toHour)];
      const cells = new Map<
        string,
        { extension: string; fate: FateBucket; calls: number; returnSeconds: number }
      >();
      for (const rows of await Promise.all(parts)) {
        for (const r of rows) {
          const key = `${r.extension}|${r.fate}`;
          const known = cells.get(key);
          cells.set(key, {
            extension: r.extension,
            fate: r.fate as FateBucket,
            calls: (known?.calls ?? 0) + Number(r.calls),
            returnSeconds: (known?.returnSeconds ?? 0) + Number(r.return_seconds),
          });
        }
      }
      return [...cells.values()].filter((c) => c.calls !== 0);
    },
  };
}
