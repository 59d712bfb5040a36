/**
 * The company settings on the one settings service, on both dialects: values stored by the first settings store
 * read on, a write is seen by another instance, and a write inside a caller's transaction stands or falls with it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../../platform/db/database.js';
import { COMPANY_SETTINGS } from '../../../platform/settings/setting-definitions.js';
import { readSettingsVersion } from '../../../platform/settings/settings-storage.js';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from '../../../test-support/test-database.js';
import { openSecondHandle } from '../../telephony/test-support/second-handle.js';
import { DEFAULT_SETTINGS, readSettings, refreshSettings, updateSettings } from './company-settings-store.js';

/** Values an admin had set before the settings service, as the first store wrote them (bare key, JSON value). */
const STORED_EARLIER = {
  companyName: 'Acme SARL',
  defaultCountry: 'RU',
  defaultCurrency: 'RUB',
  refusedWebhookRetentionDays: 3,
  processedWebhookRetentionDays: 60,
  liveEventRetentionDays: 2,
};

describe.each(TEST_DIALECTS)('company settings on the settings service (%s)', (dialect) => {
  let database: TestDatabase;
  let other: DatabaseHandle;
  beforeAll(async () => {
    database = await openTestDatabase(dialect);
    other = await openSecondHandle(database);
  });
  afterAll(async () => {
    await other?.close();
    await database?.cleanup();
  });

  it('reads the non-default values a database already holds, under the keys they were stored with', async () => {
    const at = '2026-01-01T00:00:00.000Z';
    await database.db
      .insertInto('settings')
      .values(
        Object.entries(STORED_EARLIER).map(([key, value]) => ({
          key,
          value: JSON.stringify(value),
          updated_at: at,
        })),
      )
      .execute();
    expect(Object.values(COMPANY_SETTINGS).map((d) => d.key)).toEqual(Object.keys(STORED_EARLIER));
    expect(await readSettings(database.db)).toEqual(STORED_EARLIER);
    expect(await readSettings(other.db)).toEqual(STORED_EARLIER);
  });

  it('bumps the settings version on a write, which another instance sees at its next check', async () => {
    const before = await readSettingsVersion(database.db);
    expect((await readSettings(other.db)).companyName).toBe('Acme SARL');
    await updateSettings(database.db, { companyName: 'Globex' });
    expect(await readSettingsVersion(database.db)).toBe(before + 1);
    expect((await readSettings(database.db)).companyName).toBe('Globex');
    expect(await refreshSettings(other.db)).toBe(true);
    expect((await readSettings(other.db)).companyName).toBe('Globex');
    expect(await refreshSettings(other.db)).toBe(false);
  });

  it('writes inside a caller’s transaction only when it commits', async () => {
    const before = await readSettingsVersion(database.db);
    await expect(
      database.db.transaction().execute(async (trx) => {
        await updateSettings(trx, { defaultCurrency: 'USD' });
        expect((await readSettings(trx)).defaultCurrency).toBe('USD');
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await readSettingsVersion(database.db)).toBe(before);
    expect(await refreshSettings(database.db)).toBe(false);
    expect((await readSettings(database.db)).defaultCurrency).toBe('RUB');

    await database.db.transaction().execute((trx) => updateSettings(trx, { defaultCurrency: 'USD' }));
    expect(await readSettingsVersion(database.db)).toBe(before + 1);
    expect(await refreshSettings(database.db)).toBe(true);
    expect((await readSettings(database.db)).defaultCurrency).toBe('USD');
  });

  it('refuses an invalid value and writes nothing', async () => {
    const before = await readSettingsVersion(database.db);
    await expect(updateSettings(database.db, { defaultCountry: 'XX' })).rejects.toThrow();
    expect(await readSettingsVersion(database.db)).toBe(before);
    await updateSettings(database.db, { ...DEFAULT_SETTINGS });
    expect(await readSettings(database.db)).toEqual(DEFAULT_SETTINGS);
  });
});
