/**
 * The statistics rollups are exact: whatever stream of notifications the fold receives — duplicated, out of
 * order, replayed, several calls interleaved — the table kept in the fold's transaction equals a recomputation
 * from scratch over the call log. Both dialects, and SQLite's prepared-statement path.
 */
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../../test-support/test-database.js';
import type { CallEvent } from '../domain/call-event.js';
import { BLACKLISTED_SCENARIOS, SCENARIOS } from '../test-support/call-scenarios.js';
import {
  applyStream,
  CALL_ROLLUP_TABLES,
  FOLD_VARIANTS,
  MISSED_ROLLUP_TABLES,
  shuffledWithReplays,
  variantOf,
  wipeTables,
} from '../test-support/fold-streams.js';
import {
  deriveCallReadModel,
  grainsOf,
  recomputeRollupCells,
  storedGrains,
  storedRollupCells,
} from './call-read-model-rebuild.js';

// With callers the blacklist refused: their own outcome, in the stream like any call.
const SCENARIO_LIST = Object.values({ ...SCENARIOS, ...BLACKLISTED_SCENARIOS });

/** Scenario `s` as call number `n`: its own pbx_call_id, the same direction prefix. */
function asCall(s: number, n: number): CallEvent[] {
  const events = SCENARIO_LIST[s] as readonly CallEvent[];
  return events.map((e) => {
    const prefix = e.pbxCallId.startsWith('out_') ? 'out_' : 'in_';
    return { ...e, pbxCallId: `${prefix}rollup_${s}_${n}` };
  });
}

/** A stream: a few calls, every event of each at least once, some several times, in any order. */
const streams = fc
  .array(fc.tuple(fc.nat(SCENARIO_LIST.length - 1), fc.nat(3)), { minLength: 1, maxLength: 5 })
  .chain((calls) => shuffledWithReplays(calls.flatMap(([s, n]) => asCall(s, n))));

/** The index in SCENARIO_LIST of the blacklisted scenarios (they come last). */
const FIRST_REFUSED = SCENARIO_LIST.length - Object.keys(BLACKLISTED_SCENARIOS).length;

/** A stream with at least one refused caller among other calls, and how many distinct refused calls it holds. */
const streamsWithRefusals = fc
  .tuple(
    fc.array(fc.tuple(fc.nat(SCENARIO_LIST.length - 1), fc.nat(3)), { maxLength: 4 }),
    fc.array(fc.tuple(fc.nat(SCENARIO_LIST.length - 1 - FIRST_REFUSED), fc.nat(3)), {
      minLength: 1,
      maxLength: 3,
    }),
  )
  .chain(([calls, refused]) => {
    const all = [...calls, ...refused.map(([b, n]): [number, number] => [FIRST_REFUSED + b, n])];
    const refusedCalls = new Set(all.filter(([s]) => s >= FIRST_REFUSED).map(([s, n]) => `${s}_${n}`)).size;
    return shuffledWithReplays(all.flatMap(([s, n]) => asCall(s, n))).map((stream) => ({
      stream,
      refusedCalls,
    }));
  });

describe.each(FOLD_VARIANTS)('the call rollups on %s', (variant) => {
  const { dialect, prepared } = variantOf(variant);
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(dialect);
  });
  afterAll(async () => {
    await database.cleanup();
  });

  const wipeRollups = () => wipeTables(database, CALL_ROLLUP_TABLES);
  const apply = (events: readonly CallEvent[]) => applyStream(database, prepared, events);

  /** The stored cells equal a refold of every call, and count some call. */
  async function expectExact(): Promise<void> {
    const stored = await storedRollupCells(database.db);
    expect(stored).toEqual(await recomputeRollupCells(database.db));
    // The daily, team and monthly grains and the team's and each extension's hourly tallies, kept by the same
    // writes, sum to the same figures.
    expect(await storedGrains(database.db)).toEqual(grainsOf(stored));
    expect(stored.reduce((n, c) => n + c.calls, 0)).toBeGreaterThan(0);
  }

  it('equal a recomputation from scratch for any stream of notifications', async () => {
    await fc.assert(
      fc.asyncProperty(streams, async (stream) => {
        await wipeRollups();
        await sql`delete from calls`.execute(database.db);
        await apply(stream);
        await expectExact();
      }),
      { numRuns: dialect === 'postgres' ? 10 : 25 },
    );
  }, 60_000);

  it('equal a recomputation from scratch when each stream is folded in one transaction, as a batch is', async () => {
    await fc.assert(
      fc.asyncProperty(streams, async (stream) => {
        await wipeRollups();
        await sql`delete from calls`.execute(database.db);
        // Twice: the second half of the stream's sums added to cells the first transaction wrote.
        const half = Math.ceil(stream.length / 2);
        await applyStream(database, prepared, stream.slice(0, half), new Map(), { oneTransaction: true });
        await applyStream(database, prepared, stream.slice(half), new Map(), { oneTransaction: true });
        await expectExact();
      }),
      { numRuns: dialect === 'postgres' ? 10 : 25 },
    );
  }, 60_000);

  it('count every call the blacklist refused under blacklisted, and nowhere else, for any stream', async () => {
    await fc.assert(
      fc.asyncProperty(streamsWithRefusals, async ({ stream, refusedCalls }) => {
        await wipeRollups();
        await sql`delete from calls`.execute(database.db);
        await apply(stream);
        const stored = await storedRollupCells(database.db);
        expect(stored).toEqual(await recomputeRollupCells(database.db));
        expect(await storedGrains(database.db)).toEqual(grainsOf(stored));
        const blacklisted = stored.filter((c) => c.outcome === 'blacklisted');
        expect(blacklisted.reduce((n, c) => n + c.calls, 0)).toBe(refusedCalls);
        // No extension rang: the refusal counts for nobody, the team only.
        expect(blacklisted.every((c) => c.extension === '' && c.direction === 'in')).toBe(true);
        // The rebuild from scratch (start-up, after a wipe) reads the refusal from the stored events too.
        await wipeRollups();
        await sql`update calls set outcome = null, attribution_rule = null`.execute(database.db);
        await deriveCallReadModel(database.db);
        expect(await storedRollupCells(database.db)).toEqual(stored);
      }),
      { numRuns: dialect === 'postgres' ? 8 : 20 },
    );
  }, 60_000);

  it('count a call as soon as its end is folded, and once however often it is replayed', async () => {
    await wipeRollups();
    await sql`delete from calls`.execute(database.db);
    const call = asCall(0, 9);
    await apply(call.filter((e) => e.kind !== 'end'));
    expect(await storedRollupCells(database.db)).toEqual([]);
    await apply(call);
    await apply(call);
    const cells = await storedRollupCells(database.db);
    expect(cells).toEqual([
      expect.objectContaining({ extension: '101', direction: 'in', outcome: 'answered', calls: 1 }),
    ]);
  });

  it('are derived at start-up for calls folded before they existed', async () => {
    await wipeRollups();
    await sql`delete from calls`.execute(database.db);
    await apply([...asCall(0, 1), ...asCall(1, 1), ...asCall(7, 1)]);
    const expected = await storedRollupCells(database.db);
    await wipeRollups();
    await sql`update calls set outcome = null, agent_extension = null, attribution_rule = null, wait_seconds = null`.execute(
      database.db,
    );
    expect(await deriveCallReadModel(database.db)).toBe(3);
    expect(await storedRollupCells(database.db)).toEqual(expected);
    expect(await storedGrains(database.db)).toEqual(grainsOf(expected));
    const rules = await database.db.selectFrom('calls').select('attribution_rule').execute();
    expect(rules.every((r) => r.attribution_rule !== null)).toBe(true);
    expect(await deriveCallReadModel(database.db)).toBe(0);
  });
});

describe.each([true, false])(
  'the rollups of one transaction on SQLite (prepared statements: %s)',
  (prepared) => {
    it('write each cell once, however many of its calls the transaction folds', async () => {
      const database = await openTestDatabase('sqlite');
      try {
        const sqlite = database.sqlite;
        if (!sqlite) {
          throw new Error('no raw SQLite connection');
        }
        // Every insert or update of a rollup row, counted by table.
        sqlite.exec('create temp table rollup_writes (name text not null)');
        for (const table of [...CALL_ROLLUP_TABLES, ...MISSED_ROLLUP_TABLES]) {
          for (const write of ['insert', 'update']) {
            sqlite.exec(
              `create temp trigger count_${write}_${table} after ${write} on main.${table} ` +
                `begin insert into rollup_writes values ('${table}'); end`,
            );
          }
        }
        const writes = () =>
          Object.fromEntries(
            (
              sqlite.prepare('select name, count(*) as n from rollup_writes group by name').all() as {
                name: string;
                n: number;
              }[]
            ).map((r) => [r.name, r.n]),
          );
        // Twenty missed calls (the caller hung up while it rang) of one hour and extension: one cell of each grain.
        const missed = Array.from({ length: 20 }, (_, n) => asCall(1, n)).flat();
        await applyStream(database, prepared, missed, new Map(), { oneTransaction: true });
        const once = Object.fromEntries([...CALL_ROLLUP_TABLES, ...MISSED_ROLLUP_TABLES].map((t) => [t, 1]));
        expect(writes()).toEqual(once);
        const cells = await storedRollupCells(database.db);
        expect(cells.map((c) => [c.outcome, c.calls])).toEqual([['cancelled', 20]]);
        expect(cells).toEqual(await recomputeRollupCells(database.db));
        // The same calls folded one transaction each (the other paths: replays, imports) add to the cells each time.
        sqlite.exec('delete from rollup_writes');
        await applyStream(database, prepared, Array.from({ length: 3 }, (_, n) => asCall(1, 20 + n)).flat());
        expect(writes()).toEqual(Object.fromEntries(Object.keys(once).map((t) => [t, 3])));
      } finally {
        await database.cleanup();
      }
    });
  },
);
