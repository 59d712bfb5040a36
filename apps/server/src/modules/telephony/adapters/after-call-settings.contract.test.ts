/**
 * The `AfterCallOptionsStore` and `AfterCallSettingsReader` contract: over the one settings service (both dialects,
 * the telephony runtime and the company settings beside it) and over the in-memory stores the after-call unit tests
 * use, the options keep what a patch names and refuse a bad value, and the after-call job reads the switches, the
 * options and the default country together — a change saved on another instance included.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../platform/config/config.js';
import { createSecretBox } from '../../../platform/crypto/secret-box.js';
import { AFTER_CALL_SETTINGS } from '../../../platform/settings/setting-definitions.js';
import { createSettingsService } from '../../../platform/settings/settings-service.js';
import { readSettings, updateSettings } from '../../crm/settings/company-settings-store.js';
import type { NewCallerRule } from '../domain/after-call-policy.js';
import type { AfterCallOptionsStore, AfterCallSettingsReader, TelephonySettingsStore } from '../ports.js';
import { type Opened, onEveryDialect } from '../test-support/contract-adapters.js';
import {
  createAfterCallOptionsStore,
  createAfterCallSettingsReader,
  freshAfterCallOptions,
} from './after-call-settings-store.js';
import { createInMemoryAfterCallOptionsStore } from './in-memory-after-call.js';
import { createInMemoryTelephonySettingsStore } from './in-memory-settings.js';
import { createTelephonyRuntime } from './zadarma/telephony-runtime.js';

interface World {
  readonly options: AfterCallOptionsStore;
  /** The same options as another server instance writes them. */
  readonly elsewhere: AfterCallOptionsStore;
  readonly reader: AfterCallSettingsReader;
  readonly telephony: TelephonySettingsStore;
  setDefaultCountry(country: string): Promise<void>;
}

const ADAPTERS = [
  ...onEveryDialect<World & { close(): Promise<void> }>(({ db }) => {
    const box = createSecretBox('ef'.repeat(32));
    const service = (instanceId: string) =>
      createSettingsService({ db, box, definitions: AFTER_CALL_SETTINGS, instanceId });
    const here = service('instance-here');
    const there = service('instance-there');
    const runtime = createTelephonyRuntime({ db, box, config: loadConfig({}) });
    return {
      options: createAfterCallOptionsStore(here),
      elsewhere: createAfterCallOptionsStore(there),
      reader: createAfterCallSettingsReader({
        options: freshAfterCallOptions(here),
        telephony: () => runtime.settings(),
        defaultCountry: async () => (await readSettings(db)).defaultCountry,
      }),
      telephony: runtime,
      async setDefaultCountry(country) {
        await updateSettings(db, { defaultCountry: country });
      },
      async close() {
        here.close();
        there.close();
        await runtime.close();
      },
    };
  }, 'settings service').map(({ name, open }) => ({
    name,
    async open(): Promise<Opened<World>> {
      const opened = await open();
      return {
        ...opened,
        done: async () => {
          await opened.close();
          await opened.done();
        },
      };
    },
  })),
  {
    name: 'in-memory',
    async open(): Promise<Opened<World>> {
      const options = createInMemoryAfterCallOptionsStore();
      const telephony = createInMemoryTelephonySettingsStore();
      let country = 'FR';
      return {
        options,
        elsewhere: options,
        reader: createAfterCallSettingsReader({
          options: () => options.read(),
          telephony: () => telephony.stored(),
          defaultCountry: async () => country,
        }),
        telephony,
        async setDefaultCountry(next) {
          country = next;
        },
        done: async () => {},
      };
    },
  },
];

const rule = (over: Partial<NewCallerRule> = {}): NewCallerRule => ({
  direction: 'in',
  outcome: 'missed',
  minTalkSeconds: 0,
  action: 'lead',
  pipelineId: null,
  stageId: null,
  assignTo: 'default',
  ...over,
});

describe.each(ADAPTERS)('AfterCallOptionsStore contract: $name', ({ open }) => {
  let w: Opened<World>;
  beforeAll(async () => {
    w = await open();
  });
  afterAll(async () => {
    await w?.done();
  });

  it('starts from the definitions’ defaults', async () => {
    expect(await w.options.read()).toEqual({
      missedCallDueMinutes: AFTER_CALL_SETTINGS.missedCallDueMinutes.default,
      newCallerRules: AFTER_CALL_SETTINGS.newCallerRules.default,
    });
  });

  it('changes only what a patch names and answers what is stored', async () => {
    const before = await w.options.read();
    expect(await w.options.update({ missedCallDueMinutes: 45 })).toEqual({
      ...before,
      missedCallDueMinutes: 45,
    });
    const rules = [rule(), rule({ direction: 'any', outcome: 'any', action: 'inbox', assignTo: 'agent' })];
    expect(await w.options.update({ newCallerRules: rules })).toEqual({
      missedCallDueMinutes: 45,
      newCallerRules: rules,
    });
    expect(await w.options.read()).toEqual({ missedCallDueMinutes: 45, newCallerRules: rules });
    // No rule at all is a choice: nothing is created for new callers.
    expect((await w.options.update({ newCallerRules: [] })).newCallerRules).toEqual([]);
  });

  it('refuses a bad value with the setting it names, keeping the whole patch out', async () => {
    const before = await w.options.read();
    for (const patch of [
      { missedCallDueMinutes: 0 },
      { missedCallDueMinutes: 1.5 },
      { newCallerRules: Array.from({ length: 21 }, () => rule()) },
      { newCallerRules: [{ ...rule(), action: 'task' as never }] },
    ]) {
      await expect(w.options.update({ missedCallDueMinutes: 99, ...patch })).rejects.toMatchObject({
        name: 'SettingValueError',
        code: 'SB_ERR_VALIDATION',
      });
    }
    await expect(w.options.update({ missedCallDueMinutes: 0 })).rejects.toThrow(
      /telephony\.missedCalls\.dueMinutes/,
    );
    expect(await w.options.read()).toEqual(before);
  });
});

describe.each(ADAPTERS)('AfterCallSettingsReader contract: $name', ({ open }) => {
  let w: Opened<World>;
  beforeAll(async () => {
    w = await open();
  });
  afterAll(async () => {
    await w?.done();
  });

  it('reads the switches, the default responsible, the options and the default country together', async () => {
    const boss = randomUUID();
    await w.telephony.update({
      features: { missedCallTasks: true, autoCreate: false },
      defaultResponsibleUserId: boss,
    });
    await w.options.update({ missedCallDueMinutes: 30, newCallerRules: [rule()] });
    await w.setDefaultCountry('DE');
    expect(await w.reader.read()).toEqual({
      missedCallTasks: true,
      autoCreate: false,
      defaultResponsibleUserId: boss,
      missedCallDueMinutes: 30,
      newCallerRules: [rule()],
      defaultCountry: 'DE',
    });
    await w.telephony.update({
      features: { missedCallTasks: false, autoCreate: true },
      defaultResponsibleUserId: null,
    });
    expect(await w.reader.read()).toMatchObject({
      missedCallTasks: false,
      autoCreate: true,
      defaultResponsibleUserId: null,
    });
  });

  it('reads a change saved on another instance at once', async () => {
    // Read first, so a cache (where there is one) holds the old options.
    expect((await w.reader.read()).missedCallDueMinutes).toBe(30);
    await w.elsewhere.update({ missedCallDueMinutes: 120 });
    expect((await w.reader.read()).missedCallDueMinutes).toBe(120);
  });
});
