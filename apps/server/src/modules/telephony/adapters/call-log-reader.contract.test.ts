/**
 * The `CallLogReader` contract: the call log's pages — every filter, the keyset order both ways, the page bound
 * and the reader's visibility with the admins' "agents see all calls" switch — the later calls a missed call's
 * fate is read from, and a call's trace as its `CallTimeline` wrote it, answered alike by the Kysely reader
 * (SQLite, PostgreSQL) and the in-memory one. Each side is
 * seeded through the fold (`CallRepository.applyEvent`, then `link`), so the columns the reader filters on
 * (outcome, attributed extension, a missed call's return) are the ones the fold derives. A table of named cases
 * says what each filter returns; generated queries over a few weeks of calls hold each adapter's pages, walked
 * page by page through the cursor, equal to the in-memory reader's single page.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Actor, systemActor, userActor } from '../../../platform/auth/actor.js';
import { insertTestUser } from '../../../test-support/insert-user.js';
import { createCallVisibilitySettingsService } from '../call-visibility-settings.js';
import type { CallOutcome } from '../domain/call-outcome.js';
import { MISSED_CALL_CLASSES } from '../domain/missed-call-classification.js';
import type { CallLogQuery, CallLogReader, CallRepository, CallTimeline, StoredCall } from '../ports.js';
import { type CallKind, type CallSpec, foldCallSpecs } from '../test-support/call-specs.js';
import { type Opened, onEveryDialect } from '../test-support/contract-adapters.js';
import { seedContact } from '../test-support/seed-crm.js';
import type { CallReadPolicy } from '../use-cases/call-visibility.js';
import { createInMemoryCallLog } from './in-memory-call-log.js';
import { createInMemoryCallRepository, createInMemoryCallTimeline } from './in-memory-telephony.js';
import { createKyselyCallLog } from './kysely-call-log.js';
import { createCallRepository } from './kysely-call-repository.js';
import { createKyselyCallTimeline } from './kysely-call-timeline.js';

const A = '+33611111111';
const B = '+33622222222';
const C = '+33633333333';
const D = '+33644444444';
const E = '+33655555555';
const F = '+33666666666';
const G = '+33677777777';
const H = '+33688888888';

/** The named calls: Monday 2 March 2026 from 09:00 UTC, `minute` later (and `second`). */
const DAY_0 = Date.parse('2026-03-02T09:00:00Z');
const PERIOD = { from: '2026-03-02T00:00:00.000Z', to: '2026-03-05T00:00:00.000Z' };
const at = (minute: number, second = 0) => new Date(DAY_0 + minute * 60_000 + second * 1000).toISOString();

type Who = 'olga' | 'ivan';
type Whose = 'jean' | 'zoe';
interface Named extends CallSpec {
  readonly agent?: Who;
  readonly contact?: Whose;
}

const call = (
  key: string,
  kind: CallKind,
  when: string,
  client: string | null,
  extension: string,
  more: Partial<Named> = {},
): Named => ({ key, kind, at: when, client, extension, ...more });

/**
 * Each missed call's fate is set by the calls after it: A returned by us in 4 minutes, B called back by the
 * client (an unanswered attempt of ours between does not count), C returned in 2 h, D never, E two days later,
 * F called back and still talking, G returned in exactly 30 minutes, H in 30 minutes and a second.
 */
const NAMED: readonly Named[] = [
  call('a_miss', 'in_no_answer', at(0), A, '101', { contact: 'jean' }),
  call('a_ret', 'out_answered', at(4), A, '101', { recorded: true, agent: 'olga', contact: 'jean' }),
  call('b_miss', 'in_busy', at(10), B, '102'),
  call('b_try', 'out_no_answer', at(20), B, '102'),
  call('b_back', 'in_answered', at(40), B, '102', { recorded: true, agent: 'ivan' }),
  call('c_miss', 'in_cancelled', at(60), C, '101'),
  call('d_miss', 'in_ivr_hangup', at(90), D, '101'),
  call('e_miss', 'in_no_answer', at(100), E, '103'),
  call('hidden', 'in_busy', at(120), null, '101'),
  call('refused', 'in_blacklisted', at(130), B, '101'),
  call('f_miss', 'in_no_answer', at(150), F, '102'),
  call('c_ret', 'out_answered', at(180), C, '101', { agent: 'olga' }),
  call('f_talk', 'in_talking', at(200), F, '102', { agent: 'ivan' }),
  call('failed', 'out_failed', at(210), C, '103'),
  call('g_miss', 'in_no_answer', at(300), G, '101'),
  call('g_ret', 'out_answered', at(330), G, '101', { recorded: true }),
  call('h_miss', 'in_no_answer', at(400), H, '102'),
  call('h_ret', 'out_answered', at(430, 1), H, '102'),
  call('e_ret', 'out_answered', at(100 + 2 * 24 * 60), E, '103', { agent: 'ivan', contact: 'zoe' }),
  call('no_start', 'record_only', at(500), null, '101'),
];

/** Every named call with a start, newest first. */
const NEWEST = NAMED.filter((c) => c.kind !== 'record_only')
  .sort((a, b) => (a.at < b.at ? 1 : -1))
  .map((c) => c.key);

// ── The generated weeks: calls from Monday 9 March, one every 97 minutes at most, on eight clients.

const BULK_FROM = Date.parse('2026-03-09T00:00:00Z');
const BULK_KINDS: readonly CallKind[] = [
  'in_answered',
  'in_answered',
  'in_no_answer',
  'in_busy',
  'in_cancelled',
  'in_ivr_hangup',
  'in_blacklisted',
  'in_talking',
  'out_answered',
  'out_answered',
  'out_no_answer',
  'out_failed',
];
/** Other clients than the named calls': their returns stay as the named table says. */
const CLIENTS = ['+33700000001', '+33700000002', '+33700000003', '+33700000004', A, null] as const;

function bulk(): Named[] {
  const spec = fc.record({
    kind: fc.constantFrom(...BULK_KINDS),
    gap: fc.integer({ min: 1, max: 96 }),
    second: fc.nat(59),
    client: fc.constantFrom(...CLIENTS),
    extension: fc.constantFrom('101', '102', '103'),
    recorded: fc.boolean(),
    agent: fc.constantFrom<Who | undefined>('olga', 'ivan', undefined, undefined),
    contact: fc.constantFrom<Whose | undefined>('jean', 'zoe', undefined, undefined),
  });
  let minute = 0;
  return fc.sample(spec, { seed: 20260309, numRuns: 90 }).map((s, i) => {
    // Strictly increasing starts: no two calls tie, so both stores order them alike whatever their ids.
    minute += s.gap;
    const { gap: _, second, ...rest } = s;
    return {
      ...rest,
      key: `bulk_${i}`,
      at: new Date(BULK_FROM + minute * 60_000 + second * 1000).toISOString(),
      ...(s.agent ? { agent: s.agent } : {}),
      ...(s.contact ? { contact: s.contact } : {}),
    } as Named;
  });
}

const BULK = bulk();
const BULK_TO = Date.parse(BULK.at(-1)?.at as string) + 3_600_000;

// ── The adapters.

interface Seeded {
  readonly log: CallLogReader;
  readonly calls: CallRepository;
  /** Where processing and the call's card write its trace (the writer `log.trace` reads back). */
  readonly timeline: CallTimeline;
  readonly olga: string;
  readonly ivan: string;
  readonly jean: string;
  readonly zoe: string;
  /** Turns the admins' "agents see all calls" switch on or off, through the store each reader reads. */
  seeAll(on: boolean): Promise<void>;
}

const ADAPTERS = [
  ...onEveryDialect(async (database): Promise<Seeded> => {
    const { db } = database;
    const olga = await insertTestUser(db, 'Olga');
    const ivan = await insertTestUser(db, 'Ivan');
    const settings = createCallVisibilitySettingsService({ db, instanceId: 'contract' });
    return {
      log: createKyselyCallLog(db),
      calls: createCallRepository(db),
      timeline: createKyselyCallTimeline(db),
      olga,
      ivan,
      jean: await seedContact(db, { displayName: 'Jean Dupont', phones: [A], responsibleUserId: ivan }),
      zoe: await seedContact(db, { displayName: 'Zoé Martin', phones: [E] }),
      async seeAll(on) {
        await settings.update(() => ({ agentsSeeAllCalls: on }));
      },
    };
  }),
  { name: 'in-memory', open: async () => inMemory() },
];

function inMemory(): Opened<Seeded> {
  const people = { olga: 'u-olga', ivan: 'u-ivan', jean: 'c-jean', zoe: 'c-zoe' };
  const calls = createInMemoryCallRepository();
  const timeline = createInMemoryCallTimeline();
  let policy: CallReadPolicy = { agentsSeeAllCalls: false };
  const world = {
    calls,
    contacts: [
      { id: people.jean, displayName: 'Jean Dupont', responsibleUserId: people.ivan },
      { id: people.zoe, displayName: 'Zoé Martin', responsibleUserId: null },
    ],
  };
  return {
    ...people,
    calls,
    timeline,
    log: createInMemoryCallLog(world, { policy: () => policy, timeline }),
    async seeAll(on) {
      policy = { agentsSeeAllCalls: on };
    },
    done: async () => {},
  };
}

/** Folds the named and the generated calls into `o`; returns each stored call by key. */
async function seed(o: Seeded): Promise<Map<string, StoredCall>> {
  return foldCallSpecs(
    o.calls,
    [...NAMED, ...BULK].map((c) => ({
      ...c,
      links: {
        ...(c.agent ? { agentUserId: o[c.agent] } : {}),
        ...(c.contact ? { contactId: o[c.contact] } : {}),
      },
    })),
  );
}

const FILTER_KEYS = [
  'extension',
  'userId',
  'direction',
  'outcome',
  'contactId',
  'clientE164',
  'hasRecording',
  'notReturned',
  'fate',
  'callIds',
  'within',
] as const;

/** The key of a call by its id in one store. */
function keysBy(calls: Map<string, StoredCall>): (id: string) => string {
  const keys = new Map([...calls].map(([key, c]) => [c.id, key]));
  return (id) => keys.get(id) ?? id;
}

const admin = userActor({ id: 'u-admin', role: 'admin', name: 'Ada', locale: 'en' });
const agent = (id: string) => userActor({ id, role: 'agent', name: 'Agent', locale: 'en' });
const apiClient: Actor = { kind: 'api-client', id: 'key-1', scopes: [] };

describe.each(ADAPTERS)('CallLogReader contract: $name', ({ open }) => {
  let o: Opened<Seeded>;
  let stored: Map<string, StoredCall>;
  /** Key of a call by its id in this store. */
  let keyOf: (id: string) => string;
  /** The in-memory reader over the same calls: the reference of the generated queries. */
  let reference: Seeded;
  let referenceStored: Map<string, StoredCall>;
  let referenceKeyOf: (id: string) => string;

  beforeAll(async () => {
    o = await open();
    stored = await seed(o);
    keyOf = keysBy(stored);
    reference = inMemory();
    referenceStored = await seed(reference);
    referenceKeyOf = keysBy(referenceStored);
  }, 120_000);
  afterAll(async () => {
    await o?.done();
  });

  const page = async (reader: Actor, query: Partial<CallLogQuery>) =>
    (await o.log.page(reader, { order: 'newest', limit: 100, ...PERIOD, ...query })).map((c) => keyOf(c.id));

  const outcomes: [CallOutcome | 'missed', string[]][] = [
    ['missed', ['h_miss', 'g_miss', 'f_miss', 'hidden', 'e_miss', 'd_miss', 'c_miss', 'b_miss', 'a_miss']],
    ['no_answer', ['h_miss', 'g_miss', 'f_miss', 'e_miss', 'b_try', 'a_miss']],
    ['busy', ['hidden', 'b_miss']],
    ['cancelled', ['c_miss']],
    ['ivr_hangup', ['d_miss']],
    ['blacklisted', ['refused']],
    ['failed', ['failed']],
    ['live', ['f_talk']],
  ];
  it.each(outcomes)('filters by the outcome %s', async (outcome, keys) => {
    expect(await page(admin, { outcome })).toEqual(keys);
  });

  it('lists every call with a start, newest or oldest first, and none before or after the period', async () => {
    expect(await page(admin, {})).toEqual(NEWEST);
    expect(await page(admin, { order: 'oldest' })).toEqual([...NEWEST].reverse());
    expect(await page(admin, { from: at(100), to: at(180) })).toEqual([
      'f_miss',
      'refused',
      'hidden',
      'e_miss',
    ]);
    // The start is inclusive, the end exclusive.
    expect(await page(admin, { from: at(180), to: at(181) })).toEqual(['c_ret']);
    expect(await page(admin, { from: at(179), to: at(180) })).toEqual([]);
  });

  it('filters by direction, attributed extension, agent, contact, client and recording', async () => {
    expect(await page(admin, { direction: 'out' })).toEqual([
      'e_ret',
      'h_ret',
      'g_ret',
      'failed',
      'c_ret',
      'b_try',
      'a_ret',
    ]);
    expect(await page(admin, { direction: 'in', from: at(100), to: at(200) })).toEqual([
      'f_miss',
      'refused',
      'hidden',
      'e_miss',
    ]);
    // The missed call counts for the first extension rung; the voice menu's and the refused ones for none.
    expect(await page(admin, { extension: '103' })).toEqual(['e_ret', 'failed', 'e_miss']);
    expect(await page(admin, { extension: '101', to: at(200) })).toEqual([
      'c_ret',
      'hidden',
      'c_miss',
      'a_ret',
      'a_miss',
    ]);
    expect(await page(admin, { userId: o.olga })).toEqual(['c_ret', 'a_ret']);
    expect(await page(admin, { contactId: o.jean })).toEqual(['a_ret', 'a_miss']);
    expect(await page(admin, { clientE164: B })).toEqual(['refused', 'b_back', 'b_try', 'b_miss']);
    expect(await page(admin, { hasRecording: true })).toEqual(['g_ret', 'b_back', 'a_ret']);
    expect(await page(admin, { hasRecording: false, to: at(60) })).toEqual(['b_try', 'b_miss', 'a_miss']);
    expect(await page(admin, { direction: 'out', outcome: 'answered', userId: o.olga })).toEqual([
      'c_ret',
      'a_ret',
    ]);
  });

  it('finds the missed calls not returned, and each class of missed calls for a return window', async () => {
    expect(await page(admin, { notReturned: true })).toEqual(['hidden', 'd_miss']);
    const fate = async (cls: (typeof MISSED_CALL_CLASSES)[number], returnWithinMinutes: number) =>
      page(admin, { fate: { class: cls, returnWithinMinutes } });
    expect(await fate('client_called_back', 30)).toEqual(['f_miss', 'b_miss']);
    expect(await fate('returned_within_n', 30)).toEqual(['g_miss', 'a_miss']);
    expect(await fate('returned_within_24h', 30)).toEqual(['h_miss', 'c_miss']);
    expect(await fate('returned_later', 30)).toEqual(['e_miss']);
    expect(await fate('not_returned', 30)).toEqual(['hidden', 'd_miss']);
    // The window moves the calls returned around it: exactly 30 minutes is within 30, not within 15.
    expect(await fate('returned_within_n', 15)).toEqual(['a_miss']);
    expect(await fate('returned_within_24h', 15)).toEqual(['h_miss', 'g_miss', 'c_miss']);
    expect(await fate('returned_within_n', 60)).toEqual(['h_miss', 'g_miss', 'a_miss']);
    // A window no setting offers is counted by the same rule (seconds ≤ 60 × N).
    expect(await fate('returned_within_n', 3)).toEqual([]);
    expect(await fate('returned_within_n', 4)).toEqual(['a_miss']);
  });

  it('reads only the calls given, and only those started in the ranges given within the period', async () => {
    const ids = (...keys: string[]) => keys.map((k) => stored.get(k)?.id as string);
    expect(await page(admin, { callIds: ids('b_back', 'a_miss', 'no_start') })).toEqual(['b_back', 'a_miss']);
    expect(await page(admin, { callIds: [] })).toEqual([]);
    const within = [
      { from: at(0), to: at(11) },
      { from: at(150), to: at(181) },
      // Beyond the period's end: clipped away.
      { from: '2026-03-05T00:00:00.000Z', to: '2026-03-12T00:00:00.000Z' },
    ];
    expect(await page(admin, { within })).toEqual(['c_ret', 'f_miss', 'b_miss', 'a_ret', 'a_miss']);
    expect(await page(admin, { within, order: 'oldest', outcome: 'missed' })).toEqual([
      'a_miss',
      'b_miss',
      'f_miss',
    ]);
    expect(await page(admin, { within: [] })).toEqual([]);
  });

  it('pages through the cursor both ways, and bounds a page to 1 … 500 calls', async () => {
    for (const order of ['newest', 'oldest'] as const) {
      const walked: string[] = [];
      let after: CallLogQuery['after'];
      for (;;) {
        const rows = await o.log.page(admin, { order, limit: 4, ...PERIOD, ...(after ? { after } : {}) });
        walked.push(...rows.map((c) => keyOf(c.id)));
        const last = rows.at(-1);
        if (rows.length < 4 || !last) {
          break;
        }
        after = { startedAt: last.startedAt as string, id: last.id };
      }
      expect(walked).toEqual(order === 'newest' ? NEWEST : [...NEWEST].reverse());
    }
    expect(await page(admin, { limit: 0 })).toEqual(NEWEST.slice(0, 1));
    expect(await page(admin, { limit: -3 })).toEqual(NEWEST.slice(0, 1));
    const all = await o.log.page(admin, { order: 'newest', limit: 10_000 });
    expect(all).toHaveLength(NEWEST.length + BULK.length);
    expect((await o.log.page(admin, { order: 'oldest', limit: 501, from: PERIOD.from })).length).toBe(
      Math.min(500, NEWEST.length + BULK.length),
    );
  });

  it('shows an agent their calls and their clients’, all of them when the admins say so, an API key none', async () => {
    expect(await page(agent(o.olga), {})).toEqual(['c_ret', 'a_ret']);
    // Ivan is responsible for Jean: her calls with Olga too.
    expect(await page(agent(o.ivan), {})).toEqual(['e_ret', 'f_talk', 'b_back', 'a_ret', 'a_miss']);
    expect(await page(agent(o.ivan), { outcome: 'missed' })).toEqual(['a_miss']);
    expect(await page(apiClient, {})).toEqual([]);
    expect(await page(systemActor('contract'), {})).toEqual(NEWEST);
    await o.seeAll(true);
    try {
      expect(await page(agent(o.olga), {})).toEqual(NEWEST);
      expect(await page(apiClient, {})).toEqual([]);
    } finally {
      await o.seeAll(false);
    }
    expect(await page(agent(o.olga), {})).toEqual(['c_ret', 'a_ret']);
  });

  it('gives a client’s later calls oldest first, a call being talked counting as connected', async () => {
    expect(await o.log.followUps(F, at(150), 10)).toEqual([
      { startedAt: at(200), direction: 'inbound', answered: true },
    ]);
    expect((await o.log.followUps(B, at(10), 2)).map((c) => [c.startedAt, c.direction, c.answered])).toEqual([
      [at(20), 'outbound', false],
      [at(40), 'inbound', true],
    ]);
    expect(await o.log.followUps('+33600000000', at(0), 10)).toEqual([]);
  });

  it('reads a call’s trace back oldest first: the routing decision step by step, then what was decided on it', async () => {
    const id = (key: string) => stored.get(key)?.id as string;
    // Written out of order, as a user's outcome and the after-call job can land: the trace orders by time.
    await o.timeline.recordDecision({
      callId: id('a_miss'),
      at: at(5),
      code: 'callback.task_closed',
      params: { taskId: 'task-1', byCallId: id('a_ret') },
    });
    await o.timeline.recordRoutingDecision({
      callId: id('a_miss'),
      at: at(0, 1),
      reason: 'known caller; routed to responsible extension 101',
      reply: { redirect: '101' },
      trace: [
        { code: 'knownCaller', params: { contactId: o.jean } },
        { code: 'routed', params: { step: 'contact', extension: '101', userId: o.ivan, record: o.jean } },
      ],
    });
    await o.timeline.recordDecision({
      callId: id('a_miss'),
      at: at(2),
      code: 'call.outcome',
      params: { outcome: 'no_answer' },
      actorId: o.olga,
    });
    // Another call's: not on this one's trace.
    await o.timeline.recordDecision({
      callId: id('b_miss'),
      at: at(11),
      code: 'callback.task_opened',
      params: { taskId: 'task-2' },
    });
    expect(await o.log.trace(id('a_miss'))).toEqual([
      {
        at: at(0, 1),
        type: 'call.routing.knownCaller',
        params: { contactId: o.jean },
        text: `known caller (contact ${o.jean})`,
      },
      {
        // Each step 1 ms after the previous one: the order they were taken in.
        at: new Date(Date.parse(at(0, 1)) + 1).toISOString(),
        type: 'call.routing.routed',
        params: { step: 'contact', extension: '101', userId: o.ivan, record: o.jean },
        text: `routed to 101 — responsible for the contact ${o.jean}`,
      },
      { at: at(2), type: 'call.outcome', params: { outcome: 'no_answer' }, text: 'call.outcome' },
      {
        at: at(5),
        type: 'callback.task_closed',
        params: { taskId: 'task-1', byCallId: id('a_ret') },
        text: 'callback.task_closed',
      },
    ]);
    expect((await o.log.trace(id('b_miss'))).map((e) => e.type)).toEqual(['callback.task_opened']);
    expect(await o.log.trace(id('d_miss'))).toEqual([]);
    expect(await o.log.trace('no-such-call')).toEqual([]);
  });

  it('bounds a call’s trace to its 200 oldest items', async () => {
    const callId = stored.get('c_miss')?.id as string;
    for (let i = 0; i < 201; i++) {
      await o.timeline.recordDecision({
        callId,
        at: at(60, i),
        code: 'call.linked',
        params: { n: i },
      });
    }
    const trace = await o.log.trace(callId);
    expect(trace).toHaveLength(200);
    expect([trace[0]?.params.n, trace.at(-1)?.params.n]).toEqual([0, 199]);
  });

  it('answers generated queries page by page as the in-memory reader answers them at once', async () => {
    const ids = [...stored.values()].map((c) => c.id);
    const iso = (minute: number) => new Date(BULK_FROM + minute * 60_000).toISOString();
    const span = Math.ceil((BULK_TO - BULK_FROM) / 60_000);
    const bound = fc.integer({ min: -60, max: span + 60 });
    /** A heatmap cell's shape: one hour a week, over a few weeks. */
    const weekly = fc.tuple(fc.nat(167), fc.integer({ min: 1, max: 4 })).map(([hour, weeks]) =>
      Array.from({ length: weeks }, (_, w) => ({
        from: iso((w * 168 + hour) * 60),
        to: iso((w * 168 + hour + 1) * 60),
      })),
    );
    const values = fc.record({
      period: fc
        .tuple(bound, bound)
        .map(([x, y]) => ({ from: iso(Math.min(x, y)), to: iso(Math.max(x, y)) })),
      extension: fc.constantFrom('101', '102', '103', '999'),
      userId: fc.constantFrom<Who>('olga', 'ivan'),
      direction: fc.constantFrom<'in' | 'out'>('in', 'out'),
      outcome: fc.constantFrom<CallOutcome | 'missed'>(
        'missed',
        'answered',
        'no_answer',
        'busy',
        'cancelled',
        'ivr_hangup',
        'blacklisted',
        'failed',
        'live',
      ),
      contactId: fc.constantFrom<Whose>('jean', 'zoe'),
      clientE164: fc.constantFrom(...CLIENTS.filter((c) => c !== null)),
      hasRecording: fc.boolean(),
      notReturned: fc.constant(true),
      fate: fc.record({
        class: fc.constantFrom(...MISSED_CALL_CLASSES),
        returnWithinMinutes: fc.constantFrom(5, 15, 30, 60, 240, 7),
      }),
      callIds: fc.subarray(ids, { maxLength: 30 }),
      within: weekly,
    });
    /** A few of the filters at once, so that pages are seldom empty; the period as often as not. */
    const filter = fc.tuple(values, fc.subarray([...FILTER_KEYS], { maxLength: 3 })).map(([v, keys]) => {
      const { period, ...rest } = v;
      const picked = Object.fromEntries(keys.map((k) => [k, rest[k]]));
      return { ...(keys.length % 2 === 0 ? period : {}), ...picked } as Partial<typeof rest> & {
        from?: string;
        to?: string;
      };
    });
    const readers = fc.constantFrom<'admin' | Who | 'api'>('admin', 'olga', 'ivan', 'ivan', 'olga', 'api');
    let nonEmpty = 0;
    await fc.assert(
      fc.asyncProperty(
        filter,
        readers,
        fc.constantFrom<'newest' | 'oldest'>('newest', 'oldest'),
        fc.integer({ min: 3, max: 12 }),
        async (f, who, order, limit) => {
          const query = (people: Seeded, calls: Map<string, StoredCall>): Omit<CallLogQuery, 'limit'> => ({
            ...f,
            order,
            ...(f.userId ? { userId: people[f.userId] } : {}),
            ...(f.contactId ? { contactId: people[f.contactId] } : {}),
            // The ids of this store's calls of the same keys.
            ...(f.callIds ? { callIds: f.callIds.map((id) => calls.get(keyOf(id))?.id as string) } : {}),
          });
          const reader = (people: Seeded) =>
            who === 'admin' ? admin : who === 'api' ? apiClient : agent(people[who]);
          const expected = (
            await reference.log.page(reader(reference), { ...query(reference, referenceStored), limit: 500 })
          ).map((c) => referenceKeyOf(c.id));
          const walked: string[] = [];
          let after: CallLogQuery['after'];
          for (let pages = 0; pages < 200; pages++) {
            const rows = await o.log.page(reader(o), {
              ...query(o, stored),
              limit,
              ...(after ? { after } : {}),
            });
            walked.push(...rows.map((c) => keyOf(c.id)));
            const last = rows.at(-1);
            if (rows.length < limit || !last) {
              break;
            }
            after = { startedAt: last.startedAt as string, id: last.id };
          }
          expect(walked).toEqual(expected);
          nonEmpty += expected.length > 0 ? 1 : 0;
        },
      ),
      { numRuns: 100, seed: 1003 },
    );
    // The generated table is not all empty pages.
    expect(nonEmpty).toBeGreaterThan(30);
  }, 120_000);
});
