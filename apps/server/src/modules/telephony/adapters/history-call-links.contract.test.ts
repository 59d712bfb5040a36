/**
 * The `HistoryCallLinks` contract: the links an imported call gets (its number's E.164, the caller's contact, the
 * agent of an extension) answer alike over the Kysely lookups (both dialects, as history-ports.ts wires them) and
 * over the in-memory ones the history unit tests use. `createHistoryCallLinks` holds no state of its own, so its
 * in-memory adapter is the same function over `createInMemoryContactLookup` and `createInMemoryExtensionDirectory`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertTestUser } from '../../../test-support/insert-user.js';
import type { HistoryCallLinks } from '../ports.js';
import { type Opened, onEveryDialect } from '../test-support/contract-adapters.js';
import { seedContact } from '../test-support/seed-crm.js';
import { createHistoryCallLinks } from './history-call-links-over-lookups.js';
import { createInMemoryContactLookup, createInMemoryExtensionDirectory } from './in-memory-telephony.js';
import { createKyselyContactLookup } from './kysely-contact-lookup.js';
import { createExtensionAssignmentRepository } from './kysely-extension-assignment-repository.js';
import { createKyselyExtensionDirectory } from './kysely-extension-directory.js';

interface Seeded {
  readonly links: HistoryCallLinks;
  /** Jean Dupont, +33 6 12 34 56 78. */
  readonly jean: string;
  /** The older of two contacts sharing +44 20 3769 1880. */
  readonly older: string;
  /** The user on extension 101. */
  readonly olga: string;
}

const ADAPTERS = [
  ...onEveryDialect<Seeded>(async (database) => {
    const { db, sqlite } = database;
    const jean = await seedContact(db, { displayName: 'Jean Dupont', phones: ['06 12 34 56 78'] });
    const older = await seedContact(db, { displayName: 'Front Desk', phones: ['+44 20 3769 1880'] });
    await seedContact(db, { displayName: 'Back Office', phones: ['+44 20 3769 1880'], doNotCall: true });
    const olga = await insertTestUser(db, 'Olga');
    await createExtensionAssignmentRepository(db).assign('101', olga);
    const links = createHistoryCallLinks(
      createKyselyContactLookup(db, sqlite),
      createKyselyExtensionDirectory(db, sqlite),
    );
    return { links, jean, older, olga };
  }),
  {
    name: 'in-memory',
    async open(): Promise<Opened<Seeded>> {
      const base = { responsibleUserId: null, companyName: null, doNotCall: false };
      const contacts = createInMemoryContactLookup([
        { ...base, id: 'c1', displayName: 'Jean Dupont', phones: ['+33612345678'] },
        { ...base, id: 'c2', displayName: 'Front Desk', phones: ['+442037691880'] },
        { ...base, id: 'c3', displayName: 'Back Office', doNotCall: true, phones: ['+442037691880'] },
      ]);
      const directory = createInMemoryExtensionDirectory();
      directory.assign('101', 'u-olga', 'Olga');
      return {
        links: createHistoryCallLinks(contacts, directory),
        jean: 'c1',
        older: 'c2',
        olga: 'u-olga',
        done: async () => {},
      };
    },
  },
];

describe.each(ADAPTERS)('HistoryCallLinks contract: $name', ({ open }) => {
  let s: Opened<Seeded>;
  beforeAll(async () => {
    s = await open();
  });
  afterAll(async () => {
    await s?.done();
  });

  it('gives the E.164 of a number in any form, in the default country, and none for an extension', async () => {
    for (const raw of ['33612345678', '+33 6 12 34 56 78', '0612345678']) {
      expect(await s.links.e164Of(raw, 'FR')).toBe('+33612345678');
    }
    expect(await s.links.e164Of('020 3769 1880', 'GB')).toBe('+442037691880');
    expect(await s.links.e164Of('101', 'FR')).toBeNull();
    expect(await s.links.e164Of('', 'FR')).toBeNull();
  });

  it('links a number to its contact (the oldest when shared), and to none when unknown', async () => {
    expect(await s.links.contactIdOf('0612345678', 'FR')).toBe(s.jean);
    expect(await s.links.contactIdOf('442037691880', 'FR')).toBe(s.older);
    expect(await s.links.contactIdOf('33699999999', 'FR')).toBeNull();
    expect(await s.links.contactIdOf('101', 'FR')).toBeNull();
    // The default country decides a national number: the same digits in Britain are nobody.
    expect(await s.links.contactIdOf('0612345678', 'GB')).toBeNull();
  });

  it('links an extension to its user, and an unassigned one to none', async () => {
    expect(await s.links.userOfExtension('101')).toBe(s.olga);
    expect(await s.links.userOfExtension('102')).toBeNull();
  });
});
