/**
 * The statistics reader sums the coarsest rollup grains that cover a period (edge hours, edge days, whole
 * months: domain/call-rollup.ts, `rollupSpans`), and for any period — a few hours, a month boundary, a year in
 * any zone's whole hours — its figures equal the hourly cells of that period summed, per agent and for the
 * missed calls' fates. Calls folded by the repository over fourteen months; both dialects.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from '../../../test-support/test-database.js';
import { applyStream } from '../test-support/fold-streams.js';
import {
  EXTENSION_CHOICES,
  FIRST_HOUR,
  localHourRuns,
  spreadCalls,
  statisticsRanges,
} from '../test-support/statistics-calls.js';
import { createInMemoryCallStatistics } from './in-memory-call-list.js';
import { createKyselyCallStatistics } from './kysely-call-statistics.js';

describe.each(TEST_DIALECTS)('the statistics reader on %s', (dialect) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(dialect);
    const { events, clients } = spreadCalls(120);
    await applyStream(database, false, events, clients);
  }, 120_000);
  afterAll(async () => {
    await database.cleanup();
  });

  async function hourlyByAgent(fromHour: number, toHour: number, extensions: string[] | null) {
    let q = database.db
      .selectFrom('call_rollups')
      .where('hour', '>=', fromHour)
      .where('hour', '<', toHour)
      .select(['extension', 'direction', 'outcome', 'calls', 'talk_seconds', 'wait_seconds']);
    if (extensions?.length === 0) {
      return [];
    }
    if (extensions) {
      q = q.where('extension', 'in', extensions);
    }
    const cells = new Map<string, { calls: number; talkSeconds: number; waitSeconds: number }>();
    for (const r of await q.execute()) {
      const key = `${r.extension}|${r.direction}|${r.outcome}`;
      const known = cells.get(key) ?? { calls: 0, talkSeconds: 0, waitSeconds: 0 };
      cells.set(key, {
        calls: known.calls + Number(r.calls),
        talkSeconds: known.talkSeconds + Number(r.talk_seconds),
        waitSeconds: known.waitSeconds + Number(r.wait_seconds),
      });
    }
    return [...cells.entries()].filter(([, m]) => m.calls !== 0).sort(([a], [b]) => (a < b ? -1 : 1));
  }

  async function hourlyFates(fromHour: number, toHour: number, extensions: string[] | null) {
    let q = database.db
      .selectFrom('call_missed_rollups')
      .where('hour', '>=', fromHour)
      .where('hour', '<', toHour)
      .select(['extension', 'fate', 'calls', 'return_seconds']);
    if (extensions?.length === 0) {
      return [];
    }
    if (extensions) {
      q = q.where('extension', 'in', extensions);
    }
    const cells = new Map<string, { calls: number; returnSeconds: number }>();
    for (const r of await q.execute()) {
      const key = `${r.extension}|${r.fate}`;
      const known = cells.get(key) ?? { calls: 0, returnSeconds: 0 };
      cells.set(key, {
        calls: known.calls + Number(r.calls),
        returnSeconds: known.returnSeconds + Number(r.return_seconds),
      });
    }
    return [...cells.entries()].filter(([, m]) => m.calls !== 0).sort(([a], [b]) => (a < b ? -1 : 1));
  }

  it('per agent, equal the hourly cells of any period summed', async () => {
    const statistics = createKyselyCallStatistics(database.db);
    let nonEmpty = 0;
    await fc.assert(
      fc.asyncProperty(statisticsRanges, async (range) => {
        const read = (await statistics.byAgent(range))
          .filter((c) => c.calls !== 0)
          .map(
            (c) =>
              [
                `${c.extension}|${c.direction}|${c.outcome}`,
                { calls: c.calls, talkSeconds: c.talkSeconds, waitSeconds: c.waitSeconds },
              ] as const,
          )
          .sort(([a], [b]) => (a < b ? -1 : 1));
        const expected = await hourlyByAgent(range.fromHour, range.toHour, range.extensions);
        expect(read).toEqual(expected);
        nonEmpty += expected.length > 0 ? 1 : 0;
      }),
      { numRuns: 60 },
    );
    expect(nonEmpty).toBeGreaterThan(10);
  }, 60_000);

  it("the missed calls' fates, equal the hourly cells of any period summed", async () => {
    const statistics = createKyselyCallStatistics(database.db);
    let nonEmpty = 0;
    await fc.assert(
      fc.asyncProperty(statisticsRanges, async (range) => {
        const read = (await statistics.missedFates(range))
          .map(
            (c) => [`${c.extension}|${c.fate}`, { calls: c.calls, returnSeconds: c.returnSeconds }] as const,
          )
          .sort(([a], [b]) => (a < b ? -1 : 1));
        const expected = await hourlyFates(range.fromHour, range.toHour, range.extensions);
        expect(read).toEqual(expected);
        nonEmpty += expected.length > 0 ? 1 : 0;
      }),
      { numRuns: 60 },
    );
    expect(nonEmpty).toBeGreaterThan(5);
  }, 60_000);

  it('tally local days and hours of the week over runs of any offset as the hourly cells do', async () => {
    const statistics = createKyselyCallStatistics(database.db);
    const cells = (await database.db.selectFrom('call_rollups').selectAll().execute()).map((r) => ({
      hour: Number(r.hour),
      extension: r.extension,
      direction: r.direction === 'out' ? ('out' as const) : ('in' as const),
      outcome: r.outcome,
      calls: Number(r.calls),
      talkSeconds: Number(r.talk_seconds),
      waitSeconds: Number(r.wait_seconds),
    }));
    const reference = createInMemoryCallStatistics(cells);
    const byKey = (rows: { key: number; calls: number }[]) =>
      rows.filter((r) => r.calls !== 0).sort((a, b) => a.key - b.key);
    let nonEmpty = 0;
    await fc.assert(
      fc.asyncProperty(
        localHourRuns,
        fc.constantFrom<'day' | 'weekHour'>('day', 'weekHour'),
        EXTENSION_CHOICES,
        async (r, by, extensions) => {
          const expected = byKey(await reference.localTallies(extensions, r, by));
          expect(byKey(await statistics.localTallies(extensions, r, by))).toEqual(expected);
          nonEmpty += expected.length > 0 ? 1 : 0;
        },
      ),
      { numRuns: 60 },
    );
    expect(nonEmpty).toBeGreaterThan(10);
  }, 60_000);

  it('a year reads whole months from the monthly grain', async () => {
    // Emptying the monthly grain changes a year's figures: proof the months are read from it.
    const statistics = createKyselyCallStatistics(database.db);
    const range = { fromHour: FIRST_HOUR, toHour: FIRST_HOUR + 366 * 24, extensions: null };
    const before = await statistics.byAgent(range);
    const saved = await database.db.selectFrom('call_rollups_monthly').selectAll().execute();
    await database.db.deleteFrom('call_rollups_monthly').execute();
    try {
      const without = await statistics.byAgent(range);
      const total = (rows: { calls: number }[]) => rows.reduce((n, r) => n + r.calls, 0);
      expect(total(without)).toBeLessThan(total(before));
    } finally {
      await database.db.insertInto('call_rollups_monthly').values(saved).execute();
    }
  });
});
