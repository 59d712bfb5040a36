/** The blacklist page on the in-memory repository: number order, a prefix filter, and the whole list's refusals. */
import { describe, expect, it } from 'vitest';
import { createInMemoryBlacklistRepository } from '../adapters/in-memory-settings.js';
import { listBlockedNumbers } from './list-blocked-numbers.js';

async function world() {
  const blacklist = createInMemoryBlacklistRepository();
  for (const e164 of ['+442079460000', '+33612345678', '+4915112345678']) {
    await blacklist.add({ e164 }, '2026-12-01T10:00:00.000Z');
  }
  await blacklist.countBlocked('+33612345678', '2026-12-02T10:00:00.000Z');
  await blacklist.countBlocked('+33612345678', '2026-12-02T11:00:00.000Z');
  await blacklist.countBlocked('+4915112345678', '2026-12-02T12:00:00.000Z');
  return blacklist;
}

describe('listBlockedNumbers', () => {
  it('pages in number order and counts the refused calls of every entry, not only the page', async () => {
    const blacklist = await world();
    const first = await listBlockedNumbers({ blacklist, query: { limit: 1 } });
    expect(first.items.map((e) => e.e164)).toEqual(['+33612345678']);
    expect(first.nextCursor).toBe('+33612345678');
    expect(first.blockedCalls).toBe(3);
    const rest = await listBlockedNumbers({ blacklist, query: { limit: 5, after: '+33612345678' } });
    expect(rest.items.map((e) => e.e164)).toEqual(['+442079460000', '+4915112345678']);
    expect(rest.nextCursor).toBeNull();
    expect(rest.blockedCalls).toBe(3);
  });

  it('filters by the digits typed, and an empty list refused nothing', async () => {
    const blacklist = await world();
    const uk = await listBlockedNumbers({ blacklist, query: { limit: 10, prefix: '+44 20' } });
    expect(uk.items.map((e) => e.e164)).toEqual(['+442079460000']);
    const empty = await listBlockedNumbers({
      blacklist: createInMemoryBlacklistRepository(),
      query: { limit: 10 },
    });
    expect(empty).toEqual({ items: [], nextCursor: null, blockedCalls: 0 });
  });
});
