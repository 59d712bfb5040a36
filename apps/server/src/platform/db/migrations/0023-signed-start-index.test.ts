/**
 * Migration 0023 from a database at the schema of 0022 with calls in it: the signed-start index appears over the
 * calls already there (and goes again when migrated down), the calls stay as they were, on both dialects.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { indexNames } from '../../../test-support/index-names.js';
import { insertCallRow } from '../../../test-support/insert-call-row.js';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from '../../../test-support/test-database.js';
import { migrateTo, migrateToLatest } from '../migrate.js';

const AT = '2026-02-01T09:30:00.000Z';

describe.each(TEST_DIALECTS)('migration 0023 (signed start index) on %s', (dialect) => {
  let database: TestDatabase | null = null;

  afterEach(async () => {
    await database?.cleanup();
    database = null;
  });

  const signedIndexes = () =>
    indexNames((database as TestDatabase).db, dialect, 'calls', 'calls_signed_start_idx');

  it('indexes the calls already there by signed caller and start, and removes the index going down', async () => {
    database = await openTestDatabase(dialect, { migrate: false });
    await migrateTo(database.db, '0022-monthly-call-rollups');
    for (const [i, caller] of ['442071234567', '442071234567', '33612345678'].entries()) {
      await insertCallRow(database.db, {
        id: `c${i}`,
        pbx_call_id: `in_${i}`,
        direction: 'inbound',
        status: 'ringing',
        caller_id: caller,
        call_start: '2026-02-01 09:30:00',
        started_at: AT,
        created_at: `2026-02-01T09:30:0${i}.000Z`,
        updated_at: AT,
      });
    }
    expect(await signedIndexes()).toEqual([]);
    await migrateToLatest(database.db);
    expect(await signedIndexes()).toEqual(['calls_signed_start_idx']);
    const first = await database.db
      .selectFrom('calls')
      .select('pbx_call_id')
      .where('caller_id', '=', '442071234567')
      .where('started_at', '=', AT)
      .orderBy('created_at')
      .executeTakeFirst();
    expect(first?.pbx_call_id).toBe('in_0');
    expect(await database.db.selectFrom('calls').select('id').orderBy('id').execute()).toEqual([
      { id: 'c0' },
      { id: 'c1' },
      { id: 'c2' },
    ]);
    await migrateTo(database.db, '0022-monthly-call-rollups');
    expect(await signedIndexes()).toEqual([]);
  });
});
