import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from '../../test-support/test-database.js';
import { createSecretBox } from '../crypto/secret-box.js';
import { createInProcessEventBus } from '../events/in-process-event-bus.js';
import { SETTING_DEFINITIONS, TELEPHONY_SETTINGS, TRUSTED_PROXIES } from './setting-definitions.js';
import { createSettingsService, redactedSettings } from './settings-service.js';
import { readSettingsVersion, SettingValueError } from './settings-storage.js';

const box = createSecretBox('9c'.repeat(32));
const SECRET = 'sealed-secret-0123456789';

describe('setting definitions', () => {
  it('give every setting a unique key in its group (the company’s bare), and a label the web catalogues define', () => {
    const keys = SETTING_DEFINITIONS.map((d) => d.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const definition of SETTING_DEFINITIONS) {
      // The company's keep the bare keys they were first stored under, so no stored value is lost.
      const prefixed = definition.key.startsWith(`${definition.group}.`);
      expect(prefixed, definition.key).toBe(definition.group !== 'company');
      expect(definition.schema.safeParse(definition.default).success, definition.key).toBe(true);
    }
    const catalogue = readFileSync(
      fileURLToPath(new URL('../../../../web/src/locales/en.po', import.meta.url)),
      'utf8',
    );
    for (const id of SETTING_DEFINITIONS.map((d) => d.descriptionId).filter((id) => id !== null)) {
      expect(catalogue, id).toContain(`msgid "${id}"`);
    }
  });

  it('mark the secrets sensitive and encrypted, and the trusted proxies env-only from TRUST_PROXY', () => {
    const sensitive = SETTING_DEFINITIONS.filter((d) => d.sensitive).map((d) => d.key);
    expect(sensitive).toEqual(['telephony.apiSecret', 'telephony.previousSecret']);
    expect(SETTING_DEFINITIONS.filter((d) => d.encrypted).map((d) => d.key)).toEqual(sensitive);
    expect(SETTING_DEFINITIONS.filter((d) => d.envOnly)).toEqual([TRUSTED_PROXIES]);
    expect(TRUSTED_PROXIES.env).toBe('TRUST_PROXY');
  });

  it('show a sensitive value only as a hint', () => {
    const shown = redactedSettings(TELEPHONY_SETTINGS, {
      ...Object.fromEntries(Object.entries(TELEPHONY_SETTINGS).map(([name, d]) => [name, d.default])),
      apiKey: 'visible-key',
      apiSecret: SECRET,
      previousSecret: 'older-secret-abcdefgh',
    } as never);
    expect(shown.apiKey).toBe('visible-key');
    expect(shown.apiSecret).toBe('••••••6789');
    expect(shown.previousSecret).toBe('••••••efgh');
    expect(JSON.stringify(shown)).not.toContain(SECRET);
  });
});

describe.each(TEST_DIALECTS)('settings service on %s', (dialect) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(dialect);
  });
  afterAll(async () => {
    await database.cleanup();
  });

  const service = (instanceId: string) =>
    createSettingsService({ db: database.db, box, definitions: TELEPHONY_SETTINGS, instanceId });

  it('stores an encrypted value sealed, never in clear, and reads it back opened', async () => {
    const a = service('a');
    const written = await a.update(() => ({ apiKey: 'k', apiSecret: SECRET }));
    expect(written.apiSecret).toBe(SECRET);
    const row = await database.db
      .selectFrom('settings')
      .select('value')
      .where('key', '=', 'telephony.apiSecret')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(row.value)).toMatch(/^v1:/);
    expect(row.value).not.toContain(SECRET);
    expect((await service('fresh').read()).apiSecret).toBe(SECRET);
  });

  it('writes all of a change or none of it, the version bump included', async () => {
    const a = service('a');
    const version = await readSettingsVersion(database.db);
    await expect(a.update(() => ({ apiKey: 'half-written', returnTimeout: 2 }))).rejects.toThrow(
      SettingValueError,
    );
    await expect(
      a.update(() => {
        throw new Error('refused midway');
      }),
    ).rejects.toThrow('refused midway');
    expect((await a.read()).apiKey).toBe('k');
    expect(await readSettingsVersion(database.db)).toBe(version);
    await expect(a.update(() => ({ returnTimeout: 2 }))).rejects.toThrow(
      'telephony.returnTimeout: must be 0 or from 3 to 600 seconds',
    );
  });

  it('keeps two instances coherent: the version check, and the bus without waiting for it', async () => {
    const a = service('instance-a');
    const b = service('instance-b');
    expect((await b.read()).returnTimeout).toBe(20);
    await a.update(() => ({ returnTimeout: 30 }));
    // B's cache still holds the old value until it checks the version (once a second in production).
    expect((await b.read()).returnTimeout).toBe(20);
    expect(await b.checkForChanges()).toBe(true);
    expect((await b.read()).returnTimeout).toBe(30);
    expect(await b.checkForChanges()).toBe(false);

    const bus = createInProcessEventBus({ db: database.db, sqlite: database.sqlite });
    a.listen(bus);
    b.listen(bus);
    let dropped = 0;
    b.onChange(() => {
      dropped += 1;
    });
    await a.update(() => ({ returnTimeout: 40 }));
    await expect.poll(() => dropped).toBeGreaterThan(0);
    expect((await b.read()).returnTimeout).toBe(40);
    a.close();
    b.close();
    await bus.close();
  });

  it('counts without a version bump, and only while the guarding setting is set', async () => {
    const a = service('a');
    await a.update(() => ({ previousSecret: 'prev-secret-00000000', previousSecretUses: 0 }));
    const version = await readSettingsVersion(database.db);
    await a.addToCounter(TELEPHONY_SETTINGS.previousSecretUses, 2, TELEPHONY_SETTINGS.previousSecret);
    expect(await readSettingsVersion(database.db)).toBe(version);
    a.invalidate();
    expect((await a.read()).previousSecretUses).toBe(2);
    await a.update(() => ({ previousSecret: null }));
    await a.addToCounter(TELEPHONY_SETTINGS.previousSecretUses, 5, TELEPHONY_SETTINGS.previousSecret);
    a.invalidate();
    expect((await a.read()).previousSecretUses).toBe(2);
  });

  it('never stores an env-only setting', async () => {
    const a = createSettingsService({
      db: database.db,
      box,
      definitions: { trustedProxies: TRUSTED_PROXIES },
      instanceId: 'a',
    });
    await expect(a.update(() => ({ trustedProxies: ['10.0.0.1'] }))).rejects.toThrow(
      'network.trustedProxies: is read from TRUST_PROXY only, never stored',
    );
    expect((await a.read()).trustedProxies).toEqual([]);
  });
});
