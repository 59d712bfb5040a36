import { createSimulator, type Simulator } from '@switchboard/zadarma-sim';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../../../platform/config/config.js';
import { createSecretBox } from '../../../../platform/crypto/secret-box.js';
import {
  openTestDatabase,
  TEST_DIALECTS,
  type TestDatabase,
} from '../../../../test-support/test-database.js';
import { PREVIOUS_SECRET_GRACE_MS } from '../telephony-settings-store.js';
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

  it('has no client until configured, then refreshes the timezone from Zadarma once an hour, in the background', async () => {
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
    expect(timezoneCalls).toHaveLength(0);
    await runtime.update({ apiKey: 'k', apiSecret: 'secret-0123456789', apiBaseUrl: simulator.url });
    const client = await runtime.client();
    expect(client).not.toBeNull();
    expect(await runtime.client()).toBe(client);
    // The stored label at once; the lookup it started is the one a refresh joins (single-flight).
    expect(await runtime.timezone()).toBe('UTC+0');
    expect(await runtime.refreshTimezone()).toBe('UTC+3');
    expect(await runtime.timezone()).toBe('UTC+3');
    expect(await runtime.timezone()).toBe('UTC+3');
    expect(timezoneCalls).toHaveLength(1);
    // Remembered for a restart without network.
    expect((await runtime.stored()).timezone).toBe('UTC+3');
    clock += 60 * 60 * 1000 + 1;
    simulator.state.account.timezone = 'UTC+1';
    expect(await runtime.timezone()).toBe('UTC+3');
    expect(await runtime.refreshTimezone()).toBe('UTC+1');
    expect(await runtime.timezone()).toBe('UTC+1');
    expect(timezoneCalls).toHaveLength(2);
    // New credentials: a new client.
    await runtime.update({ apiKey: 'other' });
    expect(await runtime.client()).not.toBe(client);
    expect((await runtime.settings()).apiKey).toBe('other');
    await runtime.close();
  });

  it('stores when the background refresh learned the timezone, even a UTC+0 that equals the default label', async () => {
    const own = await openTestDatabase(dialect);
    const account = simulator.state.account as { timezone: string };
    const before = account.timezone;
    account.timezone = 'UTC+0';
    const runtime = createTelephonyRuntime({
      db: own.db,
      box: createSecretBox('ab'.repeat(32)),
      config: loadConfig({}),
      clientOptions: { retry: false },
    });
    try {
      await runtime.update({ apiKey: 'k', apiSecret: 'secret-0123456789', apiBaseUrl: simulator.url });
      expect((await runtime.stored()).timezoneLearnedAt).toBeNull();
      expect(await runtime.refreshTimezone()).toBe('UTC+0');
      expect((await runtime.stored()).timezoneLearnedAt).not.toBeNull();
      expect((await runtime.settings()).timezone).toBe('UTC+0');
    } finally {
      account.timezone = before;
      await runtime.close();
      await own.cleanup();
    }
  });

  it('answers the timezone at once with the stored label while Zadarma never answers, asking it only once', async () => {
    const hanging: string[] = [];
    const runtime = createTelephonyRuntime({
      db: database.db,
      box: createSecretBox('ab'.repeat(32)),
      config: loadConfig({}),
      clientOptions: {
        retry: false,
        // Never settles, not even on abort: before issue 9 the processing path awaited this.
        fetch: (input) => {
          hanging.push(String(input));
          return new Promise<Response>(() => {});
        },
      },
    });
    await runtime.update({
      apiKey: 'k-hang',
      apiSecret: 'secret-0123456789',
      apiBaseUrl: 'http://zadarma.invalid',
      timezone: 'UTC+5',
    });
    const lookups = () => hanging.filter((url) => url.includes('/v1/info/timezone/')).length;
    expect(await runtime.timezone()).toBe('UTC+5');
    // The background lookup reaches Zadarma (and hangs there)…
    await vi.waitFor(() => expect(lookups()).toBe(1));
    // …while the processing path keeps its answer, and no second lookup piles up.
    expect(await runtime.timezone()).toBe('UTC+5');
    expect(await runtime.timezone()).toBe('UTC+5');
    expect(lookups()).toBe(1);
    await runtime.close();
  });

  it('accepts the previous secret during its grace only, by its own clock, and never when it leaked', async () => {
    let clock = Date.parse('2026-03-01T10:00:00.000Z');
    const runtime = createTelephonyRuntime({
      db: database.db,
      box: createSecretBox('ab'.repeat(32)),
      config: loadConfig({}),
      now: () => clock,
    });
    // Whatever an earlier test left: replaced without grace.
    await runtime.update({ apiKey: 'k', apiSecret: 'first-secret-000000', secretLeaked: true });
    expect((await runtime.settings()).previousSecret).toBeNull();
    await runtime.update({ apiSecret: 'second-secret-11111' });
    const rotated = await runtime.settings();
    expect(rotated.apiSecret).toBe('second-secret-11111');
    expect(rotated.previousSecret).toBe('first-secret-000000');
    expect(rotated.previousSecretGrace).toEqual({
      hint: '••••••0000',
      acceptedUntil: new Date(clock + PREVIOUS_SECRET_GRACE_MS).toISOString(),
      uses: 0,
    });
    // Sealed like the current one.
    const raw = await database.db
      .selectFrom('settings')
      .select('value')
      .where('key', '=', 'telephony.previousSecret')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(raw.value)).toMatch(/^v1:/);
    expect(raw.value).not.toContain('first-secret-000000');
    // An unrelated change keeps the grace.
    await runtime.update({ returnTimeout: 30 });
    expect((await runtime.settings()).previousSecret).toBe('first-secret-000000');
    clock += PREVIOUS_SECRET_GRACE_MS;
    expect((await runtime.settings()).previousSecret).toBeNull();
    expect((await runtime.settings()).previousSecretGrace).toBeNull();

    clock += 1000;
    await runtime.update({ apiSecret: 'third-secret-222222' });
    expect((await runtime.settings()).previousSecret).toBe('second-secret-11111');
    // "The old secret leaked": the grace ends at once.
    await runtime.update({ secretLeaked: true });
    expect((await runtime.settings()).previousSecret).toBeNull();
    await runtime.update({ apiSecret: 'fourth-secret-33333', secretLeaked: true });
    const leaked = await runtime.settings();
    expect(leaked.apiSecret).toBe('fourth-secret-33333');
    expect(leaked.previousSecret).toBeNull();
    // Uses counted in memory are added to the row off the hot path.
    await runtime.update({ apiSecret: 'fifth-secret-444444' });
    runtime.notePreviousSecretUse();
    runtime.notePreviousSecretUse();
    await runtime.checkForChanges();
    expect((await runtime.stored()).previousSecretUses).toBe(2);
    await runtime.close();
  });

  it('drops its cached settings when another instance changed them (settings version)', async () => {
    const box = createSecretBox('ab'.repeat(32));
    const a = createTelephonyRuntime({ db: database.db, box, config: loadConfig({}) });
    const b = createTelephonyRuntime({ db: database.db, box, config: loadConfig({}) });
    await a.update({ apiKey: 'k', apiSecret: 'version-secret-0000' });
    expect((await b.settings()).apiSecret).toBe('version-secret-0000');
    expect(await b.checkForChanges()).toBe(false);
    await a.update({ apiSecret: 'version-secret-1111' });
    expect((await b.settings()).apiSecret).toBe('version-secret-0000');
    expect(await b.checkForChanges()).toBe(true);
    expect((await b.settings()).apiSecret).toBe('version-secret-1111');
    expect((await b.settings()).previousSecret).toBe('version-secret-0000');
    await a.close();
    await b.close();
  });
});
