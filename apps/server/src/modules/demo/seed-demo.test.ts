import { afterEach, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../platform/auth/password.js';
import { createTestUser } from '../../platform/auth/test-sessions.js';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from '../../test-support/test-database.js';
import { readSettings } from '../crm/settings/company-settings-store.js';
import { DEMO_COMPANY, DEMO_USERS } from './demo-users.js';
import { isDemoDatabase, seedDemo } from './seed-demo.js';

describe.each(TEST_DIALECTS)('the demo seed on %s', (dialect) => {
  let database: TestDatabase;
  afterEach(async () => {
    await database.cleanup();
  });

  it('creates the company settings and the four demo accounts with password demo', async () => {
    database = await openTestDatabase(dialect);
    expect(await isDemoDatabase(database.db)).toBe(false);
    await readSettings(database.db);
    const result = await seedDemo(database.db, { now: new Date('2026-03-02T09:00:00Z') });
    expect(result.seeded).toBe(true);
    expect(result.users.map((u) => u.email)).toEqual(DEMO_USERS.map((u) => u.email));
    const rows = await database.db.selectFrom('users').selectAll().orderBy('email').execute();
    expect(rows.map((r) => [r.email, r.role, r.locale, r.disabled])).toEqual([
      ['admin@example.com', 'admin', 'en', 0],
      ['agent1@example.com', 'agent', 'fr', 0],
      ['agent2@example.com', 'agent', 'ru', 0],
      ['agent3@example.com', 'agent', 'en', 0],
    ]);
    for (const row of rows) {
      expect(await verifyPassword('demo', row.password_hash)).toBe(true);
    }
    // Per-user salts: no two hashes alike.
    expect(new Set(rows.map((r) => r.password_hash)).size).toBe(4);
    expect(rows.every((r) => r.created_at === '2026-03-02T09:00:00.000Z')).toBe(true);
    // The settings written inside the seed's transaction are visible at once (no stale cache).
    expect(await readSettings(database.db)).toMatchObject(DEMO_COMPANY);
    expect(await isDemoDatabase(database.db)).toBe(true);
  });

  it('writes nothing into a database that already has users', async () => {
    database = await openTestDatabase(dialect);
    await createTestUser(database.db, { role: 'admin' });
    const result = await seedDemo(database.db);
    expect(result).toEqual({ seeded: false, users: [] });
    const count = await database.db.selectFrom('users').select('id').execute();
    expect(count).toHaveLength(1);
    expect(await isDemoDatabase(database.db)).toBe(false);
  });
});
