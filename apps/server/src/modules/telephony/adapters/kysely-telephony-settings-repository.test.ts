import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSecretBox } from '../../../platform/crypto/secret-box.js';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from '../../../test-support/test-database.js';
import {
  createTelephonySettingsRepository,
  DEFAULT_TELEPHONY_SETTINGS,
} from './kysely-telephony-settings-repository.js';

const SECRET = 'f0e1d2c3b4a5968778f9';

describe.each(TEST_DIALECTS)('telephony settings on %s', (dialect) => {
  let database: TestDatabase;
  const box = createSecretBox(randomBytes(32));
  beforeAll(async () => {
    database = await openTestDatabase(dialect);
  });
  afterAll(async () => {
    await database.cleanup();
  });

  it('reads the defaults before anything is saved', async () => {
    const repo = createTelephonySettingsRepository(database.db, box);
    expect(await repo.read()).toEqual(DEFAULT_TELEPHONY_SETTINGS);
  });

  it('stores the API secret sealed, never in clear, and reads it back', async () => {
    const repo = createTelephonySettingsRepository(database.db, box);
    const saved = await repo.update(
      { apiKey: 'key123', apiSecret: SECRET, timezone: 'UTC+3', returnTimeout: 15 },
      '2024-05-14T00:00:00.000Z',
    );
    expect(saved).toMatchObject({
      apiKey: 'key123',
      apiSecret: SECRET,
      timezone: 'UTC+3',
      returnTimeout: 15,
    });
    const rows = await database.db.selectFrom('settings').selectAll().execute();
    const sealed = rows.find((r) => r.key === 'telephony.apiSecret');
    expect(JSON.parse(sealed?.value ?? 'null')).toMatch(/^v1:/);
    expect(JSON.stringify(rows)).not.toContain(SECRET);
    expect(await repo.read()).toEqual({ ...saved, updatedAt: '2024-05-14T00:00:00.000Z' });
  });

  it('keeps other fields on a partial update', async () => {
    const repo = createTelephonySettingsRepository(database.db, box);
    await repo.update({ routeToResponsible: true, callerName: true });
    const next = await repo.update({ callerName: false });
    expect(next).toMatchObject({
      apiSecret: SECRET,
      callerName: false,
      routeToResponsible: true,
      timezone: 'UTC+3',
    });
  });

  it('starts with every switch off, as the settings page shows them (one default per setting)', async () => {
    // The two tables it replaced had opposite defaults (telephony_settings on, telephony_options off).
    expect(DEFAULT_TELEPHONY_SETTINGS).toMatchObject({
      routeToResponsible: false,
      callerName: false,
      blacklistEnabled: false,
    });
  });

  it('fails clearly when opened with another key', async () => {
    const other = createTelephonySettingsRepository(database.db, createSecretBox(randomBytes(32)));
    await expect(other.read()).rejects.toThrow(/wrong key or tampered data/);
  });

  it.each([
    [{ returnTimeout: 2 }, /returnTimeout must be 0 or an integer from 3 to 600/],
    [{ timezone: 'Europe/Paris' }, /timezone: timezone label "Europe\/Paris"/],
  ])('refuses %j naming the field', async (patch, message) => {
    const repo = createTelephonySettingsRepository(database.db, box);
    await expect(repo.update(patch)).rejects.toThrow(message);
  });
});
