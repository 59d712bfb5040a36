/**
 * The `CallerHistory` contract: what the routing chain and the caller name read about a caller — the open deal,
 * the open lead, the last answering agent, the calls missed from an unknown number — answered alike by the Kysely
 * adapter (SQLite's prepared statements and query builder, PostgreSQL) and the in-memory one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../platform/ids.js';
import { insertTestUser } from '../../../test-support/insert-user.js';
import type { TestDatabase } from '../../../test-support/test-database.js';
import type { CallerDeal, CallerHistory } from '../ports.js';
import { type Opened, onEveryDialect } from '../test-support/contract-adapters.js';
import { crmOwnerRows, type SeededLeadStatus, seedContact } from '../test-support/seed-crm.js';
import { insertCallerCall } from '../test-support/test-calls.js';
import { createInMemoryCallerHistory } from './in-memory-webhook-path.js';
import { createKyselyCallerHistory } from './kysely-caller-history.js';

interface CallSeed {
  readonly contactId: string | null;
  readonly agentUserId: string | null;
  readonly e164: string;
  readonly at: string;
  readonly direction: 'inbound' | 'outbound';
  readonly status: 'answered' | 'missed' | 'busy';
}

/** A caller's CRM and calls, written the way each adapter reads them. */
interface World {
  readonly history: CallerHistory;
  user(name: string): Promise<string>;
  contact(): Promise<string>;
  deal(
    contactId: string,
    deal: { open: boolean; ownerId: string | null; updatedAt: string; amount: number },
  ): Promise<string>;
  lead(
    contactId: string,
    lead: { status: SeededLeadStatus; ownerId: string | null; updatedAt: string },
  ): Promise<string>;
  call(call: CallSeed): Promise<void>;
}

function kyselyWorld(database: TestDatabase, history: CallerHistory): World {
  const { db } = database;
  const rows = crmOwnerRows(db);
  return {
    history,
    user: (name) => insertTestUser(db, name),
    contact: () => seedContact(db, { displayName: 'Jean Dupont', phones: [] }),
    deal: (contactId, deal) =>
      rows.deal(contactId, {
        open: deal.open,
        ownerId: deal.ownerId,
        at: deal.updatedAt,
        amount: deal.amount,
      }),
    lead: (contactId, lead) =>
      rows.lead(contactId, { status: lead.status, ownerId: lead.ownerId, at: lead.updatedAt }),
    call: (call) => insertCallerCall(db, call),
  };
}

/**
 * The in-memory history holds the answers (a contact's open deal and lead, its answered calls, a number's missed
 * calls): the world keeps what was written and sets those answers as the CRM would give them.
 */
function inMemoryWorld(): World {
  const history = createInMemoryCallerHistory();
  const deals: { id: string; contactId: string; open: boolean; updatedAt: string; deal: CallerDeal }[] = [];
  const leads: {
    id: string;
    contactId: string;
    status: SeededLeadStatus;
    ownerId: string | null;
    updatedAt: string;
  }[] = [];
  const newest = <T extends { updatedAt: string }>(rows: T[]) =>
    rows.reduce<T | undefined>(
      (best, row) => (!best || row.updatedAt > best.updatedAt ? row : best),
      undefined,
    );
  return {
    history,
    user: async () => newId(),
    contact: async () => newId(),
    async deal(contactId, deal) {
      const id = newId();
      deals.push({
        id,
        contactId,
        open: deal.open,
        updatedAt: deal.updatedAt,
        deal: { id, responsibleUserId: deal.ownerId, stageName: 'Proposal', amount: deal.amount },
      });
      const open = newest(deals.filter((d) => d.contactId === contactId && d.open));
      if (open) {
        history.deals.set(contactId, open.deal);
      }
      return id;
    },
    async lead(contactId, lead) {
      const id = newId();
      leads.push({ id, contactId, ...lead });
      const open = newest(
        leads.filter(
          (l) => l.contactId === contactId && ['new', 'contacted', 'qualified'].includes(l.status),
        ),
      );
      if (open) {
        history.leads.set(contactId, { id: open.id, responsibleUserId: open.ownerId });
      }
      return id;
    },
    async call(call) {
      if (call.contactId !== null && call.status === 'answered' && call.agentUserId !== null) {
        const answered = history.answered.get(call.contactId) ?? [];
        history.answered.set(call.contactId, [
          ...answered,
          { agentUserId: call.agentUserId, startedAt: call.at },
        ]);
      }
      if (call.contactId === null && call.direction === 'inbound' && call.status !== 'answered') {
        history.missed.set(call.e164, [...(history.missed.get(call.e164) ?? []), call.at]);
      }
    },
  };
}

const ADAPTERS = [
  ...onEveryDialect((database) => kyselyWorld(database, createKyselyCallerHistory(database.db))),
  // SQLite's NOTIFY_START path: prepared statements on the connection, no query builder.
  ...onEveryDialect(
    (database) => kyselyWorld(database, createKyselyCallerHistory(database.db, database.sqlite)),
    'prepared statements',
  ).filter((adapter) => adapter.name.endsWith('sqlite')),
  {
    name: 'in-memory',
    open: async (): Promise<Opened<World>> => ({ ...inMemoryWorld(), done: async () => {} }),
  },
];

describe.each(ADAPTERS)('CallerHistory contract: $name', ({ open }) => {
  let w: Opened<World>;
  beforeAll(async () => {
    w = await open();
  });
  afterAll(async () => {
    await w?.done();
  });

  it('knows nothing of a contact without deals, leads or calls, nor of a number never missed', async () => {
    const contact = await w.contact();
    expect(await w.history.openDealOf(contact)).toBeNull();
    expect(await w.history.openLeadOf(contact)).toBeNull();
    expect(await w.history.lastAgentOf(contact, '2000-01-01T00:00:00.000Z')).toBeNull();
    expect(await w.history.missedFrom('+33699990000', '2000-01-01T00:00:00.000Z')).toBe(0);
  });

  it('gives the most recently updated deal in an open stage, never a newer won one', async () => {
    const [olga, tom] = [await w.user('Olga'), await w.user('Tom')];
    const contact = await w.contact();
    await w.deal(contact, { open: true, ownerId: tom, updatedAt: '2026-01-10T10:00:00.000Z', amount: 500 });
    const latest = await w.deal(contact, {
      open: true,
      ownerId: olga,
      updatedAt: '2026-01-12T10:00:00.000Z',
      amount: 1200.5,
    });
    await w.deal(contact, { open: false, ownerId: tom, updatedAt: '2026-01-14T10:00:00.000Z', amount: 9000 });
    expect(await w.history.openDealOf(contact)).toEqual({
      id: latest,
      responsibleUserId: olga,
      stageName: 'Proposal',
      amount: 1200.5,
    });
    // Another contact's deals are not this one's.
    expect(await w.history.openDealOf(await w.contact())).toBeNull();
  });

  it('gives the most recently updated lead that is neither converted nor lost', async () => {
    const [olga, tom] = [await w.user('Olga'), await w.user('Tom')];
    const contact = await w.contact();
    await w.lead(contact, { status: 'new', ownerId: tom, updatedAt: '2026-01-10T10:00:00.000Z' });
    const open = await w.lead(contact, {
      status: 'qualified',
      ownerId: olga,
      updatedAt: '2026-01-11T10:00:00.000Z',
    });
    await w.lead(contact, { status: 'lost', ownerId: tom, updatedAt: '2026-01-12T10:00:00.000Z' });
    await w.lead(contact, { status: 'converted', ownerId: tom, updatedAt: '2026-01-13T10:00:00.000Z' });
    expect(await w.history.openLeadOf(contact)).toEqual({ id: open, responsibleUserId: olga });
    const onlyClosed = await w.contact();
    await w.lead(onlyClosed, { status: 'lost', ownerId: tom, updatedAt: '2026-01-12T10:00:00.000Z' });
    expect(await w.history.openLeadOf(onlyClosed)).toBeNull();
  });

  it('gives the agent of the latest answered call started at or after an instant', async () => {
    const [olga, tom, ivan] = [await w.user('Olga'), await w.user('Tom'), await w.user('Ivan')];
    const contact = await w.contact();
    const e164 = '+33611110001';
    const call = (agentUserId: string | null, at: string, status: CallSeed['status'] = 'answered') =>
      w.call({ contactId: contact, agentUserId, e164, at, direction: 'inbound', status });
    await call(tom, '2026-01-10T10:00:00.000Z');
    await call(olga, '2026-01-12T10:00:00.000Z');
    // Later, but not answered, or answered by nobody we know: neither is the last agent.
    await call(ivan, '2026-01-13T10:00:00.000Z', 'missed');
    await call(null, '2026-01-14T10:00:00.000Z');
    expect(await w.history.lastAgentOf(contact, '2026-01-01T00:00:00.000Z')).toBe(olga);
    expect(await w.history.lastAgentOf(contact, '2026-01-12T10:00:00.000Z')).toBe(olga);
    expect(await w.history.lastAgentOf(contact, '2026-01-12T10:00:00.001Z')).toBeNull();
  });

  it('counts inbound calls from a number no contact owns that nobody answered, since an instant', async () => {
    const contact = await w.contact();
    const e164 = '+33622220002';
    const call = (at: string, status: CallSeed['status'], more: Partial<CallSeed> = {}) =>
      w.call({ contactId: null, agentUserId: null, e164, at, direction: 'inbound', status, ...more });
    await call('2026-01-15T08:00:00.000Z', 'missed');
    await call('2026-01-15T09:00:00.000Z', 'busy');
    await call('2026-01-15T09:30:00.000Z', 'answered');
    await call('2026-01-14T23:59:59.999Z', 'missed');
    await call('2026-01-15T10:00:00.000Z', 'missed', { direction: 'outbound' });
    // A call linked to a contact is the contact's, not the unknown number's.
    await call('2026-01-15T11:00:00.000Z', 'missed', { contactId: contact });
    expect(await w.history.missedFrom(e164, '2026-01-15T00:00:00.000Z')).toBe(2);
    expect(await w.history.missedFrom(e164, '2026-01-15T08:00:00.000Z')).toBe(2);
    expect(await w.history.missedFrom(e164, '2026-01-15T08:00:00.001Z')).toBe(1);
    expect(await w.history.missedFrom(e164, '2026-01-01T00:00:00.000Z')).toBe(3);
    expect(await w.history.missedFrom('+33622220003', '2026-01-01T00:00:00.000Z')).toBe(0);
  });
});
