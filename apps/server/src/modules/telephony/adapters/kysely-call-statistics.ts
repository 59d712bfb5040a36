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
  function cells(range: StatisticsRange) {
    let q = db
      .selectFrom('call_rollups')
      .where('hour', '>=', range.fromHour)
      .where('hour', '<', range.toHour);
    if (range.extensions !== null) {
      q = q.where('extension', 'in', range.extensions.length > 0 ? [...range.extensions] : ['\u0000']);
    }
    return q;
  }
  const sums = [
    sql<number | string>`sum(calls)`.as('calls'),
    sql<number | string>`sum(talk_seconds)`.as('talk_seconds'),
    sql<number | string>`sum(wait_seconds)`.as('wait_seconds'),
  ] as const;

  return {
    async byAgent(range) {
      const rows = await cells(range)
        .select(['extension', 'direction', 'outcome', ...sums])
        .groupBy(['extension', 'direction', 'outcome'])
        .execute();
      return rows.map((r) => ({
        extension: r.extension,
        direction: r.direction === 'out' ? 'out' : 'in',
        outcome: r.outcome,
        calls: Number(r.calls),
        talkSeconds: Number(r.talk_seconds),
        waitSeconds: Number(r.wait_seconds),
      }));
    },

    async byHour(range) {
      const rows = await cells(range)
        .select(['hour', 'direction', 'outcome', ...sums])
        .groupBy(['hour', 'direction', 'outcome'])
        .execute();
      return rows.map((r) => ({
        hour: Number(r.hour),
        direction: r.direction === 'out' ? 'out' : 'in',
        outcome: r.outcome,
        calls: Number(r.calls),
        talkSeconds: Number(r.talk_seconds),
        waitSeconds: Number(r.wait_seconds),
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
