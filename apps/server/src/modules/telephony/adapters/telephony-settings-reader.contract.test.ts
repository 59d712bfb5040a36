/**
 * The `TelephonySettingsReader` contract: the adapter over the telephony runtime and the company settings (both
 * dialects, the one settings service underneath) and the in-memory one read the webhook path's settings alike.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../platform/config/config.js';
import { createSecretBox } from '../../../platform/crypto/secret-box.js';
import { openTestDatabase, TEST_DIALECTS } from '../../../test-support/test-database.js';
import { updateSettings } from '../../crm/settings/company-settings-store.js';
import type { TelephonySettingsReader } from '../ports.js';
import { createInMemoryTelephonySettingsReader } from './in-memory-telephony.js';
import { createTelephonySettingsReader } from './telephony-settings-reader.js';
import { readStoredTelephonySettings } from './telephony-settings-store.js';
import { createTelephonyRuntime } from './zadarma/telephony-runtime.js';

/** What the suite stores before reading. */
const STORED = {
  previousSecret: 'old-secret-0123456789',
  secret: 'new-secret-9876543210',
  returnTimeout: 45,
  defaultCountry: 'RU',
  timezone: 'UTC+3',
};

interface Opened {
  readonly reader: TelephonySettingsReader;
  /** Turns the routing switches on or off where the settings are stored. */
  switches(on: boolean): Promise<void>;
  /** Webhooks counted as verified with the previous secret, as the adapter reports them. */
  previousSecretUses(): Promise<number>;
  /** What the reader said of the timezone before anything was stored (Zadarma never asked). */
  readonly neverTold: { readonly label: string; readonly confirmed: boolean };
  /** Stores `label` as Zadarma's answer does; the next read gives it (past the adapter's memo). */
  told(label: string): Promise<void>;
  readonly done: () => Promise<void>;
}

const ADAPTERS = [
  ...TEST_DIALECTS.map((dialect) => ({
    name: `runtime and settings service on ${dialect}`,
    async open(): Promise<Opened> {
      const database = await openTestDatabase(dialect);
      const box = createSecretBox('ab'.repeat(32));
      const runtime = createTelephonyRuntime({ db: database.db, box, config: loadConfig({}) });
      const first = createTelephonySettingsReader(runtime, database.db);
      const neverTold = await first.accountTimezone();
      // A planned rotation: the old secret stays accepted for its grace. No API key: no Zadarma client, no network.
      await runtime.update({ apiSecret: STORED.previousSecret });
      await runtime.update({
        apiSecret: STORED.secret,
        returnTimeout: STORED.returnTimeout,
        timezone: STORED.timezone,
      });
      await updateSettings(database.db, { defaultCountry: STORED.defaultCountry });
      const switches = async (on: boolean) => {
        await runtime.update({ features: { routeToResponsible: on, callerName: on, blacklist: on } });
      };
      // The reader keeps the timezone for a minute: `told` moves its clock past that.
      let memoNow = Date.parse('2026-08-01T09:00:00.000Z');
      return {
        reader: createTelephonySettingsReader(runtime, database.db, () => memoNow),
        switches,
        neverTold,
        async told(label) {
          await runtime.update({ timezone: label });
          memoNow += 61_000;
        },
        async previousSecretUses() {
          // Added to the stored counter off the hot path (at the version check), without a settings change.
          await runtime.checkForChanges();
          return (await readStoredTelephonySettings(database.db, box)).previousSecretUses;
        },
        done: async () => {
          await runtime.close();
          await database.cleanup();
        },
      };
    },
  })),
  {
    name: 'in-memory',
    async open(): Promise<Opened> {
      const reader = createInMemoryTelephonySettingsReader({
        settings: {
          apiSecret: STORED.secret,
          previousSecret: STORED.previousSecret,
          returnTimeout: STORED.returnTimeout,
          features: { routeToResponsible: false, callerName: false, blacklist: false },
        },
        defaultCountry: STORED.defaultCountry,
        timezone: STORED.timezone,
      });
      const first = createInMemoryTelephonySettingsReader({ timezone: 'UTC+0' });
      return {
        reader,
        neverTold: await first.accountTimezone(),
        async told(label) {
          reader.timezoneTold(label);
        },
        async switches(on) {
          reader.update({ features: { routeToResponsible: on, callerName: on, blacklist: on } });
        },
        previousSecretUses: async () => reader.previousSecretUses,
        done: async () => {},
      };
    },
  },
];

describe.each(ADAPTERS)('TelephonySettingsReader contract: $name', ({ open }) => {
  let o: Opened;
  beforeAll(async () => {
    o = await open();
  });
  afterAll(async () => {
    await o?.done();
  });

  it('gives the secret, the previous one during its grace, the switches and the return timeout', async () => {
    expect(await o.reader.webhookSettings()).toMatchObject({
      apiSecret: STORED.secret,
      previousSecret: STORED.previousSecret,
      returnTimeout: STORED.returnTimeout,
      features: { routeToResponsible: false, callerName: false, blacklist: false },
      ipAllowList: { enabled: false, cidrs: [] },
    });
  });

  it('reads a change on the next read', async () => {
    await o.switches(true);
    expect((await o.reader.webhookSettings()).features).toMatchObject({
      routeToResponsible: true,
      callerName: true,
      blacklist: true,
    });
  });

  it('gives the company’s default country and the account timezone', async () => {
    expect(await o.reader.defaultCountry()).toBe(STORED.defaultCountry);
    expect((await o.reader.accountTimezone()).label).toBe(STORED.timezone);
  });

  it('says whether Zadarma told the timezone: never-asked UTC+0 is not, a UTC+0 it answered is', async () => {
    expect(o.neverTold).toEqual({ label: 'UTC+0', confirmed: false });
    // The stored label came from Zadarma (the runtime stamps it): confirmed.
    expect(await o.reader.accountTimezone()).toEqual({ label: STORED.timezone, confirmed: true });
    await o.told('UTC+0');
    expect(await o.reader.accountTimezone()).toEqual({ label: 'UTC+0', confirmed: true });
    await o.told(STORED.timezone);
    expect(await o.reader.accountTimezone()).toEqual({ label: STORED.timezone, confirmed: true });
  });

  it('counts the webhooks verified with the previous secret', async () => {
    o.reader.notePreviousSecretUse();
    o.reader.notePreviousSecretUse();
    expect(await o.previousSecretUses()).toBe(2);
  });
});
