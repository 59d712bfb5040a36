/**
 * Migration 0042 from a database at the schema of 0041 with calls in it: `calls_log_odd_idx` holds the same odd
 * calls under the predicate without `in` lists (the call log's text reads them from it), SQLite's program for a
 * call's write no longer opens a temporary B-tree for any index, and migrated down the index is back as 0021 made
 * it. Both dialects.
 */
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { insertCallRow } from '../../../test-support/insert-call-row.js';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from '../../../test-support/test-database.js';
import { migrateTo, migrateToLatest } from '../migrate.js';
import { ODD_CALL_PREDICATE } from './0042-odd-calls-predicate-without-in-list.js';

const AT = '2026-03-02T09:30:00.000Z';
const BEFORE = '0041-transcript-call-start';

describe.each(TEST_DIALECTS)('migration 0042 (odd calls’ predicate without in lists) on %s', (dialect) => {
  let database: TestDatabase | null = null;

  afterEach(async () => {
    await database?.cleanup();
    database = null;
  });

  /** The odd calls' index definition as the database holds it (spaces folded). */
  async function definition(): Promise<string> {
    const db = (database as TestDatabase).db;
    const rows =
      dialect === 'sqlite'
        ? await sql<{
            text: string;
          }>`select sql as text from sqlite_master where name = 'calls_log_odd_idx'`.execute(db)
        : await sql<{ text: string }>`select indexdef as text from pg_indexes
            where schemaname = current_schema() and indexname = 'calls_log_odd_idx'`.execute(db);
    return (rows.rows[0]?.text ?? '').replace(/\s+/g, ' ');
  }

  /** Temporary B-trees opened by SQLite's programs for inserting a call and for writing its outcome. */
  function ephemeralTablesOfCallWrites(): number {
    const sqlite = (database as TestDatabase).sqlite;
    if (!sqlite) {
      throw new Error('no raw SQLite connection');
    }
    const programs = [
      sqlite.prepare('explain update calls set status = ?, outcome = ? where id = ?').all(null, null, null),
      sqlite
        .prepare(
          'explain insert into calls (id, direction, outcome, is_recorded, started_at) values (?, ?, ?, ?, ?)',
        )
        .all(null, null, null, null, null),
    ] as { opcode: string }[][];
    return programs.flat().filter((op) => op.opcode === 'OpenEphemeral').length;
  }

  it('keeps the odd calls in the index, serves the call log’s text, leaves no temporary B-tree to a write, and goes down', async () => {
    database = await openTestDatabase(dialect, { migrate: false });
    const db = database.db;
    await migrateTo(db, BEFORE);
    // [id, direction, outcome, is_recorded]
    const calls = [
      ['plain', 'inbound', 'answered', 0],
      ['no-outcome', 'inbound', null, 0],
      ['odd-direction', 'sideways', 'answered', 1],
      ['odd-outcome', 'outbound', 'vanished', 0],
      ['odd-recorded', 'inbound', 'busy', 2],
    ] as const;
    for (const [id, direction, outcome, isRecorded] of calls) {
      await insertCallRow(db, { id, direction, outcome, is_recorded: isRecorded, started_at: AT });
    }
    const before = await definition();
    const ephemeralBefore = dialect === 'sqlite' ? ephemeralTablesOfCallWrites() : 0;

    await migrateToLatest(db);
    expect(before).toMatch(/not in|<> all|<> ALL/i);
    expect(await definition()).not.toMatch(/not in|<> all/i);
    const odd = (
      await sql<{
        id: string;
      }>`select id from calls ${sql.raw(dialect === 'sqlite' ? 'indexed by calls_log_odd_idx' : '')}
        where ${sql.raw(ODD_CALL_PREDICATE)} order by id`.execute(db)
    ).rows.map((r) => r.id);
    expect(odd).toEqual(['no-outcome', 'odd-direction', 'odd-outcome', 'odd-recorded']);
    if (dialect === 'sqlite') {
      // 0021's lists were the last: two on an insert (the row), four on an outcome write (old row and new).
      expect(ephemeralBefore).toBeGreaterThan(0);
      expect(ephemeralTablesOfCallWrites()).toBe(0);
    }

    await migrateTo(db, BEFORE);
    expect(await definition()).toBe(before);
    expect(await db.selectFrom('calls').select('id').execute()).toHaveLength(calls.length);
  });
});
