/**
 * The `ClientDirectory` contract: who calls a number back — its contact and the owner chain (the newest open deal's
 * owner, the newest open lead's, the contact's) — users' names and languages, and whether a number is one of ours,
 * answered alike by the Kysely adapter (both dialects) and the in-memory one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../platform/ids.js';
import { insertTestUser } from '../../../test-support/insert-user.js';
import type { ClientDirectory, ClientOwners } from '../ports.js';
import { type Opened, onEveryDialect } from '../test-support/contract-adapters.js';
import { crmOwnerRows, type SeededLeadStatus, seedContact } from '../test-support/seed-crm.js';
import { createInMemoryClientDirectory } from './in-memory-after-call.js';
import { createKyselyClientDirectory } from './kysely-client-directory.js';

interface World {
  readonly clients: ClientDirectory;
  user(name: string, more?: { locale?: 'en' | 'fr' | 'ru'; disabled?: boolean }): Promise<string>;
  /** A contact named `name` owning `e164`, responsible `ownerId`. */
  contact(name: string, e164: string, ownerId: string | null): Promise<string>;
  deal(contactId: string, deal: { open: boolean; ownerId: string | null; createdAt: string }): Promise<void>;
  lead(
    contactId: string,
    lead: { status: SeededLeadStatus; ownerId: string | null; createdAt: string },
  ): Promise<void>;
}

/** The account's direct numbers, as Zadarma lists them (bare digits) and as a setting may hold them. */
const OWN_NUMBERS = ['442037691999', '+33 1 84 88 00 00'];

const ADAPTERS = [
  ...onEveryDialect<World>(({ db }) => {
    const rows = crmOwnerRows(db);
    return {
      clients: createKyselyClientDirectory(db, { ownNumbers: async () => OWN_NUMBERS }),
      async user(name, more = {}) {
        const id = await insertTestUser(db, name);
        await db
          .updateTable('users')
          .set({ locale: more.locale ?? 'en', disabled: more.disabled ? 1 : 0 })
          .where('id', '=', id)
          .execute();
        return id;
      },
      contact: (name, e164, ownerId) =>
        seedContact(db, { displayName: name, phones: [e164], responsibleUserId: ownerId }),
      async deal(contactId, deal) {
        await rows.deal(contactId, { open: deal.open, ownerId: deal.ownerId, at: deal.createdAt });
      },
      async lead(contactId, lead) {
        await rows.lead(contactId, { status: lead.status, ownerId: lead.ownerId, at: lead.createdAt });
      },
    };
  }),
  {
    name: 'in-memory',
    async open(): Promise<Opened<World>> {
      // The in-memory directory holds the answers: the world writes them as the CRM's rows would give them.
      const owners: Record<string, Partial<ClientOwners>> = {};
      const users: Record<string, { name: string; locale: 'en' | 'fr' | 'ru' }> = {};
      const numberOf = new Map<string, string>();
      const deals: { contactId: string; open: boolean; ownerId: string | null; createdAt: string }[] = [];
      const leads: {
        contactId: string;
        status: SeededLeadStatus;
        ownerId: string | null;
        createdAt: string;
      }[] = [];
      const newestOwner = (rows: { ownerId: string | null; createdAt: string }[]) =>
        rows
          .filter((r) => r.ownerId !== null)
          .reduce<(typeof rows)[number] | undefined>(
            (a, r) => (!a || r.createdAt > a.createdAt ? r : a),
            undefined,
          )?.ownerId ?? null;
      const refresh = (contactId: string) => {
        const e164 = numberOf.get(contactId) as string;
        owners[e164] = {
          ...owners[e164],
          dealOwnerId: newestOwner(deals.filter((d) => d.contactId === contactId && d.open)),
          leadOwnerId: newestOwner(
            leads.filter(
              (l) => l.contactId === contactId && ['new', 'contacted', 'qualified'].includes(l.status),
            ),
          ),
        };
      };
      return {
        clients: createInMemoryClientDirectory({ owners, users, ownNumbers: OWN_NUMBERS }),
        async user(name, more = {}) {
          const id = newId();
          if (!more.disabled) {
            users[id] = { name, locale: more.locale ?? 'en' };
          }
          return id;
        },
        async contact(name, e164, ownerId) {
          const id = newId();
          numberOf.set(id, e164);
          // The oldest contact owning the number answers for it.
          owners[e164] ??= { contactId: id, contactName: name, contactOwnerId: ownerId };
          return id;
        },
        async deal(contactId, deal) {
          deals.push({ contactId, ...deal });
          refresh(contactId);
        },
        async lead(contactId, lead) {
          leads.push({ contactId, ...lead });
          refresh(contactId);
        },
        done: async () => {},
      };
    },
  },
];

describe.each(ADAPTERS)('ClientDirectory contract: $name', ({ open }) => {
  let w: Opened<World>;
  beforeAll(async () => {
    w = await open();
  });
  afterAll(async () => {
    await w?.done();
  });

  it('knows nobody behind a number no contact owns', async () => {
    expect(await w.clients.ownersOf('+33699990000')).toEqual({
      contactId: null,
      contactName: null,
      dealOwnerId: null,
      leadOwnerId: null,
      contactOwnerId: null,
    });
  });

  it('gives a number’s contact and its owner chain: the newest open deal’s and lead’s owners', async () => {
    const [olga, ivan, tom, zoe] = [
      await w.user('Olga'),
      await w.user('Ivan'),
      await w.user('Tom'),
      await w.user('Zoé'),
    ];
    const contact = await w.contact('Jean Dupont', '+33612345601', olga);
    expect(await w.clients.ownersOf('+33612345601')).toEqual({
      contactId: contact,
      contactName: 'Jean Dupont',
      dealOwnerId: null,
      leadOwnerId: null,
      contactOwnerId: olga,
    });
    await w.deal(contact, { open: true, ownerId: ivan, createdAt: '2026-01-10T00:00:00.000Z' });
    await w.deal(contact, { open: true, ownerId: tom, createdAt: '2026-01-11T00:00:00.000Z' });
    // Newer, but won, or owned by nobody: neither is the deal owner.
    await w.deal(contact, { open: false, ownerId: zoe, createdAt: '2026-01-12T00:00:00.000Z' });
    await w.deal(contact, { open: true, ownerId: null, createdAt: '2026-01-13T00:00:00.000Z' });
    await w.lead(contact, { status: 'contacted', ownerId: zoe, createdAt: '2026-01-10T00:00:00.000Z' });
    await w.lead(contact, { status: 'lost', ownerId: ivan, createdAt: '2026-01-11T00:00:00.000Z' });
    await w.lead(contact, { status: 'converted', ownerId: tom, createdAt: '2026-01-12T00:00:00.000Z' });
    expect(await w.clients.ownersOf('+33612345601')).toEqual({
      contactId: contact,
      contactName: 'Jean Dupont',
      dealOwnerId: tom,
      leadOwnerId: zoe,
      contactOwnerId: olga,
    });
  });

  it('answers a shared number with its oldest contact', async () => {
    const first = await w.contact('Front Desk', '+33612345602', null);
    await w.contact('Back Office', '+33612345602', await w.user('Ivan'));
    expect(await w.clients.ownersOf('+33612345602')).toMatchObject({
      contactId: first,
      contactName: 'Front Desk',
      contactOwnerId: null,
    });
  });

  it('gives an active user’s name and language, and nothing for a disabled or unknown one', async () => {
    const olga = await w.user('Olga', { locale: 'ru' });
    const gone = await w.user('Gone', { disabled: true });
    expect(await w.clients.userOf(olga)).toEqual({ name: 'Olga', locale: 'ru' });
    expect(await w.clients.userOf(gone)).toBeNull();
    expect(await w.clients.userOf(newId())).toBeNull();
  });

  it('knows our own numbers by their digits, however they are written', async () => {
    expect(await w.clients.isOwnNumber('+442037691999')).toBe(true);
    expect(await w.clients.isOwnNumber('+33184880000')).toBe(true);
    expect(await w.clients.isOwnNumber('+442037691998')).toBe(false);
  });
});
