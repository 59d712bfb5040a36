/**
 * The webhook path's two stores: `CallRepository` (the fold of a call's notifications) and `InboxRepository` (every
 * request as received) behave alike in memory and on the Kysely adapters of both dialects — the plain repositories,
 * SQLite's prepared statements, and the group-committing inbox the ingest writes through.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../platform/ids.js';
import { insertTestUser } from '../../../test-support/insert-user.js';
import { type CallEvent, CallEventRefusedError } from '../domain/call-event.js';
import { foldCall } from '../domain/fold-call.js';
import type { CallRepository, InboxRepository, NewInboxEntry, StoredCall } from '../ports.js';
import {
  asAnotherCall,
  inboundAnswered,
  inboundMissed,
  outboundAnswered,
} from '../test-support/call-scenarios.js';
import { type Opened, onEveryDialect } from '../test-support/contract-adapters.js';
import { seedContact } from '../test-support/seed-crm.js';
import { createInMemoryCallRepository, createInMemoryInboxRepository } from './in-memory-call-store.js';
import { createCallRepository } from './kysely-call-repository.js';
import { createGroupCommitInbox, createInboxRepository } from './kysely-inbox-repository.js';

interface Stores {
  readonly calls: CallRepository;
  readonly inbox: InboxRepository;
  /** A contact and a user a call may be linked to (rows the calls table's keys point at). */
  contact(): Promise<string>;
  user(): Promise<string>;
}

const ADAPTERS = [
  ...onEveryDialect<Stores>((database) => ({
    calls: createCallRepository(database.db),
    inbox: createInboxRepository(database.db),
    contact: () => seedContact(database.db, { displayName: 'Jean Dupont', phones: [] }),
    user: () => insertTestUser(database.db, 'Olga'),
  })),
  ...onEveryDialect<Stores>(
    (database) => ({
      calls: createCallRepository(database.db, { sqlite: database.sqlite }),
      inbox: createGroupCommitInbox(database),
      contact: () => seedContact(database.db, { displayName: 'Jean Dupont', phones: [] }),
      user: () => insertTestUser(database.db, 'Olga'),
    }),
    'prepared statements and group commit',
  ),
  {
    name: 'in-memory',
    open: async (): Promise<Opened<Stores>> => ({
      calls: createInMemoryCallRepository(),
      inbox: createInMemoryInboxRepository(),
      contact: async () => newId(),
      user: async () => newId(),
      done: async () => {},
    }),
  },
];

/** Every event of `events`, each at its arrival. */
async function applyAll(calls: CallRepository, events: readonly CallEvent[]): Promise<StoredCall> {
  let call: StoredCall | null = null;
  for (const event of events) {
    call = (await calls.applyEvent(event, event.receivedAt)).call;
  }
  return call as StoredCall;
}

describe.each(ADAPTERS)('CallRepository contract: $name', ({ open }) => {
  let s: Opened<Stores>;
  beforeAll(async () => {
    s = await open();
  });
  afterAll(async () => {
    await s?.done();
  });

  it('folds a call’s notifications in any order to the same record, counting each distinct one once', async () => {
    const forward = asAnotherCall(inboundAnswered, 'in_contract_forward', 0);
    const backward = asAnotherCall(inboundAnswered, 'in_contract_backward', 0).reverse();
    const a = await applyAll(s.calls, forward);
    const b = await applyAll(s.calls, backward);
    const { pbxCallId: _a, ...record } = foldCall(forward);
    expect(a).toMatchObject({ ...record, version: forward.length, contactId: null, agentUserId: null });
    expect(b).toMatchObject({ ...record, version: backward.length });
    expect(a.events).toHaveLength(forward.length);
    // A re-delivery: nothing changes, and it says so.
    const again = await s.calls.applyEvent(forward[3] as CallEvent, '2024-05-14T08:00:00.000Z');
    expect(again).toMatchObject({
      duplicate: true,
      changed: false,
      call: { id: a.id, version: forward.length },
    });
    expect(await s.calls.get('in_contract_forward')).toEqual(a);
    expect(await s.calls.getById(a.id)).toEqual(a);
  });

  it('answers null for a call it does not have', async () => {
    expect(await s.calls.get('in_contract_nowhere')).toBeNull();
    expect(await s.calls.getById(newId())).toBeNull();
  });

  it('stores the client’s E.164 with the fold when told how to read it', async () => {
    const call = await applyAll(
      {
        ...s.calls,
        applyEvent: (event, now) => s.calls.applyEvent(event, now, { clientE164: () => '+33612340001' }),
      },
      asAnotherCall(inboundMissed, 'in_contract_e164', 0),
    );
    expect(call.clientE164).toBe('+33612340001');
  });

  it('refuses, writing nothing, an event signing another identity than the call’s', async () => {
    const [start] = asAnotherCall(inboundAnswered, 'in_contract_forged', 0) as [CallEvent];
    await s.calls.applyEvent(start, start.receivedAt);
    const forged = { ...start, callerId: '33600000000', receivedAt: '2024-05-14T07:16:00.000Z' } as CallEvent;
    await expect(s.calls.applyEvent(forged, forged.receivedAt)).rejects.toBeInstanceOf(CallEventRefusedError);
    expect(await s.calls.get('in_contract_forged')).toMatchObject({ version: 1, callerId: '442037691880' });
  });

  it('links a call, keeping the links a change leaves out; a call that is gone links to null', async () => {
    const call = await applyAll(s.calls, asAnotherCall(outboundAnswered, 'out_contract_link', 0));
    const contactId = await s.contact();
    const agentUserId = await s.user();
    const linked = await s.calls.link(call, { contactId, agentUserId, clientE164: '+442037691881' });
    expect(linked).toMatchObject({ id: call.id, contactId, agentUserId, clientE164: '+442037691881' });
    expect(linked?.version).toBe(call.version + 1);
    const relinked = await s.calls.link(linked as StoredCall, { agentUserId: null });
    expect(relinked).toMatchObject({ contactId, agentUserId: null, clientE164: '+442037691881' });
    expect(await s.calls.getById(call.id)).toEqual(relinked);
    const gone = { ...call, id: newId(), pbxCallId: 'out_contract_gone' };
    expect(await s.calls.link(gone, { contactId })).toBeNull();
  });

  it('lists calls newest first by start, filtered by contact, agent and start, up to a limit', async () => {
    const fresh = await open();
    try {
      const contactId = await fresh.contact();
      const agentUserId = await fresh.user();
      const ids: string[] = [];
      for (const [i, minutes] of [0, 30, 10, 20].entries()) {
        const call = await applyAll(
          fresh.calls,
          asAnotherCall(inboundMissed, `in_contract_list_${i}`, minutes * 60_000),
        );
        const linked = await fresh.calls.link(call, i % 2 === 0 ? { contactId } : { agentUserId });
        ids[i] = (linked as StoredCall).id;
      }
      const listed = async (query: Parameters<CallRepository['list']>[0]) =>
        (await fresh.calls.list(query)).map((c) => c.id);
      expect(await listed({})).toEqual([ids[1], ids[3], ids[2], ids[0]]);
      expect(await listed({ limit: 2 })).toEqual([ids[1], ids[3]]);
      expect(await listed({ contactId })).toEqual([ids[2], ids[0]]);
      expect(await listed({ agentUserId })).toEqual([ids[1], ids[3]]);
      // Strictly before: the call started at that instant is not listed.
      expect(await listed({ startedBefore: '2024-05-14T07:35:30.000Z' })).toEqual([ids[2], ids[0]]);
    } finally {
      await fresh.done();
    }
  });

  it('finds the first call stored with a signed start, whatever id a replay uses', async () => {
    const original = await applyAll(s.calls, asAnotherCall(inboundAnswered, 'in_contract_signed', 3_600_000));
    // The replay arrives after the original (a captured signature is replayed later).
    const [replayed] = asAnotherCall(inboundAnswered, 'in_contract_replayed', 3_600_000) as [CallEvent];
    await s.calls.applyEvent(replayed, new Date(Date.parse(replayed.receivedAt) + 60_000).toISOString());
    const signed = {
      callStart: original.callStart as string,
      startedAt: original.startedAt as string,
      callerId: original.callerId as string,
    };
    const facts = await s.calls.ringingFacts('in_contract_replayed', signed);
    expect(facts.firstSigned).toBe('in_contract_signed');
    expect(facts.call).toEqual(await s.calls.get('in_contract_replayed'));
    expect(await s.calls.ringingFacts('in_contract_unheard', { ...signed, callerId: '33600000000' })).toEqual(
      {
        call: null,
        firstSigned: null,
      },
    );
    expect(
      (await s.calls.ringingFacts('in_contract_signed', { ...signed, startedAt: '2024-05-14T09:15:30.000Z' }))
        .firstSigned,
    ).toBeNull();
    // No signed start to look up (an unreadable `call_start`): the call alone.
    expect(await s.calls.ringingFacts('in_contract_signed', null)).toEqual({
      call: await s.calls.get('in_contract_signed'),
      firstSigned: null,
    });
  });

  it('folds an event from the facts the ringing judgement read as it would from its own read', async () => {
    const events = asAnotherCall(inboundAnswered, 'in_contract_read', 7_200_000);
    const signed = {
      callStart: '2024-05-14 12:00:00',
      startedAt: '2024-05-14T09:00:00.000Z',
      callerId: '33600000009',
    };
    const [first, ...rest] = events as [CallEvent, ...CallEvent[]];
    const [beforeLast, last] = rest.splice(-2) as [CallEvent, CallEvent];
    // New to us: the facts say so, and the fold creates the call.
    const unheard = await s.calls.ringingFacts('in_contract_read', signed);
    expect(unheard.call).toBeNull();
    expect((await s.calls.applyEvent(first, first.receivedAt, { read: unheard })).call.events).toEqual([
      first,
    ]);
    for (const event of rest) {
      const read = await s.calls.ringingFacts('in_contract_read', signed);
      await s.calls.applyEvent(event, event.receivedAt, { read });
    }
    // Facts read before a later write are stale: the fold reads the call again rather than lose that write.
    const stale = await s.calls.ringingFacts('in_contract_read', signed);
    await s.calls.applyEvent(beforeLast, beforeLast.receivedAt);
    await s.calls.applyEvent(last, last.receivedAt, { read: stale });
    // Facts of another call are not this one's.
    const other = await s.calls.ringingFacts('in_contract_signed', signed);
    const [again] = asAnotherCall(inboundAnswered, 'in_contract_read_too', 7_200_000) as [CallEvent];
    expect((await s.calls.applyEvent(again, again.receivedAt, { read: other })).call.events).toEqual([again]);
    const stored = await s.calls.get('in_contract_read');
    expect(stored).toMatchObject({ ...foldCall(events), version: events.length });
  });
});

const entry = (over: Partial<NewInboxEntry> = {}): NewInboxEntry => ({
  receivedAt: '2026-10-01T09:00:00.000Z',
  remoteIp: '185.45.152.42',
  event: 'NOTIFY_START',
  pbxCallId: 'in_inbox_1',
  body: 'event=NOTIFY_START&pbx_call_id=in_inbox_1',
  contentType: 'application/x-www-form-urlencoded',
  signatureValid: true,
  status: 'received',
  ...over,
});

describe.each(ADAPTERS)('InboxRepository contract: $name', ({ open }) => {
  let s: Opened<Stores>;
  beforeAll(async () => {
    s = await open();
  });
  afterAll(async () => {
    await s?.done();
  });

  it('keeps a request as received, what it did not say as null, and reads it back unchanged', async () => {
    const stored = await s.inbox.append(entry());
    expect(stored).toEqual({
      ...entry(),
      id: stored.id,
      error: null,
      processedAt: null,
      bodySize: null,
      bodySha256: null,
      routingRefusal: null,
    });
    expect(await s.inbox.get(stored.id)).toEqual(stored);
    expect(await s.inbox.get(newId())).toBeNull();
    const rejected = await s.inbox.append(
      entry({
        status: 'rejected',
        signatureValid: false,
        error: 'bad signature',
        body: 'event=NOTIFY_',
        bodySize: 4096,
        bodySha256: 'ab'.repeat(32),
      }),
    );
    expect(await s.inbox.get(rejected.id)).toMatchObject({
      status: 'rejected',
      signatureValid: false,
      error: 'bad signature',
      bodySize: 4096,
      bodySha256: 'ab'.repeat(32),
    });
  });

  it('marks an entry processed or failed, and keeps how its reply refused the caller', async () => {
    const a = await s.inbox.append(entry({ pbxCallId: 'in_inbox_2' }));
    const b = await s.inbox.append(entry({ pbxCallId: 'in_inbox_3' }));
    await s.inbox.markFailed(a.id, 'boom', '2026-10-01T09:00:01.000Z');
    expect(await s.inbox.get(a.id)).toMatchObject({
      status: 'failed',
      error: 'boom',
      processedAt: '2026-10-01T09:00:01.000Z',
    });
    // A replay that succeeds clears the error.
    await s.inbox.markProcessed(a.id, '2026-10-01T09:05:00.000Z');
    expect(await s.inbox.get(a.id)).toMatchObject({
      status: 'processed',
      error: null,
      processedAt: '2026-10-01T09:05:00.000Z',
    });
    await s.inbox.noteRoutingRefusal(b.id, 'blacklist');
    expect((await s.inbox.get(b.id))?.routingRefusal).toBe('blacklist');
    await s.inbox.noteRoutingRefusal(b.id, null);
    expect((await s.inbox.get(b.id))?.routingRefusal).toBeNull();
    await expect(s.inbox.noteRoutingRefusal(newId(), 'hangup')).rejects.toThrow(/not/);
  });

  it('lists newest first or, for a recovery, oldest first after a position; filtered and limited', async () => {
    const fresh = await open();
    try {
      const at = (second: number) => `2026-10-02T09:00:${String(second).padStart(2, '0')}.000Z`;
      const a = await fresh.inbox.append(entry({ receivedAt: at(1), pbxCallId: 'in_x' }));
      const b = await fresh.inbox.append(entry({ receivedAt: at(2), pbxCallId: 'in_y' }));
      const c = await fresh.inbox.append(entry({ receivedAt: at(3), pbxCallId: 'in_x' }));
      await fresh.inbox.markProcessed(b.id, at(4));
      const ids = async (query: Parameters<InboxRepository['list']>[0]) =>
        (await fresh.inbox.list(query)).map((e) => e.id);
      expect(await ids({})).toEqual([c.id, b.id, a.id]);
      expect(await ids({ limit: 2 })).toEqual([c.id, b.id]);
      expect(await ids({ status: 'received' })).toEqual([c.id, a.id]);
      expect(await ids({ pbxCallId: 'in_x' })).toEqual([c.id, a.id]);
      expect(await ids({ receivedBefore: at(3) })).toEqual([b.id, a.id]);
      expect(await ids({ oldestFirst: true })).toEqual([a.id, b.id, c.id]);
      expect(await ids({ oldestFirst: true, receivedAfter: { at: at(1), id: a.id } })).toEqual([b.id, c.id]);
      expect(
        await ids({ oldestFirst: true, receivedAfter: { at: at(2), id: b.id }, status: 'received' }),
      ).toEqual([c.id]);
    } finally {
      await fresh.done();
    }
  });

  it('refuses a limit below 1 or not whole, as the inbox route refuses pageSize=0, instead of answering one entry', async () => {
    await s.inbox.append(entry({ pbxCallId: 'in_inbox_limit' }));
    for (const limit of [0, -1, 1.5]) {
      await expect(s.inbox.list({ limit })).rejects.toMatchObject({ code: 'SB_ERR_VALIDATION' });
    }
    expect(await s.inbox.list({ limit: 1 })).toHaveLength(1);
  });
});
