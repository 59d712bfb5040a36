import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertTestUser } from '../../../test-support/insert-user.js';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from '../../../test-support/test-database.js';
import { type CallEvent, CallEventRefusedError } from '../domain/call-event.js';
import { historyEvents } from '../domain/call-history.js';
import { type CallRecord, foldCall } from '../domain/fold-call.js';
import type { StoredCall } from '../ports.js';
import {
  inboundAnswered,
  inboundConflictingEnds,
  inboundMissed,
  inboundTransferredWithoutLastInternal,
  outboundAnswered,
} from '../test-support/call-scenarios.js';
import { recomputeRollupCells, storedRollupCells } from './call-read-model-rebuild.js';
import { createCallRepository } from './kysely-call-repository.js';

/** The same scenario under another pbx_call_id, so tests do not share rows. */
function asCall(events: readonly CallEvent[], pbxCallId: string): CallEvent[] {
  return events.map((e) => ({ ...e, pbxCallId }));
}

/** The fold's fields of a stored call, without its id: what two calls fed the same notifications share. */
function recordOf(call: StoredCall | null): Omit<CallRecord, 'pbxCallId'> {
  if (!call) {
    throw new Error('call missing');
  }
  const { pbxCallId: _, ...fold } = foldCall(call.events);
  return Object.fromEntries(Object.keys(fold).map((k) => [k, call[k as keyof CallRecord]])) as Omit<
    CallRecord,
    'pbxCallId'
  >;
}

/** The same notifications, each received at the time another one was: arrival order reversed, times swapped. */
function reversedArrival(events: readonly CallEvent[]): CallEvent[] {
  const times = events.map((e) => e.receivedAt);
  return [...events].reverse().map((e, i) => ({ ...e, receivedAt: times[i] as string }));
}

function later(event: CallEvent, seconds: number): CallEvent {
  return { ...event, receivedAt: new Date(Date.parse(event.receivedAt) + seconds * 1000).toISOString() };
}

// SQLite runs both write paths: Kysely's and the prepared-statement one the webhook uses.
const VARIANTS = TEST_DIALECTS.flatMap((dialect) =>
  dialect === 'sqlite' ? [`${dialect}`, `${dialect} with prepared statements`] : [`${dialect}`],
);

describe.each(VARIANTS)('the call repository on %s', (variant) => {
  const dialect = variant.startsWith('sqlite') ? 'sqlite' : 'postgres';
  const prepared = variant.endsWith('prepared statements');
  let database: TestDatabase;
  const repository = () => createCallRepository(database.db, { sqlite: prepared ? database.sqlite : null });
  beforeAll(async () => {
    database = await openTestDatabase(dialect);
  });
  afterAll(async () => {
    await database.cleanup();
  });

  it('creates the record on the first event and folds the following ones', async () => {
    const calls = repository();
    const events = asCall(inboundAnswered, 'in_repo_1');
    const first = await calls.applyEvent(events[0] as CallEvent, '2024-05-14T07:15:30.500Z');
    expect(first.duplicate).toBe(false);
    expect(first.call).toMatchObject({
      status: 'ringing',
      version: 1,
      createdAt: '2024-05-14T07:15:30.500Z',
    });
    for (const event of events.slice(1)) {
      await calls.applyEvent(event);
    }
    const stored = await calls.get('in_repo_1');
    expect(stored).toMatchObject({
      ...foldCall(events),
      version: events.length,
      contactId: null,
      agentUserId: null,
    });
    expect(stored?.events).toEqual(events);
  });

  it('stores the client’s E.164 in the same write as the fold, and never unsets it', async () => {
    const calls = repository();
    const events = asCall(inboundAnswered, 'in_repo_e164');
    const normalise = (n: string) => (n.startsWith('44') ? `+${n}` : null);
    const first = await calls.applyEvent(events[0] as CallEvent, undefined, { clientE164: normalise });
    const expected = normalise(foldCall(events.slice(0, 1)).clientNumber ?? '');
    expect(expected).not.toBeNull();
    expect(first.call).toMatchObject({ clientE164: expected, version: 1 });
    // A later event with a normaliser that gives nothing keeps what is stored.
    const second = await calls.applyEvent(events[1] as CallEvent, undefined, { clientE164: () => null });
    expect(second.call.clientE164).toBe(expected);
    expect(await calls.get('in_repo_e164')).toMatchObject({ clientE164: expected, version: 2 });
  });

  it('ignores a re-delivered event and reports it as a duplicate', async () => {
    const calls = repository();
    const events = asCall(inboundMissed, 'in_repo_dup');
    for (const event of events) {
      await calls.applyEvent(event);
    }
    const again = await calls.applyEvent(later(events[1] as CallEvent, 30));
    expect(again.duplicate).toBe(true);
    expect(again.call.version).toBe(events.length);
    expect(again.call.events).toHaveLength(events.length);
  });

  it('keeps the earliest delivery when a re-delivery was stored first', async () => {
    const calls = repository();
    const [start, internal] = asCall(inboundAnswered, 'in_repo_early') as [CallEvent, CallEvent];
    await calls.applyEvent(start);
    await calls.applyEvent(later(internal, 30));
    const original = await calls.applyEvent(internal);
    expect(original).toMatchObject({ duplicate: true, changed: true });
    expect(original.call.events).toEqual([start, internal]);
    const again = await calls.applyEvent(later(internal, 60));
    expect(again).toMatchObject({ duplicate: true, changed: false });
    expect(again.call.version).toBe(3);
  });

  it('ends with the same record whatever the order the events arrive in', async () => {
    const calls = repository();
    const events = asCall(outboundAnswered, 'out_repo_order');
    for (const event of [...events].reverse()) {
      await calls.applyEvent(event);
    }
    const stored = await calls.get('out_repo_order');
    expect(stored).toMatchObject(foldCall(events));
    expect(stored?.status).toBe('answered');
  });

  it('stays consistent when every event and its re-delivery are applied concurrently', async () => {
    const calls = repository();
    const events = asCall(inboundAnswered, 'in_repo_race');
    const deliveries = [...events, ...events.map((e) => later(e, 1)), ...events.map((e) => later(e, 2))];
    const results = await Promise.all(deliveries.map((e) => calls.applyEvent(e)));
    expect(results.filter((r) => !r.duplicate)).toHaveLength(events.length);
    const stored = await calls.get('in_repo_race');
    expect(stored).toMatchObject(foldCall(events));
    expect(stored?.events).toHaveLength(events.length);
    expect(stored?.version).toBeGreaterThanOrEqual(events.length);
    const row = await database.db
      .selectFrom('calls')
      .select(['status', 'answered_by', 'duration', 'recording_ids', 'ringing_extensions', 'is_recorded'])
      .where('pbx_call_id', '=', 'in_repo_race')
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      status: 'answered',
      answered_by: '101',
      duration: 67,
      recording_ids: '["1715681730.4567890"]',
      ringing_extensions: '["101","102"]',
      is_recorded: 1,
    });
    // The first events that lost the insert to another folded into its row: the call is counted once.
    const cells = await storedRollupCells(database.db);
    expect(cells).toEqual(await recomputeRollupCells(database.db));
    expect(cells.reduce((n, c) => n + c.calls, 0)).toBeGreaterThan(0);
  });

  it('links a call to its agent and normalised number, touching only those columns', async () => {
    const calls = repository();
    const agent = await insertTestUser(database.db);
    const stored = await calls.get('in_repo_1');
    if (!stored) {
      throw new Error('in_repo_1 missing');
    }
    const linked = await calls.link(stored, { agentUserId: agent, clientE164: '+442037691880' });
    expect(linked).toMatchObject({
      agentUserId: agent,
      clientE164: '+442037691880',
      contactId: null,
      version: 7,
    });
    // What link returns is what a read gives back.
    expect(await calls.get('in_repo_1')).toEqual(linked);
    expect(await calls.link(stored, {})).toBe(stored);
    expect(await calls.link({ ...stored, id: 'gone' }, { agentUserId: agent })).toBeNull();
    expect((await calls.list({ agentUserId: agent })).map((c) => c.pbxCallId)).toEqual(['in_repo_1']);
    expect((await calls.getById(linked?.id ?? ''))?.pbxCallId).toBe('in_repo_1');
  });

  it('refuses a replayed START signature under a known call’s id, writing nothing', async () => {
    const calls = repository();
    const events = asCall(inboundAnswered, 'in_repo_bound');
    for (const event of events.slice(0, 5)) {
      await calls.applyEvent(event);
    }
    const before = await calls.get('in_repo_bound');
    // Another call's signed caller_id and call_start, with this call's id and a forged outcome.
    const end = events[4] as CallEvent & { kind: 'end' };
    const replayed: CallEvent = {
      ...end,
      callerId: '33612345678',
      callStart: '2024-05-14 09:02:11',
      duration: 99_999,
      lastInternal: '103',
      recordingId: 'forged',
    };
    await expect(calls.applyEvent(replayed)).rejects.toThrow(CallEventRefusedError);
    await expect(calls.applyEvent(replayed)).rejects.toThrow(/signs caller_id "33612345678"/);
    // A forged END repeating the caller but not the call_start is refused too.
    const forged: CallEvent = { ...end, callStart: '2024-05-14 10:15:31', duration: 99_999 };
    await expect(calls.applyEvent(forged)).rejects.toThrow(/call_start "2024-05-14 10:15:31"/);
    expect(await calls.get('in_repo_bound')).toEqual(before);
  });

  it('merges a late webhook into an imported call: its DID fills what statistics lacked', async () => {
    const calls = repository();
    const imported = historyEvents(
      {
        pbxCallId: 'in_repo_imported',
        rows: [
          {
            callId: '1715681730.4567890',
            sip: '101',
            callstart: '2024-05-14 10:15:30',
            clid: 'Marie (442037691880)',
            destination: '101',
            disposition: 'answered',
            seconds: 42,
            isRecorded: true,
            pbxCallId: 'in_repo_imported',
          },
        ],
      },
      'UTC+3',
      null,
    );
    for (const event of imported) {
      await calls.applyEvent(event);
    }
    expect(await calls.get('in_repo_imported')).toMatchObject({ calledDid: null, status: 'answered' });
    // The webhooks' own notifications of that call, late (the import ran first): none is refused.
    for (const event of asCall(inboundAnswered, 'in_repo_imported')) {
      await calls.applyEvent(event);
    }
    expect(await calls.get('in_repo_imported')).toMatchObject({
      calledDid: '442037691999',
      didNumber: '442037691999',
      callerId: '442037691880',
      status: 'answered',
    });
  });

  it('names the call first stored with a signed start, on its index, never a later call reusing it', async () => {
    const calls = repository();
    const [first] = asCall(inboundAnswered, 'in_repo_signed_first') as [CallEvent & { kind: 'start' }];
    // A caller of its own: the other tests' calls share the scenario's signed start.
    const start = { ...first, callerId: '33611110000' };
    await calls.applyEvent(start);
    await calls.applyEvent({ ...start, pbxCallId: 'in_repo_signed_later' });
    const signed = { callStart: start.callStart, startedAt: start.startedAt ?? '', callerId: start.callerId };
    expect((await calls.ringingFacts('in_repo_signed_later', signed)).firstSigned).toBe(
      'in_repo_signed_first',
    );
    expect(
      (await calls.ringingFacts('in_repo_signed_later', { ...signed, callerId: '33700000000' })).firstSigned,
    ).toBeNull();
  });

  it('folds from the ringing facts read in its own transaction, and reads the call again after a write', async () => {
    const events = asCall(inboundAnswered, 'in_repo_read') as [
      CallEvent,
      CallEvent,
      CallEvent,
      ...CallEvent[],
    ];
    const [first, second, third] = events;
    const signed = {
      callStart: '2024-05-14 10:15:30',
      startedAt: '2024-05-14T07:15:30.000Z',
      callerId: '33611110001',
    };
    await database.db.transaction().execute(async (trx) => {
      const flushes: (() => Promise<void>)[] = [];
      const calls = repository().within(trx, (flush) => flushes.push(flush));
      await calls.applyEvent(first);
      const read = await calls.ringingFacts('in_repo_read', signed);
      // Behind the repository's back (nothing in the app writes a call so): on SQLite's prepared path the fold
      // starts from the facts, so this write is not seen — the proof that the call was not read twice.
      await sql`update calls set version = version + 100 where pbx_call_id = 'in_repo_read'`.execute(trx);
      const folded = await calls.applyEvent(second, undefined, { read });
      expect(folded.call.version).toBe(prepared ? 2 : 102);
      // A write through the repository since the facts were read: they are stale, and the fold reads again.
      const stale = await calls.ringingFacts('in_repo_read', signed);
      await calls.applyEvent(third);
      const fourth = events[3] as CallEvent;
      await calls.applyEvent(fourth, undefined, { read: stale });
      for (const flush of flushes) {
        await flush();
      }
    });
    expect((await repository().get('in_repo_read'))?.events).toHaveLength(4);
  });

  it('refuses a notification of the wrong direction without creating its call', async () => {
    const calls = repository();
    const end = inboundAnswered[4] as CallEvent;
    await expect(calls.applyEvent({ ...end, pbxCallId: 'out_repo_wrong' })).rejects.toThrow(
      /NOTIFY_END cannot belong to the outbound call out_repo_wrong/,
    );
    expect(await calls.get('out_repo_wrong')).toBeNull();
  });

  it('stores the same record for conflicting ends and a transfer without last_internal, whatever arrives first', async () => {
    const calls = repository();
    for (const [name, scenario] of [
      ['conflict', inboundConflictingEnds],
      ['transfer', inboundTransferredWithoutLastInternal],
    ] as const) {
      const first = asCall(scenario, `in_repo_${name}_a`);
      const second = reversedArrival(asCall(scenario, `in_repo_${name}_b`));
      for (const event of first) {
        await calls.applyEvent(event);
      }
      for (const event of second) {
        await calls.applyEvent(event);
      }
      const a = recordOf(await calls.get(`in_repo_${name}_a`));
      const b = recordOf(await calls.get(`in_repo_${name}_b`));
      // Only the "first seen" display times may differ: they are the receipt times.
      expect({ ...b, answers: b.answers.map((x) => x.extension), answeredAt: null, endedAt: null }).toEqual({
        ...a,
        answers: a.answers.map((x) => x.extension),
        answeredAt: null,
        endedAt: null,
      });
      expect(a.answeredBy).toBe(name === 'conflict' ? '102' : '101');
    }
  });

  it('keeps a bounded number of conflicting versions of one notification', async () => {
    const calls = repository();
    const [start, , , , end] = asCall(inboundAnswered, 'in_repo_versions') as CallEvent[];
    await calls.applyEvent(start as CallEvent);
    const version = (duration: number) => ({ ...(end as CallEvent & { kind: 'end' }), duration });
    for (const duration of [10, 20, 30, 40]) {
      expect((await calls.applyEvent(version(duration))).changed).toBe(true);
    }
    await expect(calls.applyEvent(version(50))).rejects.toThrow(/conflicting versions/);
    const stored = await calls.get('in_repo_versions');
    expect(stored).toMatchObject({ duration: 40, version: 5 });
    expect(stored?.events).toHaveLength(5);
  });

  it('lists calls newest first and pages by start time', async () => {
    const calls = repository();
    const starts = ['2024-06-01 09:00:00', '2024-06-01 10:00:00', '2024-06-01 11:00:00'];
    for (const [i, callStart] of starts.entries()) {
      const start = inboundMissed[0] as CallEvent & { kind: 'start' };
      await calls.applyEvent({
        ...start,
        pbxCallId: `in_page_${i}`,
        callStart,
        startedAt: `2024-06-01T0${6 + i}:00:00.000Z`,
      });
    }
    const page1 = await calls.list({ limit: 2 });
    expect(page1.map((c) => c.pbxCallId)).toEqual(['in_page_2', 'in_page_1']);
    const page2 = await calls.list({ limit: 2, startedBefore: page1[1]?.startedAt ?? '' });
    expect(page2.map((c) => c.pbxCallId)[0]).toBe('in_page_0');
  });
});

describe('the call indexes on SQLite', () => {
  it('serve the contact card’s and an agent’s calls from the partial indexes', async () => {
    const database = await openTestDatabase('sqlite');
    try {
      const sqlite = database.sqlite;
      if (!sqlite) {
        throw new Error('the SQLite test database has no raw connection');
      }
      const plan = (query: string) =>
        (sqlite.prepare(`explain query plan ${query}`).all() as { detail: string }[])
          .map((r) => r.detail)
          .join(' | ');
      // The contact card's last calls: the log's covering contact index (migration 0021; 0043 dropped its
      // prefix), no sort.
      const contactPlan = plan(
        "select id from calls where contact_id = 'c' order by started_at desc limit 5",
      );
      expect(contactPlan).toMatch(/USING (COVERING )?INDEX calls_log_contact_idx/);
      expect(contactPlan).not.toContain('TEMP B-TREE');
      expect(
        plan("select id from calls where agent_user_id = 'u' order by started_at desc, id desc limit 50"),
      ).toContain('calls_agent_user_id_idx');
      // The ringing popup's replay check (ringingFacts): one seek on caller and start (migration 0023), not
      // a walk over every call of that second.
      expect(
        plan(
          "select pbx_call_id, created_at from calls where caller_id = 'c' and started_at = 's' and call_start = 't'",
        ),
      ).toContain('calls_signed_start_idx (caller_id=? AND started_at=?)');
      const indexes = sqlite
        .prepare("select name from sqlite_master where type = 'index' and tbl_name = 'calls'")
        .all() as { name: string }[];
      expect(indexes.map((i) => i.name).sort()).toEqual([
        'calls_agent_user_id_idx',
        'calls_client_e164_idx',
        // The connected calls by client that settle a missed call, and the missed calls not returned (0017).
        'calls_connected_client_idx',
        'calls_in_progress_idx',
        // The call log's bounded first page (migration 0021): streams by dimension, agent, user; a covering
        // contact index; the odd calls' partial index.
        'calls_log_agent_idx',
        'calls_log_contact_idx',
        'calls_log_dims_idx',
        'calls_log_odd_idx',
        'calls_log_user_idx',
        // The missed calls by their UTC hour of the week: a heatmap cell's weekly run is one range (0039).
        'calls_missed_hour_idx',
        'calls_missed_idx',
        // An agent's clients' open missed calls, by contact (migration 0025), with the columns an agent's view
        // filters them by (0032).
        'calls_missed_open_contact_idx',
        'calls_missed_open_idx',
        // The missed calls we returned, by how long the return took: the log's "returned within N" classes (0029).
        'calls_missed_returned_idx',
        // The ringing popup's replay check by signed caller and start (migration 0023).
        'calls_signed_start_idx',
        'calls_started_at_idx',
        // The call workspace's missed list (migration 0015).
        'calls_status_missed_idx',
        'sqlite_autoindex_calls_1',
        'sqlite_autoindex_calls_2',
      ]);
    } finally {
      await database.cleanup();
    }
  });
});
