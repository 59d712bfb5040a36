/**
 * The call log's planned query (one ordered stream per direction × outcome × recorded value, merged by start
 * time; an agent's own calls and their clients' as two branches) returns exactly what a naive filter over every
 * row returns: the same calls, in the same order, cut at the same page boundaries by the cursor — for random
 * calls, filters, readers and page sizes, on both dialects. And the odd-call predicate is its index's own.
 */
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Actor, systemActor, userActor } from '../../../platform/auth/actor.js';
import { UTC_HOUR_OF_WEEK } from '../../../platform/db/migrations/0039-missed-by-hour-of-week.js';
import { CALL_VISIBILITY_SETTINGS } from '../../../platform/settings/setting-definitions.js';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from '../../../test-support/test-database.js';
import { MISSED_OUTCOMES } from '../domain/call-outcome.js';
import { classifyReturn, MISSED_CALL_CLASSES } from '../domain/missed-call-classification.js';
import type { CallLogQuery } from '../ports.js';
import {
  callLogStreams,
  createKyselyCallLog,
  HOUR_OF_WEEK_SQL,
  ODD_CALL_PREDICATE,
} from './kysely-call-log.js';

const USERS = ['u1', 'u2', 'u3'];
const CONTACTS = ['k1', 'k2', 'k3', 'k4'];
const RESPONSIBLE: Record<string, string | null> = { k1: 'u1', k2: 'u2', k3: 'u1', k4: null };
const CLIENTS = ['+33600000001', '+33600000002', '+33600000003'];
const EXTENSIONS = ['101', '102', '103'];
const DIRECTIONS = ['inbound', 'outbound', 'unknown'];
const OUTCOMES = [
  'answered',
  'no_answer',
  'busy',
  'cancelled',
  'ivr_hangup',
  'failed',
  'blacklisted',
  'live',
  'unknown',
];
/** Few distinct instants, so that many calls share a start time and the id breaks the tie. */
const INSTANTS = Array.from({ length: 12 }, (_, i) => new Date(Date.UTC(2026, 2, 1 + i, 9)).toISOString());
/** A missed call's returns: at a start instant, 10 minutes or 2 hours after one (so every fate class occurs). */
const RETURNS = INSTANTS.flatMap((at) =>
  [0, 10, 120].map((m) => new Date(Date.parse(at) + m * 60_000).toISOString()),
);
/** Start times: at an instant, 30 minutes (same hour) or an hour after it (the next hour). */
const STARTS = INSTANTS.flatMap((at) =>
  [0, 30, 60].map((m) => new Date(Date.parse(at) + m * 60_000).toISOString()),
);
/**
 * Disjoint ranges of start times (a heatmap cell's hours, `within`): the hour after each instant, so that days a
 * week apart make weekly runs the log reads by hour of the week (and the calls an hour later stay out).
 */
const RANGES = INSTANTS.map((from) => ({ from, to: new Date(Date.parse(from) + 3_600_000).toISOString() }));

interface Row {
  id: string;
  direction: string;
  outcome: string | null;
  is_recorded: number;
  agent_extension: string | null;
  agent_user_id: string | null;
  contact_id: string | null;
  client_e164: string | null;
  started_at: string | null;
  return_at: string | null;
  return_direction: string | null;
}

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null, freq: 4 });

const rowArb = fc.record({
  direction: fc.constantFrom(...DIRECTIONS, 'sideways'),
  outcome: fc.option(fc.constantFrom(...OUTCOMES), { nil: null, freq: 12 }),
  is_recorded: fc.constantFrom(0, 0, 1, 2),
  agent_extension: maybe(fc.constantFrom(...EXTENSIONS)),
  agent_user_id: maybe(fc.constantFrom(...USERS)),
  contact_id: maybe(fc.constantFrom(...CONTACTS)),
  client_e164: maybe(fc.constantFrom(...CLIENTS)),
  started_at: fc.option(fc.constantFrom(...STARTS), { nil: null, freq: 15 }),
  return_at: maybe(fc.constantFrom(...RETURNS)),
  return_direction: maybe(fc.constantFrom('in', 'out')),
});

const FILTERS = {
  from: fc.constantFrom(...INSTANTS.slice(0, 6)),
  to: fc.constantFrom(...INSTANTS.slice(6)),
  extension: fc.constantFrom(...EXTENSIONS),
  userId: fc.constantFrom(...USERS),
  direction: fc.constantFrom('in' as const, 'out' as const),
  outcome: fc.constantFrom(...(OUTCOMES as CallLogQuery['outcome'][]), 'missed' as const),
  contactId: fc.constantFrom(...CONTACTS),
  clientE164: fc.constantFrom(...CLIENTS),
  hasRecording: fc.boolean(),
  notReturned: fc.boolean(),
  fate: fc.record({
    class: fc.constantFrom(...MISSED_CALL_CLASSES),
    returnWithinMinutes: fc.constantFrom(5, 30, 180),
  }),
  // Any ranges, or ranges two of which (after the first read, either order) are a week apart: a weekly run.
  within: fc.oneof(
    fc.subarray(RANGES, { minLength: 1 }),
    fc
      .constantFrom([0, 2, 9, 11], [3, 4, 10, 11], [0, 1, 8])
      .map((days) => days.map((d) => RANGES[d] as (typeof RANGES)[number])),
  ),
};

/** A few filters at a time (more would match nothing in a few dozen rows and prove little). */
const filterArb = fc
  .subarray(Object.keys(FILTERS) as (keyof typeof FILTERS)[], { maxLength: 3 })
  .chain((keys) =>
    fc.record(
      Object.fromEntries(keys.map((k) => [k, FILTERS[k]])) as {
        [K in keyof typeof FILTERS]: (typeof FILTERS)[K];
      },
    ),
  ) as unknown as fc.Arbitrary<Omit<CallLogQuery, 'order' | 'limit' | 'after' | 'callIds'>>;

/** The reader: the system, an admin, or an agent (who may see all calls when the admins' switch is on). */
const readerArb = fc.constantFrom<['system' | 'admin' | 'u1' | 'u2' | 'u3', boolean]>(
  ['system', false],
  ['admin', false],
  ['u1', false],
  ['u2', false],
  ['u3', false],
  ['u1', true],
);

function actorOf(who: 'system' | 'admin' | 'u1' | 'u2' | 'u3'): Actor {
  if (who === 'system') {
    return systemActor('test');
  }
  return userActor({
    id: who === 'admin' ? 'u3' : who,
    role: who === 'admin' ? 'admin' : 'agent',
    name: who,
    locale: 'en',
  });
}

/** The log's filters and visibility over plain rows, written as plainly as possible. */
function naive(
  rows: readonly Row[],
  who: 'system' | 'admin' | 'u1' | 'u2' | 'u3',
  seeAll: boolean,
  q: Omit<CallLogQuery, 'after' | 'limit'>,
): string[] {
  const missed = (r: Row) => r.direction !== 'outbound' && MISSED_OUTCOMES.includes(r.outcome as never);
  const key = (r: Row) => `${r.started_at}|${r.id}`;
  return rows
    .filter((r) => r.started_at !== null)
    .filter(
      (r) =>
        who === 'system' ||
        who === 'admin' ||
        seeAll ||
        r.agent_user_id === who ||
        (r.contact_id !== null && RESPONSIBLE[r.contact_id] === who),
    )
    .filter((r) => !q.from || (r.started_at as string) >= q.from)
    .filter((r) => !q.to || (r.started_at as string) < q.to)
    .filter((r) => !q.extension || r.agent_extension === q.extension)
    .filter((r) => !q.userId || r.agent_user_id === q.userId)
    .filter((r) => !q.direction || (q.direction === 'out') === (r.direction === 'outbound'))
    .filter((r) => !q.notReturned || (missed(r) && r.return_at === null))
    .filter(
      (r) =>
        !q.fate ||
        (missed(r) &&
          classifyReturn(
            r.started_at as string,
            { returnAt: r.return_at, returnDirection: r.return_direction as 'in' | 'out' | null },
            q.fate.returnWithinMinutes,
          ).classification === q.fate.class),
    )
    .filter(
      (r) =>
        !q.within ||
        q.within.some((w) => (r.started_at as string) >= w.from && (r.started_at as string) < w.to),
    )
    .filter((r) => q.outcome !== 'missed' || missed(r))
    .filter((r) => !q.outcome || q.outcome === 'missed' || r.outcome === q.outcome)
    .filter((r) => !q.contactId || r.contact_id === q.contactId)
    .filter((r) => !q.clientE164 || r.client_e164 === q.clientE164)
    .filter((r) => !q.callIds || q.callIds.includes(r.id))
    .filter((r) => q.hasRecording === undefined || r.is_recorded === (q.hasRecording ? 1 : 0))
    .sort((a, b) => (key(a) < key(b) ? -1 : 1) * (q.order === 'newest' ? -1 : 1))
    .map((r) => r.id);
}

describe.each(TEST_DIALECTS)('the call log’s planned query on %s', (dialect) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(dialect);
    const at = '2026-01-01T00:00:00.000Z';
    for (const id of USERS) {
      await database.db
        .insertInto('users')
        .values({
          id,
          email: `${id}@test.invalid`,
          name: id,
          role: 'agent',
          locale: 'en',
          password_hash: '-',
          created_at: at,
          updated_at: at,
        })
        .execute();
    }
    for (const id of CONTACTS) {
      await database.db
        .insertInto('contacts')
        .values({
          id,
          first_name: id,
          last_name: '',
          display_name: id,
          sort_key: id,
          notes: '',
          do_not_call: 0,
          responsible_user_id: RESPONSIBLE[id] ?? null,
          created_at: at,
          updated_at: at,
        })
        .execute();
    }
  });
  afterAll(async () => {
    await database.cleanup();
  });

  async function store(rows: readonly Row[], seeAll: boolean): Promise<void> {
    const db = database.db;
    await db.deleteFrom('calls').execute();
    await db
      .deleteFrom('settings')
      .where('key', '=', CALL_VISIBILITY_SETTINGS.agentsSeeAllCalls.key)
      .execute();
    if (seeAll) {
      await db
        .insertInto('settings')
        .values({
          key: CALL_VISIBILITY_SETTINGS.agentsSeeAllCalls.key,
          value: 'true',
          updated_at: INSTANTS[0] as string,
        })
        .execute();
    }
    for (const row of rows) {
      await db
        .insertInto('calls')
        .values({
          ...row,
          pbx_call_id: `in_${row.id}`,
          status: 'answered',
          events: '[]',
          ringing_extensions: '[]',
          recording_ids: '[]',
          version: 1,
          created_at: INSTANTS[0] as string,
          updated_at: INSTANTS[0] as string,
        })
        .execute();
    }
  }

  it('reads a heatmap cell’s weekly ranges by hour of the week, without the other hours of their span', async () => {
    // Calls every day at 09:30 and 10:30 UTC; the ranges: 09:00–10:00 on days 0, 2, 9 and 11 (2 and 9: a run).
    const day = (d: number, h: number, m = 0) => new Date(Date.UTC(2026, 2, 1 + d, h, m)).toISOString();
    const rows = Array.from({ length: 24 }, (_, i) => ({
      id: `c${String(i).padStart(3, '0')}`,
      direction: 'inbound',
      outcome: 'answered',
      is_recorded: 0,
      agent_extension: null,
      agent_user_id: null,
      contact_id: null,
      client_e164: null,
      started_at: day(i >> 1, i % 2 === 0 ? 9 : 10, 30),
      return_at: null,
      return_direction: null,
    }));
    await store(rows, false);
    const within = [0, 2, 9, 11].map((d) => ({ from: day(d, 9), to: day(d, 10) }));
    const log = createKyselyCallLog(database.db);
    for (const order of ['newest', 'oldest'] as const) {
      const page = await log.page(systemActor('test'), { order, limit: 10, within });
      const expected = ['c000', 'c004', 'c018', 'c022'];
      expect(page.map((c) => c.id)).toEqual(order === 'newest' ? [...expected].reverse() : expected);
    }
  });

  it('computes the hour of the week as migration 0039’s index writes it, so the database reads the index', () => {
    expect(HOUR_OF_WEEK_SQL[dialect]).toBe(
      UTC_HOUR_OF_WEEK[dialect].replace(/\bstarted_at\b/g, 'k.started_at'),
    );
  });

  it('reads a heatmap cell’s missed calls of a weekly run on their hour of the week (migration 0039)', async () => {
    // Days 0, 7 and 14, 09:00–10:00 UTC: the first range in reading order alone, the other two a weekly run, read
    // on the index of missed calls by hour of the week. Every day has calls at 09:30 and at 10:30 (in the run's
    // span, not on its hour): the agent's own missed calls, their client's missed on another agent, an unrouted
    // one of their client, an answered one and one placed — only the missed ones of the cell's hour belong.
    const day = (d: number, h: number) => new Date(Date.UTC(2026, 2, 1 + d, h, 30)).toISOString();
    const kinds = [
      { direction: 'inbound', outcome: 'no_answer', agent_user_id: 'u1', contact_id: null },
      { direction: 'inbound', outcome: 'busy', agent_user_id: 'u2', contact_id: 'k1' },
      { direction: 'unknown', outcome: 'ivr_hangup', agent_user_id: null, contact_id: 'k3' },
      { direction: 'inbound', outcome: 'cancelled', agent_user_id: 'u2', contact_id: 'k2' },
      { direction: 'inbound', outcome: 'answered', agent_user_id: 'u1', contact_id: null },
      { direction: 'outbound', outcome: 'no_answer', agent_user_id: 'u1', contact_id: 'k1' },
    ];
    const rows: Row[] = [];
    for (let d = 0; d <= 14; d++) {
      for (const h of [9, 10]) {
        kinds.forEach((kind, i) => {
          rows.push({
            ...kind,
            id: `m${String(d).padStart(2, '0')}${h}${i}`,
            is_recorded: i % 2,
            agent_extension: null,
            client_e164: null,
            started_at: day(d, h),
            return_at: d % 3 === 0 ? day(d, 11) : null,
            return_direction: d % 3 === 0 ? 'out' : null,
          });
        });
      }
    }
    await store(rows, false);
    const within = [0, 7, 14].map((d) => ({
      from: new Date(Date.UTC(2026, 2, 1 + d, 9)).toISOString(),
      to: new Date(Date.UTC(2026, 2, 1 + d, 10)).toISOString(),
    }));
    const log = createKyselyCallLog(database.db);
    for (const who of ['u1', 'u2', 'system'] as const) {
      for (const filter of [{ outcome: 'missed' as const }, { notReturned: true }]) {
        for (const order of ['newest', 'oldest'] as const) {
          const q = { ...filter, order, within };
          const expected = naive(rows, who, false, q);
          // More than the first range holds: the run's part is read too.
          expect(expected.length).toBeGreaterThan(2);
          for (const limit of [50, 4]) {
            const page = await log.page(actorOf(who), { ...q, limit });
            expect(page.map((c) => c.id)).toEqual(expected.slice(0, limit));
          }
        }
      }
    }
  });

  it('reads the calls a transcript search names latest bound first, until no call left can come first', async () => {
    const at = (d: number) => new Date(Date.UTC(2026, 2, 1 + d, 9)).toISOString();
    const row = (id: string, d: number) => ({
      id,
      direction: 'inbound',
      outcome: 'answered',
      is_recorded: 1,
      agent_extension: null,
      agent_user_id: null,
      contact_id: null,
      client_e164: null,
      started_at: at(d),
      return_at: null,
      return_direction: null,
    });
    await store([row('a', 1), row('b', 2), row('c', 7), row('d', 9)], false);
    const log = createKyselyCallLog(database.db);
    const pageOf = async (bounds: [string, number][]) =>
      (
        await log.page(systemActor('test'), {
          order: 'newest',
          limit: 1,
          callIds: ['a', 'b', 'c', 'd'],
          callStartBounds: new Map(bounds.map(([id, d]) => [id, at(d)])),
        })
      ).map((c) => c.id);
    // a and b's starts moved earlier since their transcripts: read first (two to a chunk), b does not hold the
    // page — d's bound is later than b's start, so d is read and comes first (and c, bound before d, is not).
    expect(
      await pageOf([
        ['a', 11],
        ['b', 10],
        ['c', 7],
        ['d', 9],
      ]),
    ).toEqual(['d']);
    // A call with no bound is read first.
    expect(
      await pageOf([
        ['a', 11],
        ['b', 10],
        ['c', 7],
      ]),
    ).toEqual(['d']);
    // The bounds are trusted: a bound that lies (d started on day 9, not by day 0) keeps d unread once c is in.
    expect(
      await pageOf([
        ['a', 11],
        ['b', 10],
        ['c', 7],
        ['d', 0],
      ]),
    ).toEqual(['c']);
  });

  it('returns what a naive filter over every row returns, page after page', async () => {
    const log = createKyselyCallLog(database.db);
    await fc.assert(
      fc.asyncProperty(
        fc.array(rowArb, { maxLength: 60 }),
        filterArb,
        readerArb,
        fc.constantFrom('newest' as const, 'oldest' as const),
        fc.integer({ min: 1, max: 7 }),
        fc.boolean(),
        fc.array(fc.constantFrom('none', 'start', 'later'), { minLength: 60, maxLength: 60 }),
        async (rows, filter, [who, seeAll], order, limit, bySaid, boundKinds) => {
          const calls = rows.map((r, i) => ({ ...r, id: `c${String(i).padStart(3, '0')}` }));
          await store(calls, seeAll);
          // `said` narrows the log to the ids its transcripts name: every other id here, with a bound of its start
          // as a transcript keeps it — none, the start itself, or a later instant (the start moved earlier since).
          const callIds =
            bySaid && calls.length > 0 ? calls.filter((_, i) => i % 2 === 0).map((c) => c.id) : undefined;
          const callStartBounds = new Map(
            calls.flatMap((c, i) => {
              const kind = boundKinds[i];
              const later = STARTS[(i * 7) % STARTS.length] as string;
              if (kind === 'none' || (kind === 'start' && c.started_at === null)) {
                return [];
              }
              const bound =
                kind === 'start' || (c.started_at !== null && later < c.started_at) ? c.started_at : later;
              return [[c.id, bound as string] as const];
            }),
          );
          const query = { ...filter, order, ...(callIds ? { callIds, callStartBounds } : {}) };
          const expected = naive(calls, who, seeAll, query);
          const got: string[] = [];
          let after: CallLogQuery['after'];
          for (let pages = 0; pages <= calls.length + 1; pages++) {
            const page = await log.page(actorOf(who), { ...query, limit, ...(after ? { after } : {}) });
            got.push(...page.map((c) => c.id));
            const last = page.at(-1);
            expect(page.length).toBeLessThanOrEqual(limit);
            if (page.length < limit || !last) {
              break;
            }
            // The row's own start time (these rows carry no events for the fold to derive it from).
            const startedAt = calls.find((c) => c.id === last.id)?.started_at as string;
            after = { startedAt, id: last.id };
          }
          expect(got).toEqual(expected);
        },
      ),
      { numRuns: dialect === 'sqlite' ? 150 : 60 },
    );
  });
});

describe('the call log’s streams', () => {
  it('read one index prefix per value the filters allow, plus the odd calls', () => {
    expect(callLogStreams({})).toHaveLength(1);
    expect(callLogStreams({ from: INSTANTS[0] as string, extension: '101' })).toHaveLength(1);
    // Outgoing: 1 direction × 9 outcomes × 2 recorded, and the odd calls.
    expect(callLogStreams({ direction: 'out' })).toHaveLength(19);
    // Missed and not returned, recorded: inbound and unknown × 4 missed outcomes × 1.
    expect(callLogStreams({ notReturned: true, hasRecording: true })).toHaveLength(9);
    expect(callLogStreams({ direction: 'out', outcome: 'missed' })).toHaveLength(1);
  });

  it('name the odd calls with the partial index’s own predicate (SQLite plans it)', async () => {
    const database = await openTestDatabase('sqlite');
    try {
      const sqlite = database.sqlite;
      if (!sqlite) {
        throw new Error('the SQLite test database has no raw connection');
      }
      const index = sqlite
        .prepare('select sql from sqlite_master where name = ?')
        .get('calls_log_odd_idx') as {
        sql: string;
      };
      expect(index.sql.replace(/\s+/g, ' ')).toContain(ODD_CALL_PREDICATE);
      const plan = sqlite
        .prepare(
          `explain query plan select id from calls k where (${ODD_CALL_PREDICATE.replace(/\b(direction|outcome|is_recorded)\b/g, 'k.$1')}) order by k.started_at desc, k.id desc limit 5`,
        )
        .all() as { detail: string }[];
      expect(plan.map((r) => r.detail).join(' | ')).toContain('calls_log_odd_idx');
      await sql`select 1`.execute(database.db);
    } finally {
      await database.cleanup();
    }
  });
});
