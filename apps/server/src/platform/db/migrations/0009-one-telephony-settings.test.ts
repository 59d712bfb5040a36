/**
 * Migration 0009 from a database at the schema of 0008, filled with non-default values in both telephony
 * tables as users left them: every value survives as the app read it before (switches from
 * `telephony_options`, credentials from `telephony_settings`), on both dialects.
 */
import type { Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import {
  callHandlingDefaults,
  readStoredTelephonySettings,
} from '../../../modules/telephony/adapters/telephony-settings-store.js';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from '../../../test-support/test-database.js';
import { createSecretBox } from '../../crypto/secret-box.js';
import { readSettingsVersion } from '../../settings/settings-storage.js';
import { readLegacyTrustedProxies } from '../../settings/trusted-proxies.js';
import { migrateTo, migrateToLatest } from '../migrate.js';

// biome-ignore lint/suspicious/noExplicitAny: the old tables are not in today's typed schema
type Untyped = Kysely<any>;

const box = createSecretBox('5a'.repeat(32));
const AT = '2026-02-01T09:30:00.000Z';

describe.each(TEST_DIALECTS)('migration 0009 (one telephony settings table) on %s', (dialect) => {
  let database: TestDatabase | null = null;

  afterEach(async () => {
    await database?.cleanup();
    database = null;
  });

  async function at0008(): Promise<{ db: Untyped; userId: string }> {
    database = await openTestDatabase(dialect, { migrate: false });
    await migrateTo(database.db, '0008-jobs');
    const db = database.db as unknown as Untyped;
    const userId = '0190f000-0000-7000-8000-000000000001';
    await db
      .insertInto('users')
      .values({
        id: userId,
        email: 'ada@example.test',
        name: 'Ada',
        role: 'admin',
        locale: 'en',
        password_hash: 'x',
        created_at: AT,
        updated_at: AT,
      })
      .execute();
    return { db, userId };
  }

  it('keeps every value a user set, each from the table the app read it from', async () => {
    const { db, userId } = await at0008();
    await db
      .insertInto('telephony_settings')
      .values({
        id: 1,
        api_key: 'live-key-123',
        api_secret_sealed: box.seal('live-secret-0123456789'),
        timezone: 'UTC+3',
        // The never-read mirror, contradicting telephony_options below: it must not win.
        route_to_responsible: 0,
        caller_name: 0,
        blacklist_enabled: 0,
        return_timeout: 45,
        updated_at: AT,
      })
      .execute();
    await db
      .insertInto('telephony_options')
      .values({
        id: 1,
        api_base_url: 'https://api.example.test',
        ip_allow_enabled: 1,
        ip_allow_cidrs: JSON.stringify(['185.45.152.0/24', '10.1.0.0/16']),
        trusted_proxies: JSON.stringify(['10.0.0.5']),
        default_responsible_user_id: userId,
        predicted_callback: 1,
        auto_create: 1,
        route_to_responsible: 1,
        caller_name: 1,
        missed_call_tasks: 1,
        blacklist: 1,
        webhook_registered_at: '2026-01-15T08:00:00.000Z',
        updated_at: AT,
        version: 7,
        previous_secret_sealed: box.seal('old-secret-9876543210'),
        previous_secret_until: '2026-02-01T09:40:00.000Z',
        previous_secret_uses: 3,
      })
      .execute();

    expect(await migrateToLatest(database?.db as never)).toContain('0009-one-telephony-settings');

    const stored = await readStoredTelephonySettings(database?.db as never, box);
    expect(stored).toEqual({
      apiKey: 'live-key-123',
      apiSecret: 'live-secret-0123456789',
      apiBaseUrl: 'https://api.example.test',
      timezone: 'UTC+3',
      returnTimeout: 45,
      ipAllowList: { enabled: true, cidrs: ['185.45.152.0/24', '10.1.0.0/16'] },
      defaultResponsibleUserId: userId,
      predictedCallback: true,
      features: {
        autoCreate: true,
        routeToResponsible: true,
        callerName: true,
        missedCallTasks: true,
        blacklist: true,
      },
      webhookRegisteredAt: '2026-01-15T08:00:00.000Z',
      legacyTrustedProxies: ['10.0.0.5'],
      previousSecret: 'old-secret-9876543210',
      previousSecretUntil: '2026-02-01T09:40:00.000Z',
      previousSecretUses: 3,
      // Added after 0009: when Zadarma last told the account's timezone (never, here).
      timezoneLearnedAt: null,
      // Added after 0009 (issue 12), at their defaults.
      ...callHandlingDefaults,
    });
    expect(await readLegacyTrustedProxies(database?.db as never)).toEqual(['10.0.0.5']);
    // Past the old version: an instance that had loaded version 7 reloads.
    expect(await readSettingsVersion(database?.db as never)).toBe(8);
    // Still sealed at rest, and the two old tables are gone.
    const rows = await db.selectFrom('settings').select(['key', 'value']).execute();
    expect(JSON.stringify(rows)).not.toContain('live-secret-0123456789');
    expect(JSON.stringify(rows)).not.toContain('old-secret-9876543210');
    await expect(db.selectFrom('telephony_options').selectAll().execute()).rejects.toThrow();
    await expect(db.selectFrom('telephony_settings').selectAll().execute()).rejects.toThrow();
  });

  it('reads the switches as off when only telephony_settings had a row (the app never read its mirror)', async () => {
    const { db } = await at0008();
    await db
      .insertInto('telephony_settings')
      .values({
        id: 1,
        api_key: 'only-key',
        api_secret_sealed: box.seal('only-secret-000000'),
        timezone: 'UTC-4:30',
        route_to_responsible: 1,
        caller_name: 1,
        blacklist_enabled: 1,
        return_timeout: 0,
        updated_at: AT,
      })
      .execute();
    await migrateToLatest(database?.db as never);
    const stored = await readStoredTelephonySettings(database?.db as never, box);
    expect(stored).toMatchObject({
      apiKey: 'only-key',
      apiSecret: 'only-secret-000000',
      timezone: 'UTC-4:30',
      returnTimeout: 0,
      ipAllowList: { enabled: false, cidrs: [] },
      features: {
        autoCreate: false,
        routeToResponsible: false,
        callerName: false,
        missedCallTasks: false,
        blacklist: false,
      },
      legacyTrustedProxies: [],
    });
  });

  it('leaves a database with no telephony settings at the defaults', async () => {
    await at0008();
    await migrateToLatest(database?.db as never);
    const stored = await readStoredTelephonySettings(database?.db as never, box);
    expect(stored).toMatchObject({ apiKey: null, apiSecret: null, timezone: 'UTC+0', returnTimeout: 20 });
    expect(await readSettingsVersion(database?.db as never)).toBe(1);
  });
});
