import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from '../../test-support/test-database.js';
import { createBlacklistRepository } from './blacklist-repository.js';
import { insertTestUser } from './test-support/insert-user.js';

describe.each(TEST_DIALECTS)('the blacklist on %s', (dialect) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(dialect);
  });
  afterAll(async () => {
    await database.cleanup();
  });

  it('adds, finds and removes a number', async () => {
    const repo = createBlacklistRepository(database.db);
    const admin = await insertTestUser(database.db, 'Admin');
    const entry = await repo.add(
      { e164: '+442037691880', reason: 'spam calls', createdBy: admin },
      '2024-05-14T00:00:00.000Z',
    );
    expect(entry).toMatchObject({ e164: '+442037691880', reason: 'spam calls', createdBy: admin });
    expect(await repo.isBlacklisted('+442037691880')).toBe(true);
    expect(await repo.isBlacklisted('+442037691881')).toBe(false);
    expect(await repo.remove('+442037691880')).toBe(true);
    expect(await repo.isBlacklisted('+442037691880')).toBe(false);
    expect(await repo.remove('+442037691880')).toBe(false);
  });

  it('keeps the first entry when a number is added twice', async () => {
    const repo = createBlacklistRepository(database.db);
    const first = await repo.add({ e164: '+33612345678', reason: 'first' });
    const again = await repo.add({ e164: '+33612345678', reason: 'second' });
    expect(again).toEqual(first);
    expect((await repo.list()).filter((e) => e.e164 === '+33612345678')).toHaveLength(1);
  });
});
