import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../app.js';
import { createTestUser, signInForTest, type TestSession } from '../../../platform/auth/test-sessions.js';
import { loadConfig } from '../../../platform/config/config.js';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from '../../../test-support/test-database.js';
import { DEFAULT_SETTINGS, readSettings, updateSettings } from './company-settings-store.js';

describe.each(TEST_DIALECTS)('settings on %s', (dialect) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let asAdmin: TestSession;
  beforeAll(async () => {
    database = await openTestDatabase(dialect);
    app = await buildApp({
      config: loadConfig({ LOG_LEVEL: 'silent', WEB_DIST_DIR: mkdtempSync(join(tmpdir(), 'sb-web-')) }),
      database,
    });
    asAdmin = await signInForTest(app, await createTestUser(database.db, { role: 'admin' }));
  });
  afterAll(async () => {
    await app.close();
    await database.cleanup();
  });

  it('reads the typed defaults from an empty table', async () => {
    const fresh = await openTestDatabase(dialect);
    expect(await readSettings(fresh.db)).toEqual({
      companyName: 'My company',
      defaultCountry: 'FR',
      defaultCurrency: 'EUR',
      refusedWebhookRetentionDays: 7,
      processedWebhookRetentionDays: 30,
      liveEventRetentionDays: 1,
    });
    await fresh.cleanup();
  });

  it('stores a partial update and keeps the other values', async () => {
    await updateSettings(database.db, { companyName: 'Acme SARL' });
    await updateSettings(database.db, { defaultCountry: 'RU' });
    expect(await readSettings(database.db)).toEqual({
      ...DEFAULT_SETTINGS,
      companyName: 'Acme SARL',
      defaultCountry: 'RU',
    });
    await updateSettings(database.db, { ...DEFAULT_SETTINGS });
  });

  it('falls back to the default for a stored value that no longer validates', async () => {
    const fresh = await openTestDatabase(dialect);
    await fresh.db
      .insertInto('settings')
      .values({
        key: 'defaultCountry',
        value: JSON.stringify('Francia'),
        updated_at: new Date().toISOString(),
      })
      .execute();
    expect((await readSettings(fresh.db)).defaultCountry).toBe('FR');
    await fresh.cleanup();
  });

  it('serves and changes the settings through the API for an admin', async () => {
    const get = await app.inject({ method: 'GET', url: '/api/settings', headers: asAdmin.headers });
    expect(get.statusCode).toBe(200);
    expect(get.json()).toEqual(DEFAULT_SETTINGS);
    const patch = await app.inject({
      method: 'PATCH',
      url: '/api/settings',
      headers: asAdmin.headers,
      payload: { companyName: '  Société Générale des Tests ', defaultCurrency: 'RUB' },
    });
    expect(patch.statusCode).toBe(200);
    expect(patch.json()).toEqual({
      ...DEFAULT_SETTINGS,
      companyName: 'Société Générale des Tests',
      defaultCurrency: 'RUB',
    });
    // The write is visible to the next read at once (the read cache is invalidated).
    expect(await readSettings(database.db)).toEqual(patch.json());
    await updateSettings(database.db, { ...DEFAULT_SETTINGS });
  });

  it('refuses unknown countries, currencies and keys with per-field details', async () => {
    const res = await app.inject({
      method: 'PATCH',
      url: '/api/settings',
      headers: asAdmin.headers,
      payload: { defaultCountry: 'XX', defaultCurrency: 'eur', companyName: '', colour: 'blue' },
    });
    expect(res.statusCode).toBe(400);
    const details = res.json().error.details as { path: string; message: string }[];
    expect(details.map((d) => d.path).sort()).toEqual([
      '',
      'companyName',
      'defaultCountry',
      'defaultCurrency',
    ]);
    expect(details.find((d) => d.path === 'defaultCountry')?.message).toBe(
      'is not a country with a known phone numbering plan',
    );
    expect(details.find((d) => d.path === 'defaultCurrency')?.message).toBe(
      'must be an ISO 4217 code such as EUR',
    );
  });

  it('changes the retention periods, whole days from 1 to 3650, for admins only', async () => {
    const patch = (payload: object, headers = asAdmin.headers) =>
      app.inject({ method: 'PATCH', url: '/api/settings', headers, payload });
    const ok = await patch({
      refusedWebhookRetentionDays: 3,
      processedWebhookRetentionDays: 90,
      liveEventRetentionDays: 2,
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({
      refusedWebhookRetentionDays: 3,
      processedWebhookRetentionDays: 90,
      liveEventRetentionDays: 2,
    });
    const bad = await patch({
      refusedWebhookRetentionDays: 0,
      processedWebhookRetentionDays: 3651,
      liveEventRetentionDays: 1.5,
    });
    expect(bad.statusCode).toBe(400);
    expect(
      (bad.json().error.details as { path: string; message: string }[]).sort((a, b) =>
        a.path.localeCompare(b.path),
      ),
    ).toMatchObject([
      { path: 'liveEventRetentionDays', message: 'must be a whole number of days' },
      { path: 'processedWebhookRetentionDays', message: 'must be at most 3650 days (10 years)' },
      { path: 'refusedWebhookRetentionDays', message: 'must be at least 1 day' },
    ]);
    const agent = await signInForTest(app, await createTestUser(database.db, { role: 'agent' }));
    expect((await patch({ refusedWebhookRetentionDays: 1 }, agent.headers)).statusCode).toBe(403);
    expect(
      (await app.inject({ method: 'GET', url: '/api/settings', headers: agent.headers })).statusCode,
    ).toBe(403);
    expect((await readSettings(database.db)).refusedWebhookRetentionDays).toBe(3);
    await updateSettings(database.db, { ...DEFAULT_SETTINGS });
  });
});
