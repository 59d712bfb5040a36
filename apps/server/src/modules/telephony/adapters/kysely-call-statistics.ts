/**
 * Kysely adapter of `CallStatisticsReader`: grouped sums over `call_rollups` (its primary key starts with the
 * hour, so a period is one range scan), and the missed calls of a period from the partial index of missed calls
 * (migration 0011) with their first connected return looked up by client number.
 */
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../../platform/db/schema.js';
import type { CallStatisticsReader, StatisticsRange } from '../ports.js';
import { missedCall } from './missed-call-condition.js';

const HOUR_MS = 3_600_000;

/** Creates the statistics reader over the app's database (either dialect). */
export function createKyselyCallStatistics(db: Kysely<Database>): CallStatisticsReader {
  const NONE = ['\u0000'];
  const sums = [
    sql<number | string>`sum(calls)`.as('calls'),
    sql<number | string>`sum(talk_seconds)`.as('talk_seconds'),
    sql<number | string>`sum(wait_seconds)`.as('wait_seconds'),
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

    async missedCalls(range) {
      let q = db
        .selectFrom('calls as k')
        .select((eb) => {
          const firstReturn = () =>
            eb
              .selectFrom('calls as r')
              .whereRef('r.client_e164', '=', 'k.client_e164')
              .whereRef('r.started_at', '>', 'k.started_at')
              .where('r.outcome', '=', 'answered')
              .orderBy('r.started_at')
              .orderBy('r.direction', 'desc')
              .limit(1);
          return [
            'k.agent_extension',
            'k.started_at',
            'k.client_e164',
            firstReturn().select('r.started_at').as('return_at'),
            firstReturn().select('r.direction').as('return_direction'),
          ];
        })
        .where(missedCall('k'))
        .where('k.started_at', '>=', new Date(range.fromHour * HOUR_MS).toISOString())
        .where('k.started_at', '<', new Date(range.toHour * HOUR_MS).toISOString());
      if (range.extensions !== null) {
        q = q.where(
          'k.agent_extension',
          'in',
          range.extensions.length > 0 ? [...range.extensions] : ['\u0000'],
        );
      }
      const rows = await q.execute();
      return rows.map((r) => {
        const at = r.return_at as string | null;
        const direction = r.return_direction as string | null;
        return {
          extension: r.agent_extension ?? '',
          startedAt: r.started_at as string,
          hasClient: r.client_e164 !== null,
          firstReturn:
            at === null
              ? null
              : {
                  startedAt: at,
                  direction:
                    direction === 'outbound' ? 'outbound' : direction === 'inbound' ? 'inbound' : 'unknown',
                },
        };
      });
    },
  };
}
