import { createSimulator, type Simulator } from '@switchboard/zadarma-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../config.js';
import { createSecretBox } from '../../../crypto/secret-box.js';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from '../../../test-support/test-database.js';
import { createTelephonyRuntime } from './telephony-runtime.js';

describe.each(TEST_DIALECTS)('telephony runtime on %s', (dialect) => {
  let database: TestDatabase;
  let simulator: Simulator;
  beforeAll(async () => {
    database = await openTestDatabase(dialect);
    simulator = await createSimulator({ key: 'k', secret: 'secret-0123456789', rateLimits: false });
  });
  afterAll(async () => {
    await simulator.close();
    await database.cleanup();
  });

  it('has no client until configured, then asks Zadarma for the timezone once an hour', async () => {
    let clock = 1_000_000;
    const timezoneCalls: string[] = [];
    const runtime = createTelephonyRuntime({
      db: database.db,
      box: createSecretBox('ab'.repeat(32)),
      config: loadConfig({}),
      now: () => clock,
      clientOptions: {
        retry: false,
        fetch: (input, init) => {
          if (String(input).includes('/v1/info/timezone/')) {
            timezoneCalls.push(String(input));
          }
          return fetch(input, init);
        },
      },
    });
    expect(await runtime.client()).toBeNull();
    expect(await runtime.timezone()).toBe('UTC+0');
    await runtime.update({ apiKey: 'k', apiSecret: 'secret-0123456789', apiBaseUrl: simulator.url });
    const client = await runtime.client();
    expect(client).not.toBeNull();
    expect(await runtime.client()).toBe(client);
    expect(await runtime.timezone()).toBe('UTC+3');
    expect(await runtime.timezone()).toBe('UTC+3');
    expect(timezoneCalls).toHaveLength(1);
    // Remembered for a restart without network.
    expect((await runtime.stored()).timezone).toBe('UTC+3');
    clock += 60 * 60 * 1000 + 1;
    simulator.state.account.timezone = 'UTC+1';
    expect(await runtime.timezone()).toBe('UTC+1');
    expect(timezoneCalls).toHaveLength(2);
    // New credentials: a new client.
    await runtime.update({ apiKey: 'other' });
    expect(await runtime.client()).not.toBe(client);
    expect((await runtime.settings()).apiKey).toBe('other');
  });
});
