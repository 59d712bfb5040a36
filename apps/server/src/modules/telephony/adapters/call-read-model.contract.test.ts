/**
 * The call read models' contracts — `CallReadModel` (names, notes, counts per day), `CallVisibility`, the
 * admin's `InboxBrowser`, and the calls list's `CallListPages` with the popup's `CallNotes` — on the Kysely
 * adapters (both dialects) and the in-memory ones, over the same calls.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Actor, systemActor, userActor } from '../../../platform/auth/actor.js';
import { newId } from '../../../platform/ids.js';
import { insertTestUser } from '../../../test-support/insert-user.js';
import type {
  CallListPages,
  CallNotes,
  CallReadModel,
  CallRepository,
  CallVisibility,
  InboxBrowser,
  InboxRepository,
  StoredCall,
} from '../ports.js';
import {
  asAnotherCall,
  foldEvents,
  inboundAnswered,
  inboundMissed,
  outboundAnswered,
} from '../test-support/call-scenarios.js';
import { type Opened, onEveryDialect } from '../test-support/contract-adapters.js';
import { seedContact } from '../test-support/seed-crm.js';
import { callReadScope } from '../use-cases/call-visibility.js';
import { createInMemoryCallListPages, createInMemoryCallNotes } from './in-memory-call-list.js';
import {
  createInMemoryCallReadModel,
  createInMemoryCallRepository,
  createInMemoryCallVisibility,
  createInMemoryInboxBrowser,
  createInMemoryInboxRepository,
} from './in-memory-telephony.js';
import { createKyselyCallListPages, createKyselyCallNotes } from './kysely-call-list.js';
import { createKyselyCallReadModel } from './kysely-call-read-model.js';
import { createCallRepository } from './kysely-call-repository.js';
import { createKyselyCallVisibility } from './kysely-call-visibility.js';
import { createInboxRepository, createKyselyInboxBrowser } from './kysely-inbox-repository.js';

interface People {
  readonly olga: string;
  readonly ivan: string;
  readonly jean: string;
  /** Ivan is responsible for her. */
  readonly zoe: string;
}

interface ReadModels extends People {
  readonly calls: CallRepository;
  readonly inbox: InboxRepository;
  readonly readModel: CallReadModel;
  readonly visibility: CallVisibility;
  readonly browser: InboxBrowser;
  readonly pages: CallListPages;
  readonly callNotes: CallNotes;
  /** Writes a note on a call (the popup's, or the CRM's notes). */
  note(callId: string, body: string, at: string): Promise<void>;
}

const ADAPTERS = [
  ...onEveryDialect(async (database): Promise<ReadModels> => {
    const db = database.db;
    const olga = await insertTestUser(db, 'Olga');
    const ivan = await insertTestUser(db, 'Ivan');
    const jean = await seedContact(db, { displayName: 'Jean Dupont', phones: ['+33612345678'] });
    const zoe = await seedContact(db, {
      displayName: 'Zoé Martin',
      phones: ['+33698765432'],
      responsibleUserId: ivan,
    });
    return {
      olga,
      ivan,
      jean,
      zoe,
      calls: createCallRepository(db),
      inbox: createInboxRepository(db),
      readModel: createKyselyCallReadModel(db),
      visibility: createKyselyCallVisibility(db),
      browser: createKyselyInboxBrowser(db),
      pages: createKyselyCallListPages(db),
      callNotes: createKyselyCallNotes(db),
      async note(callId, body, at) {
        await db
          .insertInto('notes')
          .values({
            id: newId(),
            subject_type: 'call',
            subject_id: callId,
            body,
            author_id: null,
            created_at: at,
          })
          .execute();
      },
    };
  }),
  {
    name: 'in-memory',
    async open(): Promise<Opened<ReadModels>> {
      const people = { olga: 'u-olga', ivan: 'u-ivan', jean: 'c-jean', zoe: 'c-zoe' };
      const calls = createInMemoryCallRepository();
      const inbox = createInMemoryInboxRepository();
      const notes: { callId: string; body: string; authorId?: string }[] = [];
      const world = {
        calls,
        contacts: [
          { id: people.jean, displayName: 'Jean Dupont', responsibleUserId: null },
          { id: people.zoe, displayName: 'Zoé Martin', responsibleUserId: people.ivan },
        ],
        users: [
          { id: people.olga, name: 'Olga' },
          { id: people.ivan, name: 'Ivan' },
        ],
        notes,
      };
      return {
        ...people,
        calls,
        inbox,
        readModel: createInMemoryCallReadModel(world),
        visibility: createInMemoryCallVisibility(world, callReadScope),
        browser: createInMemoryInboxBrowser(inbox),
        pages: createInMemoryCallListPages(world),
        callNotes: createInMemoryCallNotes(notes),
        async note(callId, body) {
          notes.push({ callId, body });
        },
        done: async () => {},
      };
    },
  },
];

// The calls start on 2024-05-14 at 07:15 UTC; the third one a day later.
const DAY_1 = '2024-05-14T00:00:00.000Z';
const DAY_2 = '2024-05-15T00:00:00.000Z';
const DAY_3 = '2024-05-16T00:00:00.000Z';

describe.each(ADAPTERS)('CallReadModel, CallVisibility and InboxBrowser contract: $name', ({ open }) => {
  let o: Opened<ReadModels>;
  let answered: StoredCall;
  let missed: StoredCall;
  let nextDay: StoredCall;
  let admin: Actor;
  let olga: Actor;
  let ivan: Actor;
  beforeAll(async () => {
    o = await open();
    admin = userActor({ id: 'u-admin', role: 'admin', name: 'Ada', locale: 'en' });
    olga = userActor({ id: o.olga, role: 'agent', name: 'Olga', locale: 'en' });
    ivan = userActor({ id: o.ivan, role: 'agent', name: 'Ivan', locale: 'en' });
    const link = async (call: StoredCall, links: Parameters<CallRepository['link']>[1]) =>
      (await o.calls.link(call, links)) ?? call;
    answered = await link(await foldEvents(o.calls, inboundAnswered), {
      agentUserId: o.olga,
      contactId: o.jean,
    });
    missed = await link(
      await foldEvents(o.calls, asAnotherCall(inboundMissed, 'in_contract_missed', 60_000)),
      {
        contactId: o.zoe,
      },
    );
    nextDay = await link(
      await foldEvents(o.calls, asAnotherCall(outboundAnswered, 'out_contract_next', 86_400_000)),
      {
        agentUserId: o.ivan,
      },
    );
    await o.note(answered.id, 'first thoughts', '2024-05-14T07:20:00.000Z');
    await o.note(answered.id, 'wants a quote', '2024-05-14T07:30:00.000Z');
  });
  afterAll(async () => {
    await o?.done();
  });

  it('gives the names and the latest note of a list of calls', async () => {
    const details = await o.readModel.detailsOf([answered, missed, nextDay]);
    expect(details.contactNames.get(o.jean)).toBe('Jean Dupont');
    expect(details.contactNames.get(o.zoe)).toBe('Zoé Martin');
    expect(details.userNames.get(o.olga)).toBe('Olga');
    expect(details.userNames.get(o.ivan)).toBe('Ivan');
    expect(details.notes.get(answered.id)).toBe('wants a quote');
    expect(details.notes.has(missed.id)).toBe(false);
  });

  it('counts calls per day and status over the boundaries, within a scope', async () => {
    const sorted = (rows: Awaited<ReturnType<CallReadModel['countByDay']>>) =>
      [...rows].sort((a, b) => a.dayIndex - b.dayIndex || a.status.localeCompare(b.status));
    const query = { boundaries: [DAY_1, DAY_2, DAY_3], statuses: ['answered', 'missed'] };
    expect(sorted(await o.readModel.countByDay({ ...query, scope: { kind: 'all' } }))).toEqual([
      { dayIndex: 0, status: 'answered', count: 1 },
      { dayIndex: 0, status: 'missed', count: 1 },
      { dayIndex: 1, status: 'answered', count: 1 },
    ]);
    expect(
      sorted(await o.readModel.countByDay({ ...query, scope: { kind: 'agent', userId: o.ivan } })),
    ).toEqual([
      { dayIndex: 0, status: 'missed', count: 1 },
      { dayIndex: 1, status: 'answered', count: 1 },
    ]);
    expect(await o.readModel.countByDay({ ...query, scope: { kind: 'none' } })).toEqual([]);
    // Only the statuses asked for, only between the first and the last boundary.
    expect(await o.readModel.countByDay({ ...query, statuses: ['busy'], scope: { kind: 'all' } })).toEqual(
      [],
    );
    expect(
      await o.readModel.countByDay({
        boundaries: [DAY_2, DAY_3],
        statuses: ['answered'],
        scope: { kind: 'all' },
      }),
    ).toEqual([{ dayIndex: 0, status: 'answered', count: 1 }]);
  });

  it('lets each actor read the calls the rule gives them, and no call that does not exist', async () => {
    const readable = async (actor: Actor) => {
      const ids: string[] = [];
      for (const call of [answered, missed, nextDay]) {
        if (await o.visibility.canRead(actor, call.id)) {
          ids.push(call.id);
        }
      }
      return ids;
    };
    expect(await readable(admin)).toEqual([answered.id, missed.id, nextDay.id]);
    expect(await readable(systemActor('contract'))).toEqual([answered.id, missed.id, nextDay.id]);
    expect(await readable(olga)).toEqual([answered.id]);
    expect(await readable(ivan)).toEqual([missed.id, nextDay.id]);
    expect(await readable({ kind: 'api-client', id: 'key-1', scopes: [] })).toEqual([]);
    expect(await o.visibility.canRead(admin, 'no-such-call')).toBe(false);
  });

  it('pages the inbox newest first, filtered by status and event, with the total', async () => {
    for (let i = 0; i < 4; i++) {
      await o.inbox.append({
        receivedAt: `2026-01-15T09:00:0${i}.000Z`,
        remoteIp: null,
        event: i % 2 === 0 ? 'NOTIFY_START' : 'NOTIFY_END',
        pbxCallId: `in_page_${i}`,
        body: `event=${i}`,
        contentType: null,
        signatureValid: i !== 3,
        status: i === 3 ? 'rejected' : 'received',
      });
    }
    const first = await o.browser.page({ page: 1, pageSize: 3 });
    expect(first.total).toBe(4);
    expect(first.items.map((e) => e.pbxCallId)).toEqual(['in_page_3', 'in_page_2', 'in_page_1']);
    expect((await o.browser.page({ page: 2, pageSize: 3 })).items.map((e) => e.pbxCallId)).toEqual([
      'in_page_0',
    ]);
    const starts = await o.browser.page({ event: 'NOTIFY_START', status: 'received', page: 1, pageSize: 10 });
    expect(starts).toMatchObject({
      total: 2,
      items: [{ pbxCallId: 'in_page_2' }, { pbxCallId: 'in_page_0' }],
    });
    expect((await o.browser.page({ status: 'rejected', page: 1, pageSize: 10 })).items[0]).toMatchObject({
      pbxCallId: 'in_page_3',
      signatureValid: false,
    });
  });
});

describe.each(ADAPTERS)('CallListPages and CallNotes contract: $name', ({ open }) => {
  let o: Opened<ReadModels>;
  let ids: { answered: string; missed: string; outbound: string; twin: string };
  beforeAll(async () => {
    o = await open();
    const fold = async (
      events: Parameters<typeof foldEvents>[1],
      links: Parameters<CallRepository['link']>[1],
    ) => {
      const call = await foldEvents(o.calls, events);
      return ((await o.calls.link(call, links)) as StoredCall).id;
    };
    ids = {
      answered: await fold(inboundAnswered, { contactId: o.jean, agentUserId: o.olga }),
      missed: await fold(asAnotherCall(inboundMissed, 'in_pages_missed', 60_000), { contactId: o.zoe }),
      outbound: await fold(asAnotherCall(outboundAnswered, 'out_pages_placed', 120_000), {
        contactId: o.jean,
        agentUserId: o.ivan,
      }),
      // Started at the same instant as the answered call: the id breaks the tie.
      twin: await fold(asAnotherCall(inboundAnswered, 'in_pages_twin', 0), {}),
    };
  });
  afterAll(async () => {
    await o?.done();
  });

  const all = { kind: 'all' } as const;
  const page = (
    query: Partial<Parameters<CallListPages['page']>[1]>,
    scope: Parameters<CallListPages['page']>[0] = all,
  ) => o.pages.page(scope, { page: 1, pageSize: 10, ...query });

  it('pages the calls newest first, the id breaking ties, with the total of every page', async () => {
    const tied = [ids.answered, ids.twin].sort().reverse();
    expect(await page({})).toEqual({ ids: [ids.outbound, ids.missed, ...tied], total: 4 });
    expect(await page({ page: 2, pageSize: 2 })).toEqual({ ids: tied, total: 4 });
    expect(await page({ page: 3, pageSize: 2 })).toEqual({ ids: [], total: 4 });
  });

  it('filters by contact, agent, direction and status, within what the scope reads', async () => {
    expect(await page({ contactId: o.jean })).toEqual({ ids: [ids.outbound, ids.answered], total: 2 });
    expect(await page({ userId: o.olga })).toEqual({ ids: [ids.answered], total: 1 });
    expect(await page({ direction: 'out' })).toEqual({ ids: [ids.outbound], total: 1 });
    expect((await page({ direction: 'in' })).total).toBe(3);
    const missed = await o.calls.getById(ids.missed);
    expect(await page({ status: missed?.status })).toEqual({ ids: [ids.missed], total: 1 });
    // Ivan reads his own calls and those of Zoé, his contact.
    expect(await page({}, { kind: 'agent', userId: o.ivan })).toEqual({
      ids: [ids.outbound, ids.missed],
      total: 2,
    });
    expect(await page({ direction: 'in' }, { kind: 'agent', userId: o.ivan })).toEqual({
      ids: [ids.missed],
      total: 1,
    });
    expect(await page({}, { kind: 'none' })).toEqual({ ids: [], total: 0 });
  });

  it('keeps one popup note per call, rewritten in place, beside the CRM’s later notes', async () => {
    const notesOf = async (callId: string) => {
      const call = (await o.calls.getById(callId)) as StoredCall;
      return (await o.readModel.detailsOf([call])).notes.get(callId);
    };
    expect(await notesOf(ids.twin)).toBeUndefined();
    await o.callNotes.save({
      callId: ids.twin,
      body: 'Wants a quote',
      authorId: o.olga,
      at: '2024-05-14T08:00:00.000Z',
    });
    await o.callNotes.save({
      callId: ids.twin,
      body: 'Wants a quote for 12 seats',
      authorId: o.ivan,
      at: '2024-05-14T08:01:00.000Z',
    });
    expect(await notesOf(ids.twin)).toBe('Wants a quote for 12 seats');
    // A later note from the CRM is the latest; the popup's note is still the first one, edited in place.
    await o.note(ids.twin, 'Sent the quote', '2024-05-14T09:00:00.000Z');
    await o.callNotes.save({
      callId: ids.twin,
      body: 'Wants 14 seats',
      authorId: o.olga,
      at: '2024-05-14T09:30:00.000Z',
    });
    expect(await notesOf(ids.twin)).toBe('Sent the quote');
    // Another call's note is its own.
    await o.callNotes.save({
      callId: ids.missed,
      body: 'Call back',
      authorId: o.olga,
      at: '2024-05-14T10:00:00.000Z',
    });
    expect(await notesOf(ids.missed)).toBe('Call back');
    expect(await notesOf(ids.twin)).toBe('Sent the quote');
  });
});
