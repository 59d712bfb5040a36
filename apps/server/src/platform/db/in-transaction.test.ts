import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from '../../test-support/test-database.js';
import { inTransaction } from './in-transaction.js';

describe.each(TEST_DIALECTS)('inTransaction on %s', (dialect) => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await openTestDatabase(dialect);
  });
  afterEach(async () => {
    await database.cleanup();
  });

  const write = (key: string) => ({ key, value: '1', updated_at: '2026-01-01T00:00:00.000Z' });
  const keys = async () =>
    (
      await database.db
        .selectFrom('settings')
        .select('key')
        .where('key', 'like', 'it.%')
        .orderBy('key')
        .execute()
    ).map((r) => r.key);

  it('opens its own transaction when called alone: all or nothing', async () => {
    await inTransaction(database.db, async (trx) => {
      await trx.insertInto('settings').values(write('it.alone')).execute();
    });
    await expect(
      inTransaction(database.db, async (trx) => {
        await trx.insertInto('settings').values(write('it.undone')).execute();
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await keys()).toEqual(['it.alone']);
  });

  it("joins the caller's transaction: sees its writes, and is rolled back with it", async () => {
    await expect(
      database.db.transaction().execute(async (outer) => {
        await outer.insertInto('settings').values(write('it.outer')).execute();
        const seen = await inTransaction(outer, async (trx) => {
          await trx.insertInto('settings').values(write('it.inner')).execute();
          return trx.selectFrom('settings').select('key').where('key', 'like', 'it.%').execute();
        });
        expect(seen.map((r) => r.key).sort()).toEqual(['it.inner', 'it.outer']);
        throw new Error('the caller fails afterwards');
      }),
    ).rejects.toThrow('the caller fails afterwards');
    expect(await keys()).toEqual([]);
  });
});
