/**
 * The `TelephonySettingsStore` contract: the telephony runtime (both dialects, the one settings service underneath,
 * the secret sealed) and the in-memory store the settings use cases' unit tests use keep the settings alike — a
 * patch changes only what it names, a new secret keeps its predecessor for the rotation grace unless it leaked, and
 * a cleared secret leaves no grace.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../platform/config/config.js';
import { createSecretBox } from '../../../platform/crypto/secret-box.js';
import type { TelephonySettingsStore } from '../ports.js';
import { type Opened, onEveryDialect } from '../test-support/contract-adapters.js';
import { createInMemoryTelephonySettingsStore } from './in-memory-settings.js';
import { PREVIOUS_SECRET_GRACE_MS } from './telephony-settings-store.js';
import { createTelephonyRuntime } from './zadarma/telephony-runtime.js';

interface Store {
  readonly store: TelephonySettingsStore;
}

const ADAPTERS = [
  ...onEveryDialect<Store & { close(): Promise<void> }>(({ db }) => {
    const runtime = createTelephonyRuntime({
      db,
      box: createSecretBox('cd'.repeat(32)),
      config: loadConfig({}),
    });
    return { store: runtime, close: () => runtime.close() };
  }, 'runtime and settings service').map(({ name, open }) => ({
    name,
    async open(): Promise<Opened<Store>> {
      const opened = await open();
      return {
        store: opened.store,
        done: async () => {
          await opened.close();
          await opened.done();
        },
      };
    },
  })),
  {
    name: 'in-memory',
    async open(): Promise<Opened<Store>> {
      return { store: createInMemoryTelephonySettingsStore(), done: async () => {} };
    },
  },
];

const AT = '2026-08-01T09:00:00.000Z';
const graceEnd = (at: string) => new Date(Date.parse(at) + PREVIOUS_SECRET_GRACE_MS).toISOString();

describe.each(ADAPTERS)('TelephonySettingsStore contract: $name', ({ open }) => {
  let s: Opened<Store>;
  beforeAll(async () => {
    s = await open();
  });
  afterAll(async () => {
    await s?.done();
  });

  it('starts from the definitions’ defaults: no credentials, every feature off, no previous secret', async () => {
    expect(await s.store.stored()).toMatchObject({
      apiSecret: null,
      features: {
        autoCreate: false,
        routeToResponsible: false,
        callerName: false,
        missedCallTasks: false,
        blacklist: false,
      },
      previousSecret: null,
      previousSecretUntil: null,
      previousSecretUses: 0,
      webhookRegisteredAt: null,
    });
  });

  it('changes only what a patch names, nested groups field by field, and answers what is stored', async () => {
    const before = await s.store.stored();
    const after = await s.store.update({ returnTimeout: 45, features: { callerName: true } }, AT);
    expect(after).toEqual({
      ...before,
      returnTimeout: 45,
      features: { ...before.features, callerName: true },
    });
    await s.store.update(
      { timezone: 'UTC+3', features: { blacklist: true }, ipAllowList: { enabled: true } },
      AT,
    );
    const stored = await s.store.stored();
    expect(stored).toMatchObject({
      returnTimeout: 45,
      timezone: 'UTC+3',
      features: { ...before.features, callerName: true, blacklist: true },
      ipAllowList: { enabled: true, cidrs: before.ipAllowList.cidrs },
    });
    expect(await s.store.update({}, AT)).toEqual(stored);
  });

  it('keeps a rotated secret for the grace, counts nothing yet, and drops it when the admin says it leaked', async () => {
    await s.store.update({ apiSecret: 'first-secret-0123456789' }, AT);
    // A first secret has no predecessor.
    expect(await s.store.stored()).toMatchObject({
      apiSecret: 'first-secret-0123456789',
      previousSecret: null,
    });

    const later = '2026-08-01T10:00:00.000Z';
    await s.store.update({ apiSecret: 'second-secret-0123456789' }, later);
    expect(await s.store.stored()).toMatchObject({
      apiSecret: 'second-secret-0123456789',
      previousSecret: 'first-secret-0123456789',
      previousSecretUntil: graceEnd(later),
      previousSecretUses: 0,
    });
    // Saving the same secret again is no rotation: the grace stays as it was.
    await s.store.update({ apiSecret: 'second-secret-0123456789' }, '2026-08-01T10:05:00.000Z');
    expect((await s.store.stored()).previousSecretUntil).toBe(graceEnd(later));

    await s.store.update({ apiSecret: 'third-secret-0123456789', secretLeaked: true }, later);
    expect(await s.store.stored()).toMatchObject({
      apiSecret: 'third-secret-0123456789',
      previousSecret: null,
      previousSecretUntil: null,
    });
  });

  it('leaves no grace when the secret is cleared (telephony off)', async () => {
    await s.store.update({ apiSecret: 'kept-secret-0123456789' }, AT);
    await s.store.update({ apiSecret: 'next-secret-0123456789' }, AT);
    expect((await s.store.stored()).previousSecret).toBe('kept-secret-0123456789');
    await s.store.update({ apiSecret: null }, AT);
    expect(await s.store.stored()).toMatchObject({
      apiSecret: null,
      previousSecret: null,
      previousSecretUntil: null,
    });
  });

  it('forgets the timezone Zadarma told when the key changes to another account, in the same write', async () => {
    await s.store.update({ apiKey: 'account-one-key', apiSecret: 'account-one-secret-0123' }, AT);
    await s.store.update({ timezone: 'UTC+3' }, AT);
    // The same key saved again, a new secret (a rotation): still this account, its timezone kept.
    await s.store.update({ apiKey: 'account-one-key', apiSecret: 'account-one-secret-4567' }, AT);
    expect(await s.store.stored()).toMatchObject({ timezone: 'UTC+3', timezoneLearnedAt: AT });
    // Another account: back to the never-asked default until it answers.
    const other = await s.store.update({ apiKey: 'account-two-key' }, AT);
    expect(other).toMatchObject({ apiKey: 'account-two-key', timezone: 'UTC+0', timezoneLearnedAt: null });
    expect(await s.store.stored()).toMatchObject({ timezone: 'UTC+0', timezoneLearnedAt: null });
    // A UTC+0 account told as such is confirmed; changing the key forgets that too.
    await s.store.update({ timezone: 'UTC+0' }, AT);
    expect((await s.store.stored()).timezoneLearnedAt).toBe(AT);
    await s.store.update({ apiKey: null }, AT);
    expect(await s.store.stored()).toMatchObject({ timezone: 'UTC+0', timezoneLearnedAt: null });
    // A key and the label Zadarma told for it in one write: the label is the new account's.
    await s.store.update({ apiKey: 'account-three-key', timezone: 'UTC-4:30' }, AT);
    expect(await s.store.stored()).toMatchObject({ timezone: 'UTC-4:30', timezoneLearnedAt: AT });
  });

  it('refuses a bad value with the setting it names, keeping the whole patch out', async () => {
    const before = await s.store.stored();
    for (const patch of [
      { returnTimeout: -5 },
      { timezone: 'x'.repeat(300) },
      { routing: { lastAgentDays: -1 } },
    ]) {
      await expect(
        s.store.update({ predictedCallback: !before.predictedCallback, ...patch }, AT),
      ).rejects.toMatchObject({ name: 'SettingValueError', code: 'SB_ERR_VALIDATION' });
    }
    await expect(s.store.update({ returnTimeout: -5 }, AT)).rejects.toThrow(/telephony\.returnTimeout/);
    expect(await s.store.stored()).toEqual(before);
  });
});
