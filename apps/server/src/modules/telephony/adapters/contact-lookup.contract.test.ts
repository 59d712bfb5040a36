/**
 * The `ContactLookup` contract: the Kysely/SQLite adapter (both dialects) and the in-memory one answer alike.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertTestUser } from '../../../test-support/insert-user.js';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from '../../../test-support/test-database.js';
import type { ContactLookup } from '../ports.js';
import { seedCompany, seedContact } from '../test-support/seed-crm.js';
import { createInMemoryContactLookup } from './in-memory-telephony.js';
import { createKyselyContactLookup } from './kysely-contact-lookup.js';

interface Seeded {
  readonly lookup: ContactLookup;
  readonly jean: string;
  readonly older: string;
  readonly responsible: string;
  readonly done: () => Promise<void>;
}

async function kysely(dialect: 'sqlite' | 'postgres'): Promise<Seeded> {
  const database: TestDatabase = await openTestDatabase(dialect);
  const responsible = await insertTestUser(database.db, 'Olga');
  const acme = await seedCompany(database.db, 'Acme');
  const jean = await seedContact(database.db, {
    displayName: 'Jean Dupont',
    phones: ['06 12 34 56 78'],
    companyId: acme,
    responsibleUserId: responsible,
  });
  // Two contacts share the switchboard's number: the older one answers.
  const older = await seedContact(database.db, { displayName: 'Front Desk', phones: ['+44 20 3769 1880'] });
  await seedContact(database.db, {
    displayName: 'Back Office',
    phones: ['+44 20 3769 1880'],
    doNotCall: true,
  });
  return {
    lookup: createKyselyContactLookup(database.db, database.sqlite),
    jean,
    older,
    responsible,
    done: () => database.cleanup(),
  };
}

async function inMemory(): Promise<Seeded> {
  const base = { responsibleUserId: null, companyName: null, doNotCall: false };
  return {
    lookup: createInMemoryContactLookup([
      {
        ...base,
        id: 'c1',
        displayName: 'Jean Dupont',
        companyName: 'Acme',
        responsibleUserId: 'u1',
        phones: ['+33612345678'],
      },
      { ...base, id: 'c2', displayName: 'Front Desk', phones: ['+442037691880'] },
      { ...base, id: 'c3', displayName: 'Back Office', doNotCall: true, phones: ['+442037691880'] },
    ]),
    jean: 'c1',
    older: 'c2',
    responsible: 'u1',
    done: async () => {},
  };
}

const ADAPTERS = [
  ...TEST_DIALECTS.map((dialect) => ({ name: `kysely on ${dialect}`, open: () => kysely(dialect) })),
  { name: 'in-memory', open: inMemory },
];

describe.each(ADAPTERS)('ContactLookup contract: $name', ({ open }) => {
  let s: Seeded;
  beforeAll(async () => {
    s = await open();
  });
  afterAll(async () => {
    await s?.done();
  });

  it('finds the caller’s contact, responsible user and company from any form of the number', async () => {
    for (const raw of ['33612345678', '+33 6 12 34 56 78', '0612345678']) {
      expect(await s.lookup.findCaller(raw, 'FR')).toEqual({
        number: raw,
        e164: '+33612345678',
        contact: {
          id: s.jean,
          displayName: 'Jean Dupont',
          responsibleUserId: s.responsible,
          companyName: 'Acme',
          doNotCall: false,
        },
      });
    }
  });

  it('answers with the oldest contact when several share a number', async () => {
    const caller = await s.lookup.findCaller('442037691880', 'FR');
    expect(caller.contact).toMatchObject({ id: s.older, displayName: 'Front Desk', companyName: null });
  });

  it('gives the E.164 of an unknown number with no contact, and none for an extension', async () => {
    expect(await s.lookup.findCaller('33699999999', 'FR')).toEqual({
      number: '33699999999',
      e164: '+33699999999',
      contact: null,
    });
    expect(await s.lookup.findCaller('101', 'FR')).toEqual({ number: '101', e164: null, contact: null });
    expect(s.lookup.e164Of('06 12 34 56 78', 'FR')).toBe('+33612345678');
    expect(s.lookup.e164Of('101', 'FR')).toBeNull();
  });

  it('finds a contact by id, with its company and do-not-call flag, and nothing for an unknown id', async () => {
    expect(await s.lookup.findContact(s.jean)).toEqual({
      id: s.jean,
      displayName: 'Jean Dupont',
      responsibleUserId: s.responsible,
      companyName: 'Acme',
      doNotCall: false,
    });
    expect(await s.lookup.findContact('no-such-contact')).toBeNull();
  });
});
