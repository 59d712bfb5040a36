/** Which blacklist entries block a contact's numbers now, on the in-memory repository. */
import { describe, expect, it } from 'vitest';
import { createInMemoryBlacklistRepository } from '../adapters/in-memory-settings.js';
import type { BlacklistRepository } from '../ports.js';
import { readNumberBlocking } from './read-number-blocking.js';

const now = () => '2026-12-04T12:00:00.000Z';

async function world() {
  const blacklist = createInMemoryBlacklistRepository();
  await blacklist.add({ e164: '+33612345678', reason: 'spam' });
  await blacklist.add({ e164: '+7800', isPrefix: true });
  await blacklist.add({ e164: '+4915112345678', expiresAt: '2026-12-04T11:59:59.000Z' });
  return blacklist;
}

describe('readNumberBlocking', () => {
  it('finds the number entries and the prefixes that block any of the numbers', async () => {
    const blacklist = await world();
    const entries = await readNumberBlocking({
      blacklist,
      numbers: ['+33612345678', '+78005553535', '+442079460000'],
      now,
    });
    expect(entries.map((e) => [e.e164, e.isPrefix])).toEqual([
      ['+33612345678', false],
      ['+7800', true],
    ]);
  });

  it('ignores an entry that expired before now', async () => {
    const blacklist = await world();
    expect(await readNumberBlocking({ blacklist, numbers: ['+4915112345678'], now })).toEqual([]);
    const earlier = () => '2026-12-04T11:00:00.000Z';
    const entries = await readNumberBlocking({ blacklist, numbers: ['+4915112345678'], now: earlier });
    expect(entries.map((e) => e.e164)).toEqual(['+4915112345678']);
  });

  it('asks nothing for no numbers, and each number once', async () => {
    const asked: (readonly string[])[] = [];
    const blacklist: Pick<BlacklistRepository, 'entriesBlocking'> = {
      async entriesBlocking(e164s) {
        asked.push(e164s);
        return [];
      },
    };
    await readNumberBlocking({ blacklist, numbers: [], now });
    await readNumberBlocking({ blacklist, numbers: ['+33612345678', '+33612345678'], now });
    expect(asked).toEqual([['+33612345678']]);
  });
});
