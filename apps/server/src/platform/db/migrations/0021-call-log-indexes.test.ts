/**
 * Migration 0021 from a database at the schema of 0020 with calls in it: the call log's indexes appear (and go
 * again when migrated down), the calls stay as they were, on both dialects.
 */
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { indexNames } from '../../../test-support/index-names.js';
import { insertCallRow } from '../../../test-support/insert-call-row.js';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from '../../../test-support/test-database.js';
import { migrateTo, migrateToLatest } from '../migrate.js';

const INDEXES = [
  'calls_log_agent_idx',
  'calls_log_contact_idx',
  'calls_log_dims_idx',
  'calls_log_odd_idx',
  'calls_log_user_idx',
];
const AT = '2026-02-01T09:30:00.000Z';

describe.each(TEST_DIALECTS)('migration 0021 (call log indexes) on %s', (dialect) => {
  let database: TestDatabase | null = null;

  afterEach(async () => {
    await database?.cleanup();
    database = null;
  });

  const logIndexes = () => indexNames((database as TestDatabase).db, dialect, 'calls', 'calls_log_%');

  /** PostgreSQL's joint statistics of the stream columns (none on SQLite). */
  async function dimsStatistics(): Promise<string[]> {
    if (dialect === 'sqlite') {
      return [];
    }
    const rows = await sql<{ name: string }>`select stxname as name from pg_statistic_ext
      where stxnamespace = current_schema()::regnamespace`.execute((database as TestDatabase).db);
    return rows.rows.map((r) => r.name);
  }

  it('adds the call log’s indexes over the calls already there, and removes them going down', async () => {
    database = await openTestDatabase(dialect, { migrate: false });
    await migrateTo(database.db, '0020-wrap-up-cards');
    for (const [i, outcome] of ['answered', null, 'failed'].entries()) {
      await insertCallRow(database.db, {
        id: `c${i}`,
        pbx_call_id: `in_${i}`,
        direction: 'inbound',
        status: 'answered',
        started_at: AT,
        outcome,
      });
    }
    expect(await logIndexes()).toEqual([]);
    await migrateToLatest(database.db);
    expect(await logIndexes()).toEqual(INDEXES);
    expect(await dimsStatistics()).toEqual(dialect === 'postgres' ? ['calls_log_dims_stats'] : []);
    const calls = await database.db.selectFrom('calls').select(['id', 'outcome']).orderBy('id').execute();
    expect(calls).toEqual([
      { id: 'c0', outcome: 'answered' },
      { id: 'c1', outcome: null },
      { id: 'c2', outcome: 'failed' },
    ]);
    await migrateTo(database.db, '0020-wrap-up-cards');
    expect(await logIndexes()).toEqual([]);
    expect(await dimsStatistics()).toEqual([]);
  });
});
