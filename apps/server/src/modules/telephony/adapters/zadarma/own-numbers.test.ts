/**
 * Our own numbers come from the account's direct numbers (GET /v1/direct_numbers/) of the simulator, cached,
 * read again after the TTL, and kept while Zadarma is unreachable.
 */
import { ZadarmaClient } from '@switchboard/zadarma';
import { createSimulator, type Simulator } from '@switchboard/zadarma-sim';
import { afterEach, describe, expect, it } from 'vitest';
import { createOwnNumbers } from './own-numbers.js';

describe('our own numbers', () => {
  let sim: Simulator | null = null;
  afterEach(async () => {
    await sim?.close();
    sim = null;
  });

  it('reads the direct numbers in E.164, refreshes them after ten minutes, and keeps them while Zadarma is down', async () => {
    sim = await createSimulator({ key: 'k', secret: 's', host: '127.0.0.1' });
    const client = new ZadarmaClient({
      key: 'k',
      secret: 's',
      baseUrl: sim.url,
      retry: false,
      rateLimits: false,
    });
    let clock = 1_000_000;
    const own = createOwnNumbers({ client: async () => client }, () => clock);
    expect(await own()).toEqual(['+442037691999', '+33187654321']);

    // A number bought meanwhile is seen once the cache is older than ten minutes, not before.
    sim.state.numbers.push({
      ...(sim.state.numbers[0] as (typeof sim.state.numbers)[number]),
      number: '4930123456',
    });
    clock += 5 * 60_000;
    expect(await own()).toHaveLength(2);
    clock += 6 * 60_000;
    expect(await own()).toEqual(['+442037691999', '+33187654321', '+4930123456']);

    // Zadarma unreachable: the last list stays ours (a number of ours must not turn into a client).
    await sim.close();
    sim = null;
    clock += 11 * 60_000;
    expect(await own()).toEqual(['+442037691999', '+33187654321', '+4930123456']);
  });

  it('has none without credentials, and fails while it has never read them and Zadarma is down', async () => {
    expect(await createOwnNumbers({ client: async () => null })()).toEqual([]);
    const down = new ZadarmaClient({ key: 'k', secret: 's', baseUrl: 'http://127.0.0.1:9', retry: false });
    await expect(createOwnNumbers({ client: async () => down })()).rejects.toThrow(/direct_numbers/);
  });
});
