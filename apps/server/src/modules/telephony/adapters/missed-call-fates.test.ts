/**
 * Missed calls classified by the fold are exact: whatever stream of notifications arrives — calls of one client
 * or two interleaved, duplicated, out of order, replayed — every missed call's stored return and the missed-call
 * rollups equal a recomputation from scratch (`recomputeMissedFates`, which classifies with the domain's
 * `classifyMissedCall`). Both dialects, and SQLite's prepared-statement path.
 */
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../../platform/auth/actor.js';
import { openTestDatabase, type TestDatabase } from '../../../test-support/test-database.js';
import type { CallEvent } from '../domain/call-event.js';
import { fateOf, MISSED_CALL_CLASSES, RETURN_WINDOW_CHOICES } from '../domain/missed-call-classification.js';
import { asAnotherCall, BLACKLISTED_SCENARIOS, SCENARIOS } from '../test-support/call-scenarios.js';
import {
  applyStream,
  FOLD_VARIANTS,
  MISSED_ROLLUP_TABLES,
  shuffledWithReplays,
  variantOf,
  wipeCallsAndRollups,
  wipeTables,
} from '../test-support/fold-streams.js';
import {
  deriveCallReadModel,
  deriveMissedRollups,
  recomputeMissedFates,
  storedMissedCells,
} from './call-read-model-rebuild.js';
import { createKyselyCallLog } from './kysely-call-log.js';

// With callers the blacklist refused: never a missed call owed a return, whatever the stream.
const SCENARIO_LIST = Object.values({ ...SCENARIOS, ...BLACKLISTED_SCENARIOS });
const CLIENTS = ['+442037691880', '+33612345678'];
/** Start offsets in minutes: ties, within 5, 30 or 240 minutes, within a day, later. */
const SHIFTS = [0, 0, 3, 20, 31, 200, 600, 2000];

interface PlannedCall {
  readonly pbxCallId: string;
  readonly client: string;
  readonly events: CallEvent[];
}

function plannedCall(s: number, n: number, shift: number, client: number): PlannedCall {
  const events = SCENARIO_LIST[s] as readonly CallEvent[];
  const prefix = (events[0] as CallEvent).pbxCallId.startsWith('out_') ? 'out_' : 'in_';
  const pbxCallId = `${prefix}fate_${s}_${n}`;
  return {
    pbxCallId,
    client: CLIENTS[client] as string,
    events: asAnotherCall(events, pbxCallId, (SHIFTS[shift] as number) * 60_000),
  };
}

const streams = fc
  .uniqueArray(
    fc.tuple(
      fc.nat(SCENARIO_LIST.length - 1),
      fc.nat(3),
      fc.nat(SHIFTS.length - 1),
      fc.nat(CLIENTS.length - 1),
    ),
    { minLength: 2, maxLength: 7, selector: ([s, n]) => `${s}_${n}` },
  )
  .chain((calls) => {
    const planned = calls.map(([s, n, shift, client]) => plannedCall(s, n, shift, client));
    return shuffledWithReplays(planned.flatMap((p) => p.events)).map((events) => ({
      clients: new Map(planned.map((p) => [p.pbxCallId, p.client])),
      events,
    }));
  });

/**
 * A stream that surely holds a returned missed call — a missed call, then the client's connected call 3 minutes
 * later, in order — run first by each property beside its random streams. Why: a handful of random streams can
 * all lack one (15 runs on PostgreSQL did once), and the properties must reach the returned classes every run.
 */
const RETURNED_EXAMPLE = (() => {
  const planned = [plannedCall(1, 0, 0, 0), plannedCall(0, 2, 2, 0)];
  return {
    clients: new Map(planned.map((p) => [p.pbxCallId, p.client])),
    events: planned.flatMap((p) => p.events),
  };
})();

describe.each(FOLD_VARIANTS)('missed calls classified by the fold on %s', (variant) => {
  const { dialect, prepared } = variantOf(variant);
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(dialect);
  });
  afterAll(async () => {
    await database.cleanup();
  });

  const wipe = () => wipeCallsAndRollups(database);
  const apply = (events: readonly CallEvent[], clients: Map<string, string>) =>
    applyStream(database, prepared, events, clients);

  async function storedFates(minutes: number) {
    const rows = await database.db
      .selectFrom('calls')
      .select(['id', 'started_at', 'return_at', 'return_direction'])
      .execute();
    const expected = await recomputeMissedFates(database.db, minutes);
    const fates: Record<string, unknown> = {};
    for (const row of rows) {
      if (row.id in expected.fates) {
        fates[row.id] = fateOf(
          row.started_at as string,
          {
            returnAt: row.return_at,
            returnDirection:
              row.return_direction === 'out' ? 'out' : row.return_direction === 'in' ? 'in' : null,
          },
          minutes,
        );
      } else {
        // A call that is not missed holds no return.
        expect(row.return_at).toBeNull();
      }
    }
    return { fates, expected };
  }

  it('equal a recomputation from scratch for any stream, for every return window', async () => {
    let classified = 0;
    await fc.assert(
      fc.asyncProperty(streams, async ({ events, clients }) => {
        await wipe();
        await apply(events, clients);
        for (const minutes of [RETURN_WINDOW_CHOICES[0], 30, 240]) {
          const { fates, expected } = await storedFates(minutes);
          expect(fates).toEqual(expected.fates);
          const stored = await storedMissedCells(database.db);
          expect(stored.cells).toEqual(expected.cells);
          expect(stored.dailyAgrees).toBe(true);
          expect(stored.monthlyAgrees).toBe(true);
          classified += Object.values(expected.fates).filter(
            (f) => f.classification !== 'not_returned',
          ).length;
        }
      }),
      { numRuns: dialect === 'postgres' ? 15 : 40, examples: [[RETURNED_EXAMPLE]] },
    );
    // The streams did reach returned missed calls, not only open ones (the example holds one: scenario 0 must
    // stay a connected inbound call, 1 a missed one).
    expect(classified).toBeGreaterThan(0);
  }, 120_000);

  it('equal a recomputation from scratch when each stream is folded in one transaction, as a batch is', async () => {
    await fc.assert(
      fc.asyncProperty(streams, async ({ events, clients }) => {
        await wipe();
        await applyStream(database, prepared, events, clients, { oneTransaction: true });
        const { fates, expected } = await storedFates(30);
        expect(fates).toEqual(expected.fates);
        const stored = await storedMissedCells(database.db);
        expect(stored.cells).toEqual(expected.cells);
        expect(stored.dailyAgrees).toBe(true);
        expect(stored.monthlyAgrees).toBe(true);
      }),
      { numRuns: dialect === 'postgres' ? 10 : 25, examples: [[RETURNED_EXAMPLE]] },
    );
  }, 120_000);

  it("the call log's fate filter lists exactly the missed calls of each class, for every return window", async () => {
    const callLog = createKyselyCallLog(database.db);
    let listed = 0;
    await fc.assert(
      fc.asyncProperty(streams, async ({ events, clients }) => {
        await wipe();
        await apply(events, clients);
        for (const minutes of [RETURN_WINDOW_CHOICES[0], 30, 240]) {
          const { fates } = await recomputeMissedFates(database.db, minutes);
          for (const missedClass of MISSED_CALL_CLASSES) {
            const page = await callLog.page(systemActor('test'), {
              order: 'newest',
              limit: 500,
              fate: { class: missedClass, returnWithinMinutes: minutes },
            });
            const expected = Object.entries(fates)
              .filter(([, f]) => f.classification === missedClass)
              .map(([id]) => id);
            expect(page.map((c) => c.id).sort()).toEqual(expected.sort());
            listed += page.length;
          }
        }
      }),
      { numRuns: dialect === 'postgres' ? 10 : 25, examples: [[RETURNED_EXAMPLE]] },
    );
    expect(listed).toBeGreaterThan(0);
  }, 120_000);

  it('settles a missed call when a later call with the number connects, either way, and not before', async () => {
    await wipe();
    const missed = plannedCall(1, 0, 0, 0);
    const clients = new Map([[missed.pbxCallId, CLIENTS[0] as string]]);
    await apply(missed.events, clients);
    const read = async () =>
      database.db
        .selectFrom('calls')
        .select(['return_at', 'return_direction'])
        .where('pbx_call_id', '=', missed.pbxCallId)
        .executeTakeFirstOrThrow();
    expect(await read()).toEqual({ return_at: null, return_direction: null });
    // Our outbound call 20 minutes later connects: returned by us.
    const ours = plannedCall(7, 1, 3, 0);
    clients.set(ours.pbxCallId, CLIENTS[0] as string);
    await apply(ours.events, clients);
    expect((await read()).return_direction).toBe('out');
    const { cells } = await storedMissedCells(database.db);
    expect(cells.map((c) => [c.fate, c.calls])).toEqual([['r30', 1]]);
    // An earlier connected call of the client's own (3 minutes after) arrives late: it decides instead.
    const theirs = plannedCall(0, 2, 2, 0);
    clients.set(theirs.pbxCallId, CLIENTS[0] as string);
    await apply(theirs.events, clients);
    expect((await read()).return_direction).toBe('in');
    expect((await storedMissedCells(database.db)).cells.map((c) => [c.fate, c.calls])).toEqual([
      ['client', 1],
    ]);
  });

  it('fills the missed-call rollups from the stored returns when they are empty (a migrated database)', async () => {
    await wipe();
    const calls = [plannedCall(1, 0, 0, 0), plannedCall(7, 0, 3, 0), plannedCall(2, 0, 4, 1)];
    await apply(
      calls.flatMap((c) => c.events),
      new Map(calls.map((c) => [c.pbxCallId, c.client])),
    );
    const kept = await storedMissedCells(database.db);
    expect(kept.cells.length).toBeGreaterThan(0);
    await wipeTables(database, MISSED_ROLLUP_TABLES);
    expect(await deriveMissedRollups(database.db)).toBe(2);
    expect(await storedMissedCells(database.db)).toEqual(kept);
    expect(await deriveMissedRollups(database.db)).toBe(0);
  });

  it('are derived at start-up for calls folded before the call log columns existed', async () => {
    await wipe();
    const calls = [
      plannedCall(1, 0, 0, 0),
      plannedCall(7, 0, 3, 0),
      plannedCall(0, 0, 2, 1),
      plannedCall(2, 1, 0, 1),
    ];
    await apply(
      calls.flatMap((c) => c.events),
      new Map(calls.map((c) => [c.pbxCallId, c.client])),
    );
    const kept = await storedMissedCells(database.db);
    const { fates } = await storedFates(30);
    await sql`update calls set outcome = null, agent_extension = null, attribution_rule = null, wait_seconds = null, return_at = null, return_direction = null`.execute(
      database.db,
    );
    await wipeTables(database, MISSED_ROLLUP_TABLES);
    expect(await deriveCallReadModel(database.db)).toBe(calls.length);
    expect(await deriveMissedRollups(database.db)).toBeGreaterThan(0);
    expect(await storedMissedCells(database.db)).toEqual(kept);
    expect((await storedFates(30)).fates).toEqual(fates);
  });
});
