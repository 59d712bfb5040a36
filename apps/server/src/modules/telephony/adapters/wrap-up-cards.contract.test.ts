/**
 * The `WrapUpCards` contract: the Kysely adapter (both dialects) and the in-memory one keep a user's wrap-up
 * cards open until closed, never reopen a closed one, and list the open ones newest first.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertTestUser } from '../../../test-support/insert-user.js';
import { openTestDatabase, TEST_DIALECTS } from '../../../test-support/test-database.js';
import type { WrapUpCards } from '../ports.js';
import { insertTestCall } from '../test-support/test-calls.js';
import { createInMemoryWrapUpCards } from './in-memory-telephony.js';
import { createKyselyWrapUpCards } from './kysely-wrap-up-cards.js';

interface Seeded {
  readonly cards: WrapUpCards;
  readonly users: [string, string];
  readonly calls: [string, string, string];
  readonly done: () => Promise<void>;
}

const ADAPTERS = [
  ...TEST_DIALECTS.map((dialect) => ({
    name: `kysely on ${dialect}`,
    async open(): Promise<Seeded> {
      const database = await openTestDatabase(dialect);
      const users: [string, string] = [
        await insertTestUser(database.db, 'Julien'),
        await insertTestUser(database.db, 'Sofia'),
      ];
      const call = () => insertTestCall(database.db, { agentUserId: users[0], contactId: null });
      return {
        cards: createKyselyWrapUpCards(database.db),
        users,
        calls: [await call(), await call(), await call()],
        done: () => database.cleanup(),
      };
    },
  })),
  {
    name: 'in-memory',
    async open(): Promise<Seeded> {
      return {
        cards: createInMemoryWrapUpCards(),
        users: [randomUUID(), randomUUID()],
        calls: [randomUUID(), randomUUID(), randomUUID()],
        done: async () => {},
      };
    },
  },
];

describe.each(ADAPTERS)('WrapUpCards contract: $name', ({ open }) => {
  let o: Seeded;
  beforeAll(async () => {
    o = await open();
  });
  afterAll(async () => {
    await o?.done();
  });

  it('lists the cards a user opened and has not closed, newest first, from a time on, up to a limit', async () => {
    const [julien, sofia] = o.users;
    const [a, b, c] = o.calls;
    await o.cards.open(a, julien, '2026-03-01T09:00:00.000Z');
    await o.cards.open(b, julien, '2026-03-01T10:00:00.000Z');
    await o.cards.open(c, sofia, '2026-03-01T11:00:00.000Z');
    // Opened again by a second tab: the first opening stands.
    await o.cards.open(a, julien, '2026-03-01T12:00:00.000Z');
    expect(await o.cards.openFor(julien, '2026-03-01T00:00:00.000Z', 10)).toEqual([b, a]);
    expect(await o.cards.openFor(julien, '2026-03-01T09:30:00.000Z', 10)).toEqual([b]);
    expect(await o.cards.openFor(julien, '2026-03-01T00:00:00.000Z', 1)).toEqual([b]);
    expect(await o.cards.openFor(sofia, '2026-03-01T00:00:00.000Z', 10)).toEqual([c]);
  });

  it('keeps a closed card closed, even when a tab opens it again, and closes one never opened', async () => {
    const [julien, sofia] = o.users;
    const [a, b] = o.calls;
    await o.cards.close(b, julien, '2026-03-01T13:00:00.000Z');
    await o.cards.open(b, julien, '2026-03-01T13:00:01.000Z');
    await o.cards.close(b, julien, '2026-03-01T13:00:02.000Z');
    expect(await o.cards.openFor(julien, '2026-03-01T00:00:00.000Z', 10)).toEqual([a]);
    await o.cards.close(a, sofia, '2026-03-01T13:00:03.000Z');
    await o.cards.open(a, sofia, '2026-03-01T13:00:04.000Z');
    expect(await o.cards.openFor(sofia, '2026-03-01T00:00:00.000Z', 10)).not.toContain(a);
    // Closing Sofia's card of a call leaves Julien's open.
    expect(await o.cards.openFor(julien, '2026-03-01T00:00:00.000Z', 10)).toEqual([a]);
  });
});
