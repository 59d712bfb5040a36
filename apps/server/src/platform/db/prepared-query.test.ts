/**
 * A query compiled once runs with each call's own arguments, keeps its constants, and works inside a transaction,
 * on both dialects.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertTestUser } from '../../test-support/insert-user.js';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from '../../test-support/test-database.js';
import { inTransaction } from './in-transaction.js';
import { preparedQuery } from './prepared-query.js';

const activeUserNamed = preparedQuery((db, name: string) =>
  db.selectFrom('users').select(['id', 'name']).where('name', '=', name).where('disabled', '=', 0),
);
const rename = preparedQuery((db, id: string, name: string) =>
  db.updateTable('users').set({ name }).where('id', '=', id),
);

describe.each(TEST_DIALECTS)('preparedQuery on %s', (dialect) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(dialect);
  });
  afterAll(async () => {
    await database?.cleanup();
  });

  it('runs with each call’s arguments and keeps the query’s constants', async () => {
    const olga = await insertTestUser(database.db, 'Olga');
    const tom = await insertTestUser(database.db, 'Tom');
    await database.db.updateTable('users').set({ disabled: 1 }).where('id', '=', tom).execute();
    expect((await activeUserNamed(database.db, 'Olga')).rows).toEqual([{ id: olga, name: 'Olga' }]);
    // Same compiled query, other argument; the constant `disabled = 0` still filters Tom out.
    expect((await activeUserNamed(database.db, 'Tom')).rows).toEqual([]);
    const changed = await inTransaction(database.db, (trx) => rename(trx, olga, 'Olga B.'));
    expect(Number(changed.numAffectedRows)).toBe(1);
    expect((await activeUserNamed(database.db, 'Olga B.')).rows).toEqual([{ id: olga, name: 'Olga B.' }]);
    expect(Number((await rename(database.db, 'no-such-user', 'x')).numAffectedRows)).toBe(0);
  });
});
