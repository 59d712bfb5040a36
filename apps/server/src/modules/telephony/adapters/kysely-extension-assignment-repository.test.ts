import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from '../../../test-support/test-database.js';
import { insertTestUser } from '../test-support/insert-user.js';
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

  it('moves an extension to its new holder and frees the user’s previous one', async () => {
    const repo = createExtensionAssignmentRepository(database.db);
    const bob = await insertTestUser(database.db, 'Bob');
    const carol = await insertTestUser(database.db, 'Carol');
    await repo.assign('201', bob);
    await repo.assign('202', carol);
    await repo.assign('202', bob);
    expect(await repo.findUserId('202')).toBe(bob);
    expect(await repo.findUserId('201')).toBeNull();
    expect(await repo.findExtension(carol)).toBeNull();
    expect(await repo.unassign('202')).toBe(true);
    expect(await repo.unassign('202')).toBe(false);
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
