/**
 * The `CallStatisticsReader` contract: the figures per agent, the missed calls' fates and the local tallies of the
 * trend and heatmap, answered alike by the Kysely reader (sums over the rollups the fold keeps, on SQLite and
 * PostgreSQL) and the in-memory one (computed from the calls themselves on every read, returns included). Each
 * side is seeded through the fold. A named morning says what each figure is; generated periods over fourteen
 * months of calls (test-support/statistics-calls.ts, which kysely-call-statistics.test.ts also reads) hold each
 * adapter's figures equal to the in-memory reader's.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallRepository, CallStatisticsReader } from '../ports.js';
import { type CallSpec, foldCallSpecs } from '../test-support/call-specs.js';
import { type Opened, onEveryDialect } from '../test-support/contract-adapters.js';
import {
  EXTENSION_CHOICES,
  foldSpreadCalls,
  localHourRuns,
  statisticsRanges,
} from '../test-support/statistics-calls.js';
import { createInMemoryCallStatisticsOverCalls } from './in-memory-call-statistics.js';
import { createInMemoryCallRepository } from './in-memory-telephony.js';
import { createCallRepository } from './kysely-call-repository.js';
import { createKyselyCallStatistics } from './kysely-call-statistics.js';

interface Statistics {
  readonly calls: CallRepository;
  readonly statistics: CallStatisticsReader;
}

const ADAPTERS = [
  ...onEveryDialect(
    (database): Statistics => ({
      calls: createCallRepository(database.db),
      statistics: createKyselyCallStatistics(database.db),
    }),
  ),
  {
    name: 'in-memory',
    open: async (): Promise<Opened<Statistics>> => ({ ...inMemory(), done: async () => {} }),
  },
];

function inMemory(): Statistics {
  const calls = createInMemoryCallRepository();
  return { calls, statistics: createInMemoryCallStatisticsOverCalls({ calls }) };
}

const HOUR_MS = 3_600_000;
/** Monday 2 March 2026, 09:00 UTC: the named morning's first hour (after the spread calls' fourteen months). */
const H0 = Math.floor(Date.parse('2026-03-02T09:00:00Z') / HOUR_MS);
const at = (minute: number) => new Date(H0 * HOUR_MS + minute * 60_000).toISOString();

/**
 * The morning: an answered call at 101 (answered 6 s in, 60 s of talk); a missed one at 102 (20 s) that we return
 * 10 minutes later (answered 7 s in, 30 s); a caller lost in the voice menu (9 s) and never called back; a hidden
 * number busy at 101; a refused caller; and a call still being talked, which no figure counts yet.
 */
const MORNING: readonly CallSpec[] = [
  { key: 's_answered', kind: 'in_answered', at: at(0), client: '+33610000001', extension: '101', talk: 60 },
  { key: 's_missed', kind: 'in_no_answer', at: at(10), client: '+33610000002', extension: '102' },
  { key: 's_return', kind: 'out_answered', at: at(20), client: '+33610000002', extension: '102', talk: 30 },
  { key: 's_ivr', kind: 'in_ivr_hangup', at: at(65), client: '+33610000003', extension: '101' },
  { key: 's_hidden', kind: 'in_busy', at: at(90), client: null, extension: '101' },
  { key: 's_refused', kind: 'in_blacklisted', at: at(100), client: '+33610000004', extension: '101' },
  { key: 's_talking', kind: 'in_talking', at: at(110), client: '+33610000005', extension: '103' },
];

/** Rows in one order, without the cells whose calls sum to nothing (a rollup row emptied by a later delta). */
function sorted<T extends { calls: number }>(rows: readonly T[]): T[] {
  return rows
    .filter((r) => r.calls !== 0)
    .map((r) => ({ ...r }))
    .sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
}

describe.each(ADAPTERS)('CallStatisticsReader contract: $name', ({ open }) => {
  let o: Opened<Statistics>;
  /** The in-memory reader over the same calls: the reference of the generated periods. */
  let reference: Statistics;

  beforeAll(async () => {
    o = await open();
    reference = inMemory();
    for (const side of [o, reference]) {
      await foldSpreadCalls(side.calls, 120);
      await foldCallSpecs(side.calls, MORNING);
    }
  }, 120_000);
  afterAll(async () => {
    await o?.done();
  });

  it('sums the morning per extension, way and outcome', async () => {
    const range = { fromHour: H0, toHour: H0 + 2, extensions: null };
    expect(sorted(await o.statistics.byAgent(range))).toEqual(
      sorted([
        { extension: '101', direction: 'in', outcome: 'answered', calls: 1, talkSeconds: 60, waitSeconds: 6 },
        {
          extension: '102',
          direction: 'in',
          outcome: 'no_answer',
          calls: 1,
          talkSeconds: 0,
          waitSeconds: 20,
        },
        {
          extension: '102',
          direction: 'out',
          outcome: 'answered',
          calls: 1,
          talkSeconds: 30,
          waitSeconds: 7,
        },
        // Nobody was rung: the voice menu's and the refused caller count for no extension.
        { extension: '', direction: 'in', outcome: 'ivr_hangup', calls: 1, talkSeconds: 0, waitSeconds: 9 },
        { extension: '101', direction: 'in', outcome: 'busy', calls: 1, talkSeconds: 0, waitSeconds: 20 },
        { extension: '', direction: 'in', outcome: 'blacklisted', calls: 1, talkSeconds: 0, waitSeconds: 9 },
      ]),
    );
    // An hour is [from, to): the second hour alone, and only the extensions asked for.
    expect(
      sorted(await o.statistics.byAgent({ fromHour: H0 + 1, toHour: H0 + 2, extensions: ['101'] })),
    ).toEqual([
      { extension: '101', direction: 'in', outcome: 'busy', calls: 1, talkSeconds: 0, waitSeconds: 20 },
    ]);
    expect(await o.statistics.byAgent({ fromHour: H0, toHour: H0 + 2, extensions: [] })).toEqual([]);
  });

  it("gives the missed calls' fates: returned within 10 minutes, and not returned", async () => {
    const range = { fromHour: H0, toHour: H0 + 2, extensions: null };
    expect(sorted(await o.statistics.missedFates(range))).toEqual(
      sorted([
        { extension: '102', fate: 'r10', calls: 1, returnSeconds: 600 },
        { extension: '', fate: 'open', calls: 1, returnSeconds: 0 },
        { extension: '101', fate: 'open', calls: 1, returnSeconds: 0 },
      ]),
    );
    expect(await o.statistics.missedFates({ ...range, extensions: ['102'] })).toEqual([
      { extension: '102', fate: 'r10', calls: 1, returnSeconds: 600 },
    ]);
  });

  it('tallies the morning per local day and per local hour of the week', async () => {
    const run = { fromHour: H0, toHour: H0 + 2, offsetHours: 3 };
    expect(await o.statistics.localTallies(null, [run], 'day')).toEqual([
      { key: Math.floor((H0 + 3) / 24), calls: 6, answered: 2, inbound: 5, missed: 3 },
    ]);
    // Monday 12:00 and 13:00 in UTC+3.
    expect(sorted(await o.statistics.localTallies(null, [run], 'weekHour'))).toEqual(
      sorted([
        { key: 12, calls: 3, answered: 2, inbound: 2, missed: 1 },
        { key: 13, calls: 3, answered: 0, inbound: 3, missed: 2 },
      ]),
    );
    expect(await o.statistics.localTallies(['102'], [run], 'weekHour')).toEqual([
      { key: 12, calls: 2, answered: 1, inbound: 1, missed: 1 },
    ]);
    expect(await o.statistics.localTallies([], [run], 'day')).toEqual([]);
    expect(await o.statistics.localTallies(null, [], 'day')).toEqual([]);
  });

  it('answers any period of the fourteen months as the calls themselves say', async () => {
    let nonEmpty = 0;
    await fc.assert(
      fc.asyncProperty(statisticsRanges, async (range) => {
        const expected = sorted(await reference.statistics.byAgent(range));
        expect(sorted(await o.statistics.byAgent(range))).toEqual(expected);
        expect(sorted(await o.statistics.missedFates(range))).toEqual(
          sorted(await reference.statistics.missedFates(range)),
        );
        nonEmpty += expected.length > 0 ? 1 : 0;
      }),
      { numRuns: 40, seed: 2026 },
    );
    expect(nonEmpty).toBeGreaterThan(10);
  }, 60_000);

  it('tallies any runs of local hours as the calls themselves say', async () => {
    let nonEmpty = 0;
    await fc.assert(
      fc.asyncProperty(
        localHourRuns,
        fc.constantFrom<'day' | 'weekHour'>('day', 'weekHour'),
        EXTENSION_CHOICES,
        async (runs, by, extensions) => {
          const expected = sorted(await reference.statistics.localTallies(extensions, runs, by));
          expect(sorted(await o.statistics.localTallies(extensions, runs, by))).toEqual(expected);
          nonEmpty += expected.length > 0 ? 1 : 0;
        },
      ),
      { numRuns: 40, seed: 2026 },
    );
    expect(nonEmpty).toBeGreaterThan(10);
  }, 60_000);
});
