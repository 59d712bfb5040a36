/**
 * Migration 0040 from a database at the schema of 0039 with calls in it: the five partial indexes of missed calls
 * hold the same calls under the predicate without an `in` list, the call log's and the statistics' text (a query
 * written with it is answered from each), SQLite no longer builds a temporary B-tree per index when a call's
 * outcome is written, and migrated down they are back as 0039 left them. Both dialects.
 */
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { insertCallRow } from '../../../test-support/insert-call-row.js';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from '../../../test-support/test-database.js';
import { migrateTo } from '../migrate.js';
import { MISSED_PREDICATE } from './0040-missed-predicate-without-in-list.js';

const INDEXES = [
  'calls_missed_idx',
  'calls_missed_open_idx',
  'calls_missed_returned_idx',
  'calls_missed_open_contact_idx',
  'calls_missed_hour_idx',
];
const AT = '2026-03-02T09:30:00.000Z';
const RETURNED = '2026-03-02T09:40:00.000Z';

describe.each(TEST_DIALECTS)(
  'migration 0040 (missed calls’ predicate without an in list) on %s',
  (dialect) => {
    let database: TestDatabase | null = null;

    afterEach(async () => {
      await database?.cleanup();
      database = null;
    });

    /** Each index's definition as the database holds it (spaces folded). */
    async function definitions(): Promise<Map<string, string>> {
      const db = (database as TestDatabase).db;
      const rows =
        dialect === 'sqlite'
          ? await sql<{ name: string; text: string }>`select name, sql as text from sqlite_master
            where type = 'index' and tbl_name = 'calls' and sql is not null`.execute(db)
          : await sql<{
              name: string;
              text: string;
            }>`select indexname as name, indexdef as text from pg_indexes
            where schemaname = current_schema() and tablename = 'calls'`.execute(db);
      return new Map(rows.rows.map((r) => [r.name, r.text.replace(/\s+/g, ' ')]));
    }

    /** How many temporary B-trees SQLite's program for writing a call's outcome opens (one per `in` list evaluated). */
    function ephemeralTablesOfAnOutcomeWrite(): number {
      const sqlite = (database as TestDatabase).sqlite;
      if (!sqlite) {
        throw new Error('no raw SQLite connection');
      }
      const program = sqlite
        .prepare('explain update calls set status = ?, outcome = ? where id = ?')
        .all(null, null, null) as { opcode: string }[];
      return program.filter((op) => op.opcode === 'OpenEphemeral').length;
    }

    it('keeps the missed calls in every index under the comparisons, serves the readers’ text, and goes down to 0039’s predicate', async () => {
      database = await openTestDatabase(dialect, { migrate: false });
      const db = database.db;
      await migrateTo(db, '0039-missed-by-hour-of-week');
      // [id, direction, outcome, return at, return direction]
      const calls = [
        ['missed-open', 'inbound', 'no_answer', null, null],
        ['missed-returned', 'inbound', 'busy', RETURNED, 'out'],
        ['missed-unrouted', 'unknown', 'ivr_hangup', null, null],
        ['talked', 'inbound', 'answered', null, null],
        ['placed', 'outbound', 'no_answer', null, null],
      ] as const;
      for (const [id, direction, outcome, returnAt, returnDirection] of calls) {
        await insertCallRow(db, {
          id,
          direction,
          started_at: AT,
          outcome,
          contact_id: null,
          return_at: returnAt,
          return_direction: returnDirection,
        });
      }
      const before = await definitions();
      const ephemeralBefore = dialect === 'sqlite' ? ephemeralTablesOfAnOutcomeWrite() : 0;

      await migrateTo(db, '0040-missed-predicate-without-in-list');
      const after = await definitions();
      for (const name of INDEXES) {
        expect(before.get(name)).toMatch(/outcome\)? (= any|in) \(/i);
        expect(after.get(name)).not.toMatch(/outcome\)? (= any|in) \(/i);
        expect(after.get(name)).toMatch(/outcome\)? = 'ivr_hangup'/);
      }
      // The missed calls as each index holds them, read with the readers' text (missed-call-condition.test.ts holds it equal).
      const missed = sql.raw(MISSED_PREDICATE);
      const read = async (index: string, more: string) =>
        (
          await sql<{
            id: string;
          }>`select id from calls ${sql.raw(dialect === 'sqlite' ? `indexed by ${index}` : '')}
          where ${missed}${sql.raw(more)} order by id`.execute(db)
        ).rows.map((r) => r.id);
      expect(await read('calls_missed_idx', '')).toEqual([
        'missed-open',
        'missed-returned',
        'missed-unrouted',
      ]);
      expect(await read('calls_missed_open_idx', ' and return_at is null')).toEqual([
        'missed-open',
        'missed-unrouted',
      ]);
      expect(
        await read('calls_missed_returned_idx', " and return_at is not null and return_direction = 'out'"),
      ).toEqual(['missed-returned']);
      if (dialect === 'sqlite') {
        // Of the writes' temporary B-trees only the odd calls' index's lists are left (0021: two, old row and new).
        expect(ephemeralBefore - ephemeralTablesOfAnOutcomeWrite()).toBe(10);
      }

      await migrateTo(db, '0039-missed-by-hour-of-week');
      const down = await definitions();
      for (const name of INDEXES) {
        expect(down.get(name)).toMatch(/outcome\)? (= any|in) \(/i);
        expect(down.get(name)).not.toMatch(/outcome\)? = 'ivr_hangup'/);
      }
      expect(await db.selectFrom('calls').select('id').execute()).toHaveLength(calls.length);
    });
  },
);
