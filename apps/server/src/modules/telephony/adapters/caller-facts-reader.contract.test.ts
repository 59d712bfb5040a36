/**
 * The `CallerFactsReader` contract: everything the NOTIFY_START decision may read about a caller — the contact and
 * its company, the blacklist entry blocking the number, the open deal and lead, the last answering agent, the
 * missed calls of a number no contact owns, the extension and name of every user these name — each part read only
 * when its switch asks, answered alike by PostgreSQL's one statement (kysely-caller-facts.ts) and by the separate
 * ports composed (caller-facts-from-ports.ts) over the in-memory ones. SQLite has no one-statement reader: there
 * the decision reads the separate ports (prepared statements, in-process), so its entry here is the same
 * composition over the Kysely ports on SQLite — whose own suites hold each to its in-memory twin.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../platform/ids.js';
import { insertTestUser } from '../../../test-support/insert-user.js';
import { openTestDatabase, type TestDatabase } from '../../../test-support/test-database.js';
import type { CallerFacts, CallerFactsQuery, CallerFactsReader } from '../ports.js';
import type { Opened } from '../test-support/contract-adapters.js';
import { crmOwnerRows, seedCompany, seedContact } from '../test-support/seed-crm.js';
import { insertCallerCall } from '../test-support/test-calls.js';
import { createCallerFactsFromPorts } from './caller-facts-from-ports.js';
import {
  createInMemoryBlacklistRepository,
  createInMemoryCallerHistory,
  createInMemoryContactLookup,
  createInMemoryExtensionDirectory,
} from './in-memory-telephony.js';
import { createBlacklistRepository } from './kysely-blacklist-repository.js';
import { createPostgresCallerFacts } from './kysely-caller-facts.js';
import { createKyselyCallerHistory } from './kysely-caller-history.js';
import { createKyselyContactLookup } from './kysely-contact-lookup.js';
import { createKyselyExtensionDirectory } from './kysely-extension-directory.js';

const NOW = Date.parse('2026-01-15T12:00:00.000Z');
const iso = (ms: number) => new Date(NOW + ms).toISOString();
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const JEAN = '+33612345678';
const MARC = '+33687654321';
const STRANGER = '+33698765432';
const TOLL_FREE = '+78001234567';
const EXPIRED = '+33690000000';

/** A caller's CRM, calls, extensions and blacklist, written the way each reader reads them. */
interface World {
  readonly facts: CallerFactsReader;
  user(name: string, extension: string | null): Promise<string>;
  contact(contact: {
    name: string;
    phone: string;
    company: string | null;
    responsibleUserId: string | null;
    doNotCall: boolean;
  }): Promise<string>;
  /** An open deal when `open`, else a won one. */
  deal(
    contactId: string,
    deal: { ownerId: string | null; amount: number; at: string; open: boolean },
  ): Promise<string>;
  lead(
    contactId: string,
    lead: { ownerId: string | null; status: 'new' | 'qualified' | 'lost'; at: string },
  ): Promise<string>;
  call(call: {
    e164: string;
    contactId: string | null;
    agentUserId: string | null;
    at: string;
    direction: 'inbound' | 'outbound';
    status: 'answered' | 'missed' | 'busy';
  }): Promise<void>;
  block(entry: { e164: string; isPrefix: boolean; expiresAt: string | null }): Promise<void>;
}

function kyselyWorld(database: TestDatabase, facts: CallerFactsReader): World {
  const { db } = database;
  const rows = crmOwnerRows(db);
  return {
    facts,
    async user(name, extension) {
      const id = await insertTestUser(db, name);
      if (extension) {
        await db
          .insertInto('extension_assignments')
          .values({ extension, user_id: id, created_at: iso(0) })
          .execute();
      }
      return id;
    },
    async contact(c) {
      return seedContact(db, {
        displayName: c.name,
        phones: [c.phone],
        companyId: c.company ? await seedCompany(db, c.company) : null,
        responsibleUserId: c.responsibleUserId,
        doNotCall: c.doNotCall,
      });
    },
    deal: (contactId, deal) => rows.deal(contactId, deal),
    lead: (contactId, lead) => rows.lead(contactId, lead),
    call: (call) => insertCallerCall(db, call),
    async block(entry) {
      await createBlacklistRepository(db).add({ ...entry, reason: 'contract' }, iso(-DAY));
    },
  };
}

/**
 * The in-memory ports hold the answers (a contact's open deal and lead, its answered calls, a number's missed
 * calls): the world keeps what was written and sets those answers as the CRM would give them.
 */
function inMemoryWorld(): World {
  const contacts = createInMemoryContactLookup();
  const history = createInMemoryCallerHistory();
  const extensions = createInMemoryExtensionDirectory();
  const names = new Map<string, string>();
  const blacklist = createInMemoryBlacklistRepository();
  const newest = <T extends { at: string }>(rows: T[]) =>
    rows.reduce<T | undefined>((best, row) => (!best || row.at > best.at ? row : best), undefined);
  const deals: {
    id: string;
    contactId: string;
    ownerId: string | null;
    amount: number;
    at: string;
    open: boolean;
  }[] = [];
  const leads: { id: string; contactId: string; ownerId: string | null; status: string; at: string }[] = [];
  return {
    facts: createCallerFactsFromPorts({
      contacts,
      history,
      blacklist,
      // The users' names, extension or not, as the users table gives them.
      directory: { extensionOf: extensions.extensionOf, nameOf: async (id) => names.get(id) ?? null },
    }),
    async user(name, extension) {
      const id = newId();
      names.set(id, name);
      if (extension) {
        extensions.assign(extension, id, name);
      }
      return id;
    },
    async contact(c) {
      const id = newId();
      contacts.add({
        id,
        displayName: c.name,
        phones: [c.phone],
        companyName: c.company,
        responsibleUserId: c.responsibleUserId,
        doNotCall: c.doNotCall,
      });
      return id;
    },
    async deal(contactId, deal) {
      const id = newId();
      deals.push({ id, contactId, ...deal });
      const open = newest(deals.filter((d) => d.contactId === contactId && d.open));
      if (open) {
        history.deals.set(contactId, {
          id: open.id,
          responsibleUserId: open.ownerId,
          stageName: 'Proposal',
          amount: open.amount,
        });
      }
      return id;
    },
    async lead(contactId, lead) {
      const id = newId();
      leads.push({ id, contactId, ...lead });
      const open = newest(leads.filter((l) => l.contactId === contactId && l.status !== 'lost'));
      if (open) {
        history.leads.set(contactId, { id: open.id, responsibleUserId: open.ownerId });
      }
      return id;
    },
    async call(call) {
      if (call.contactId !== null && call.status === 'answered' && call.agentUserId !== null) {
        history.answered.set(call.contactId, [
          ...(history.answered.get(call.contactId) ?? []),
          { agentUserId: call.agentUserId, startedAt: call.at },
        ]);
      }
      if (call.contactId === null && call.direction === 'inbound' && call.status !== 'answered') {
        history.missed.set(call.e164, [...(history.missed.get(call.e164) ?? []), call.at]);
      }
    },
    async block(entry) {
      await blacklist.add({ ...entry, reason: 'contract' }, iso(-DAY));
    },
  };
}

const ADAPTERS: { name: string; open: () => Promise<Opened<World>> }[] = [
  {
    name: 'kysely on postgres',
    async open() {
      const database = await openTestDatabase('postgres');
      if (!database.replyPrepared) {
        throw new Error('expected the reply pool of PostgreSQL');
      }
      return {
        ...kyselyWorld(database, createPostgresCallerFacts(database.replyPrepared)),
        done: () => database.cleanup(),
      };
    },
  },
  {
    // What the decision reads on SQLite: the separate ports, on the prepared-statement path.
    name: 'separate ports on sqlite',
    async open() {
      const database = await openTestDatabase('sqlite');
      const { db, sqlite } = database;
      const facts = createCallerFactsFromPorts({
        contacts: createKyselyContactLookup(db),
        history: createKyselyCallerHistory(db, sqlite),
        directory: createKyselyExtensionDirectory(db),
        blacklist: createBlacklistRepository(db),
      });
      return { ...kyselyWorld(database, facts), done: () => database.cleanup() };
    },
  },
  { name: 'in-memory', open: async () => ({ ...inMemoryWorld(), done: async () => {} }) },
];

/** Every part switched on, for `e164`. */
const everything = (e164: string): CallerFactsQuery => ({
  e164,
  blacklistAt: iso(0),
  deal: true,
  lead: true,
  lastAgentSince: iso(-7 * DAY),
  missedSince: iso(-DAY),
  alsoUser: null,
  names: true,
});

/** The facts with their maps as sorted entries, comparable with `toEqual`. */
function plain(facts: CallerFacts) {
  return {
    ...facts,
    extensions: [...facts.extensions].sort(),
    names: [...facts.names].sort(),
  };
}

describe.each(ADAPTERS)('CallerFactsReader contract: $name', ({ open }) => {
  let w: Opened<World>;
  let olga: string;
  let tom: string;
  let nina: string;
  let paul: string;
  let jean: string;
  let marc: string;
  let dealId: string;
  let leadId: string;

  beforeAll(async () => {
    w = await open();
    olga = await w.user('Olga', '101');
    tom = await w.user('Tom', '102');
    nina = await w.user('Nina', '103');
    // Paul has no extension: named, never routed to.
    paul = await w.user('Paul', null);
    jean = await w.contact({
      name: 'Jean Dupont',
      phone: JEAN,
      company: 'Acme',
      responsibleUserId: olga,
      doNotCall: false,
    });
    marc = await w.contact({
      name: 'Marc Petit',
      phone: MARC,
      company: null,
      responsibleUserId: null,
      doNotCall: true,
    });
    // Jean's newest open deal is Tom's; a newer one is won already.
    await w.deal(jean, { ownerId: paul, amount: 100, at: iso(-3 * DAY), open: true });
    dealId = await w.deal(jean, { ownerId: tom, amount: 9000, at: iso(-2 * DAY), open: true });
    await w.deal(jean, { ownerId: paul, amount: 50, at: iso(-DAY), open: false });
    leadId = await w.lead(jean, { ownerId: nina, status: 'qualified', at: iso(-2 * DAY) });
    await w.lead(jean, { ownerId: paul, status: 'lost', at: iso(-DAY) });
    await w.lead(marc, { ownerId: tom, status: 'lost', at: iso(-DAY) });
    // Jean last talked to Nina an hour ago, to Paul ten days ago; Marc to Paul two hours ago.
    await w.call({
      e164: JEAN,
      contactId: jean,
      agentUserId: paul,
      at: iso(-10 * DAY),
      direction: 'inbound',
      status: 'answered',
    });
    await w.call({
      e164: JEAN,
      contactId: jean,
      agentUserId: nina,
      at: iso(-HOUR),
      direction: 'inbound',
      status: 'answered',
    });
    await w.call({
      e164: MARC,
      contactId: marc,
      agentUserId: paul,
      at: iso(-2 * HOUR),
      direction: 'outbound',
      status: 'answered',
    });
    // The stranger: missed twice and busy once today, missed two days ago; an answered call and our own
    // unanswered attempt count for nothing.
    for (const [at, status, direction] of [
      [iso(-HOUR), 'missed', 'inbound'],
      [iso(-2 * HOUR), 'missed', 'inbound'],
      [iso(-3 * HOUR), 'busy', 'inbound'],
      [iso(-2 * DAY), 'missed', 'inbound'],
      [iso(-4 * HOUR), 'answered', 'inbound'],
      [iso(-5 * HOUR), 'missed', 'outbound'],
    ] as const) {
      await w.call({ e164: STRANGER, contactId: null, agentUserId: null, at, direction, status });
    }
    // Jean's missed calls count for nothing, even one not linked to her: a contact owns the number.
    for (const contactId of [jean, null]) {
      await w.call({
        e164: JEAN,
        contactId,
        agentUserId: null,
        at: iso(-HOUR / 2),
        direction: 'inbound',
        status: 'missed',
      });
    }
    await w.block({ e164: '+7800', isPrefix: true, expiresAt: null });
    await w.block({ e164: EXPIRED, isPrefix: false, expiresAt: iso(-HOUR) });
    await w.block({ e164: '+336900', isPrefix: true, expiresAt: null });
  }, 60_000);
  afterAll(async () => {
    await w?.done();
  });

  it('reads everything about a known caller at once', async () => {
    expect(plain(await w.facts.read(everything(JEAN)))).toEqual({
      contact: {
        id: jean,
        displayName: 'Jean Dupont',
        responsibleUserId: olga,
        companyName: 'Acme',
        doNotCall: false,
      },
      blacklistedBy: null,
      deal: { id: dealId, responsibleUserId: tom, stageName: 'Proposal', amount: 9000 },
      lead: { id: leadId, responsibleUserId: nina },
      lastAgent: nina,
      missed: 0,
      extensions: [
        [nina, '103'],
        [olga, '101'],
        [tom, '102'],
      ].sort(),
      names: [
        [nina, 'Nina'],
        [olga, 'Olga'],
        [tom, 'Tom'],
      ].sort(),
    });
  });

  it('names a user with no extension, and finds no open deal or lead where there is none', async () => {
    expect(plain(await w.facts.read({ ...everything(MARC), alsoUser: olga }))).toEqual({
      contact: {
        id: marc,
        displayName: 'Marc Petit',
        responsibleUserId: null,
        companyName: null,
        doNotCall: true,
      },
      blacklistedBy: null,
      deal: null,
      lead: null,
      lastAgent: paul,
      missed: 0,
      extensions: [[olga, '101']],
      names: [
        [olga, 'Olga'],
        [paul, 'Paul'],
      ].sort(),
    });
  });

  it('counts an unknown number’s unanswered inbound calls since the instant given', async () => {
    const stranger = await w.facts.read(everything(STRANGER));
    expect(plain(stranger)).toEqual({
      contact: null,
      blacklistedBy: null,
      deal: null,
      lead: null,
      lastAgent: null,
      missed: 3,
      extensions: [],
      names: [],
    });
    expect((await w.facts.read({ ...everything(STRANGER), missedSince: iso(-3 * DAY) })).missed).toBe(4);
    expect((await w.facts.read({ ...everything(STRANGER), missedSince: iso(-90 * 60_000) })).missed).toBe(1);
  });

  it('finds the longest entry blocking the number at the instant given', async () => {
    const facts = (e164: string, at: string) => w.facts.read({ ...everything(e164), blacklistAt: at });
    expect((await facts(TOLL_FREE, iso(0))).blacklistedBy).toBe('+7800');
    // The number's own entry until it expires, then the prefix.
    expect((await facts(EXPIRED, iso(-2 * HOUR))).blacklistedBy).toBe(EXPIRED);
    expect((await facts(EXPIRED, iso(0))).blacklistedBy).toBe('+336900');
    expect((await facts(STRANGER, iso(0))).blacklistedBy).toBeNull();
  });

  it('reads nothing a switch leaves off', async () => {
    const none = {
      blacklistAt: null,
      deal: false,
      lead: false,
      lastAgentSince: null,
      missedSince: null,
      alsoUser: null,
      names: false,
    };
    expect(plain(await w.facts.read({ e164: TOLL_FREE, ...none }))).toEqual({
      contact: null,
      blacklistedBy: null,
      deal: null,
      lead: null,
      lastAgent: null,
      missed: 0,
      extensions: [],
      names: [],
    });
    expect((await w.facts.read({ e164: STRANGER, ...none })).missed).toBe(0);
    // The contact and its responsible's extension are always read: the decision starts from them.
    expect(plain(await w.facts.read({ e164: JEAN, ...none }))).toMatchObject({
      contact: { id: jean },
      deal: null,
      lead: null,
      lastAgent: null,
      extensions: [[olga, '101']],
      names: [],
    });
    // One switch at a time brings its part and its user's extension.
    expect(plain(await w.facts.read({ e164: JEAN, ...none, deal: true }))).toMatchObject({
      deal: { id: dealId },
      lead: null,
      extensions: [
        [olga, '101'],
        [tom, '102'],
      ].sort(),
    });
    expect(plain(await w.facts.read({ e164: JEAN, ...none, lead: true, names: true }))).toMatchObject({
      deal: null,
      lead: { id: leadId },
      names: [
        [nina, 'Nina'],
        [olga, 'Olga'],
      ].sort(),
    });
    // The last agent since the instant given only: Paul ten days ago, not within a week.
    expect((await w.facts.read({ e164: JEAN, ...none, lastAgentSince: iso(-30 * DAY) })).lastAgent).toBe(
      nina,
    );
    expect(
      (await w.facts.read({ e164: JEAN, ...none, lastAgentSince: iso(-30 * 60_000) })).lastAgent,
    ).toBeNull();
    expect(plain(await w.facts.read({ e164: JEAN, ...none, alsoUser: paul }))).toMatchObject({
      extensions: [[olga, '101']],
    });
  });
});
