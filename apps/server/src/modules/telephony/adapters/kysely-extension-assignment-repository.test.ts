import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertTestUser } from '../../../test-support/insert-user.js';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from '../../../test-support/test-database.js';
import { createExtensionAssignmentRepository } from './kysely-extension-assignment-repository.js';

describe.each(TEST_DIALECTS)('extension assignments on %s', (dialect) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(dialect);
  });
  afterAll(async () => {
    await database.cleanup();
  });

  it('maps an extension to one user and back', async () => {
    const repo = createExtensionAssignmentRepository(database.db);
    const alice = await insertTestUser(database.db, 'Alice');
    await repo.assign('101', alice, '2024-05-14T00:00:00.000Z');
    expect(await repo.findUserId('101')).toBe(alice);
    expect(await repo.findExtension(alice)).toBe('101');
    expect(await repo.findUserId('999')).toBeNull();
  });

  it('never takes an extension from its holder nor gives a user a second one', async () => {
    const repo = createExtensionAssignmentRepository(database.db);
    const bob = await insertTestUser(database.db, 'Bob');
    const carol = await insertTestUser(database.db, 'Carol');
    expect(await repo.assign('201', bob)).toMatchObject({ extension: '201', userId: bob });
    expect(await repo.assign('202', carol)).toMatchObject({ extension: '202', userId: carol });
    expect(await repo.assign('202', bob)).toBeNull();
    expect(await repo.assign('203', bob)).toBeNull();
    expect(await repo.findUserId('202')).toBe(carol);
    expect(await repo.findExtension(bob)).toBe('201');
    expect(await repo.unassign('202')).toBe(true);
    expect(await repo.unassign('202')).toBe(false);
    expect(await repo.assign('202', carol)).not.toBeNull();
  });

  it('lists holdings with the holders’ names in extension order', async () => {
    const repo = createExtensionAssignmentRepository(database.db);
    const holdings = await repo.listHoldings();
    expect(holdings.map((h) => h.extension)).toEqual([...holdings.map((h) => h.extension)].sort());
    expect(holdings).toContainEqual({ extension: '202', userId: expect.any(String), userName: 'Carol' });
  });

  it('refuses a second extension for the same user at the database level', async () => {
    const dave = await insertTestUser(database.db, 'Dave');
    const now = new Date().toISOString();
    await database.db
      .insertInto('extension_assignments')
      .values({ extension: '301', user_id: dave, created_at: now })
      .execute();
    await expect(
      database.db
        .insertInto('extension_assignments')
        .values({ extension: '302', user_id: dave, created_at: now })
        .execute(),
    ).rejects.toThrow(/unique|UNIQUE/);
  });

  it('lists assignments by extension', async () => {
    const repo = createExtensionAssignmentRepository(database.db);
    const list = await repo.list();
    expect(list.map((a) => a.extension)).toEqual([...list.map((a) => a.extension)].sort());
    expect(list.length).toBeGreaterThanOrEqual(2);
  });
});
