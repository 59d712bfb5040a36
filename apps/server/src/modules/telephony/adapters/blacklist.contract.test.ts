/**
 * The `Blacklist` contract (and the `BlacklistRepository` behind the settings page): the Kysely adapter (both
 * dialects) and the in-memory one answer alike.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BlacklistRepository } from '../ports.js';
import { type Opened, onEveryDialect } from '../test-support/contract-adapters.js';
import { createInMemoryBlacklistRepository } from './in-memory-telephony.js';
import { createBlacklistRepository } from './kysely-blacklist-repository.js';

const ADAPTERS = [
  ...onEveryDialect((database) => ({ blacklist: createBlacklistRepository(database.db) })),
  {
    name: 'in-memory',
    open: async () => ({ blacklist: createInMemoryBlacklistRepository(), done: async () => {} }),
  },
];

describe.each(ADAPTERS)('Blacklist and BlacklistRepository contract: $name', ({ open }) => {
  let o: Opened<{ blacklist: BlacklistRepository }>;
  beforeAll(async () => {
    o = await open();
    await o.blacklist.add({ e164: '+33612345678', reason: 'spam' }, '2026-01-15T09:00:00.000Z');
    await o.blacklist.add({ e164: '+442037691880' }, '2026-01-15T09:00:01.000Z');
    await o.blacklist.add({ e164: '+33698765432', reason: 'abuse' }, '2026-01-15T09:00:02.000Z');
  });
  afterAll(async () => {
    await o?.done();
  });

  it('says whether a number is listed, by its exact E.164', async () => {
    expect(await o.blacklist.isBlacklisted('+33612345678')).toBe(true);
    expect(await o.blacklist.isBlacklisted('+33612345679')).toBe(false);
    expect(await o.blacklist.isBlacklisted('33612345678')).toBe(false);
  });

  it('keeps the first entry when a number is added twice', async () => {
    const again = await o.blacklist.add(
      { e164: '+33612345678', reason: 'other' },
      '2026-01-16T00:00:00.000Z',
    );
    expect(again).toMatchObject({
      e164: '+33612345678',
      reason: 'spam',
      createdAt: '2026-01-15T09:00:00.000Z',
    });
    expect((await o.blacklist.list()).map((e) => e.e164)).toEqual([
      '+33698765432',
      '+442037691880',
      '+33612345678',
    ]);
  });

  it('pages in E.164 order after a cursor, optionally by the digits a number starts with', async () => {
    const first = await o.blacklist.listPage({ limit: 2 });
    expect(first.items.map((e) => e.e164)).toEqual(['+33612345678', '+33698765432']);
    expect(first.nextCursor).toBe('+33698765432');
    const last = await o.blacklist.listPage({ limit: 2, after: first.nextCursor ?? undefined });
    expect(last).toMatchObject({ items: [{ e164: '+442037691880', reason: '' }], nextCursor: null });
    const french = await o.blacklist.listPage({ limit: 10, prefix: '+33 6' });
    expect(french.items.map((e) => e.e164)).toEqual(['+33612345678', '+33698765432']);
    expect(french.nextCursor).toBeNull();
  });

  it('removes by number and by id, saying whether there was anything to remove', async () => {
    const [newest] = await o.blacklist.list();
    expect(await o.blacklist.removeById(newest?.id ?? '')).toBe(true);
    expect(await o.blacklist.removeById(newest?.id ?? '')).toBe(false);
    expect(await o.blacklist.remove('+442037691880')).toBe(true);
    expect(await o.blacklist.remove('+442037691880')).toBe(false);
    expect(await o.blacklist.isBlacklisted('+442037691880')).toBe(false);
    expect((await o.blacklist.list()).map((e) => e.e164)).toEqual(['+33612345678']);
  });
});
