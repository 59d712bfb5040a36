/**
 * The statistics' reader in memory, computed from scratch over the calls on every read: each call's rollup
 * contribution (domain/call-rollup.ts) and each missed call's fate bucket by its first connected return
 * (domain/missed-call-classification.ts) — what the fold keeps incrementally in the rollup tables, which the
 * Kysely reader sums (kysely-call-statistics.ts). Why: call-statistics-reader.contract.test.ts holds the two
 * equal, so the rollups and their upkeep are checked against the definition, not against themselves.
 */
import { attributeCall } from '../domain/call-attribution.js';
import { rollupContribution } from '../domain/call-rollup.js';
import { fateBucket, secondsToReturn } from '../domain/missed-call-classification.js';
import type { CallStatisticsReader } from '../ports.js';
import { createInMemoryCallStatistics, type InMemoryRollupCell } from './in-memory-call-list.js';
import { withReturns } from './in-memory-call-log.js';
import type { InMemoryCallWorld } from './in-memory-read-models.js';

const HOUR_MS = 3_600_000;

/** The reader over the world's calls as they are at each read. */
export function createInMemoryCallStatisticsOverCalls(
  world: Pick<InMemoryCallWorld, 'calls'>,
): CallStatisticsReader {
  const now = async () => {
    const calls = await world.calls.list({ limit: Number.MAX_SAFE_INTEGER });
    const cells: InMemoryRollupCell[] = [];
    for (const call of calls) {
      const cell = rollupContribution(call);
      if (cell !== null) {
        cells.push(cell);
      }
    }
    const missed = withReturns(calls)
      .filter((c) => c.missed)
      .map((c) => ({
        hour: Math.floor(c.at / HOUR_MS),
        extension: attributeCall(c.call).extension ?? '',
        fate: fateBucket(c.startedAt, c.stored),
        calls: 1,
        returnSeconds: secondsToReturn(c.startedAt, c.stored) ?? 0,
      }));
    return createInMemoryCallStatistics(cells, missed);
  };
  return {
    byAgent: async (range) => (await now()).byAgent(range),
    missedFates: async (range) => (await now()).missedFates(range),
    localTallies: async (extensions, runs, by) => (await now()).localTallies(extensions, runs, by),
  };
}
