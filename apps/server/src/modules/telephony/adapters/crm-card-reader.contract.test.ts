/**
 * The `CrmCardReader` contract: the Kysely adapter (both dialects) and the in-memory one build the same card.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertTestUser } from '../../../test-support/insert-user.js';
import { openTestDatabase, TEST_DIALECTS } from '../../../test-support/test-database.js';
import type { ContactCard, CrmCardReader } from '../ports.js';
import { seedCompany, seedContact } from '../test-support/seed-crm.js';
import { insertTestCall } from '../test-support/test-calls.js';
import { createInMemoryCrmCardReader } from './in-memory-telephony.js';
import { createKyselyCrmCardReader } from './kysely-crm-card-reader.js';

interface Seeded {
  readonly reader: CrmCardReader;
  readonly contactId: string;
  readonly companyId: string;
  readonly userId: string;
  readonly calls: readonly [string, string];
  readonly done: () => Promise<void>;
}

const ADAPTERS = [
  ...TEST_DIALECTS.map((dialect) => ({
    name: `kysely on ${dialect}`,
    async open(): Promise<Seeded> {
      const database = await openTestDatabase(dialect);
      const userId = await insertTestUser(database.db, 'Olga');
      const companyId = await seedCompany(database.db, 'Acme');
      const contactId = await seedContact(database.db, {
        displayName: 'Jean Dupont',
        phones: ['0612345678'],
        companyId,
        responsibleUserId: userId,
      });
      const older = await insertTestCall(database.db, {
        agentUserId: userId,
        contactId,
        at: '2026-01-14T09:00:00.000Z',
      });
      const newer = await insertTestCall(database.db, {
        agentUserId: userId,
        contactId,
        at: '2026-01-15T09:00:00.000Z',
      });
      return {
        reader: createKyselyCrmCardReader(database.db),
        contactId,
        companyId,
        userId,
        calls: [older, newer],
        done: () => database.cleanup(),
      };
    },
  })),
  {
    name: 'in-memory',
    async open(): Promise<Seeded> {
      const call = (id: string, startedAt: string) => ({
        id,
        startedAt,
        direction: 'in' as const,
        status: 'answered',
        duration: 42,
      });
      const card: ContactCard = {
        id: 'c1',
        displayName: 'Jean Dupont',
        company: { id: 'co1', name: 'Acme' },
        responsibleUser: { id: 'u1', name: 'Olga' },
        doNotCall: false,
        openDeals: [],
        openTasks: [],
        lastCalls: [
          call('call-new', '2026-01-15T09:00:00.000Z'),
          call('call-old', '2026-01-14T09:00:00.000Z'),
        ],
      };
      return {
        reader: createInMemoryCrmCardReader([card]),
        contactId: 'c1',
        companyId: 'co1',
        userId: 'u1',
        calls: ['call-old', 'call-new'],
        done: async () => {},
      };
    },
  },
];

describe.each(ADAPTERS)('CrmCardReader contract: $name', ({ open }) => {
  let s: Seeded;
  beforeAll(async () => {
    s = await open();
  });
  afterAll(async () => {
    await s?.done();
  });

  it('builds the popup card: who, their company and responsible user, their last calls newest first', async () => {
    const [older, newer] = s.calls;
    expect(await s.reader.cardOf(s.contactId)).toEqual({
      id: s.contactId,
      displayName: 'Jean Dupont',
      company: { id: s.companyId, name: 'Acme' },
      responsibleUser: { id: s.userId, name: 'Olga' },
      doNotCall: false,
      openDeals: [],
      openTasks: [],
      lastCalls: [
        {
          id: newer,
          startedAt: '2026-01-15T09:00:00.000Z',
          direction: 'in',
          status: 'answered',
          duration: 42,
        },
        {
          id: older,
          startedAt: '2026-01-14T09:00:00.000Z',
          direction: 'in',
          status: 'answered',
          duration: 42,
        },
      ],
    });
  });

  it('leaves out the call that is ringing, and gives null for a contact that is gone', async () => {
    const card = await s.reader.cardOf(s.contactId, { excludeCallId: s.calls[1] });
    expect(card?.lastCalls.map((c) => c.id)).toEqual([s.calls[0]]);
    expect(await s.reader.cardOf('no-such-contact')).toBeNull();
  });
});
