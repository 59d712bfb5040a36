/**
 * Migration 0045 from a database at the schema of 0044 with calls of several extensions: the extension index is
 * gone, the call log's stream of one extension reads `calls_log_agent_idx` (no scan; on SQLite no sort) with
 * the same calls as before, and migrated down the index is back. Both dialects.
 */
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { indexNames } from '../../../test-support/index-names.js';
import { insertCallRow } from '../../../test-support/insert-call-row.js';
import { queryPlan } from '../../../test-support/query-plan.js';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from '../../../test-support/test-database.js';
import { migrateTo, migrateToLatest } from '../migrate.js';

const BEFORE = '0044-drop-subset-client-indexes';
const DROPPED = 'calls_agent_extension_idx';

/** One stream of the call log filtered by extension (kysely-call-log.ts `arm`), as literals to explain. */
const extensionStream =
  "select id from calls where agent_extension = '101' and direction = 'inbound' and outcome = 'no_answer' " +
  'and is_recorded = 0 order by started_at desc, id desc limit 50';

describe.each(TEST_DIALECTS)('migration 0045 (the extension index dropped) on %s', (dialect) => {
  let database: TestDatabase | null = null;

  afterEach(async () => {
    await database?.cleanup();
    database = null;
  });

  it('reads an extension’s calls from the call log’s index, and goes down', async () => {
    database = await openTestDatabase(dialect, { migrate: false });
    const db = database.db;
    await migrateTo(db, BEFORE);
    // Calls of many extensions, so that the planners see an extension as the selective key it is at scale.
    for (let n = 0; n < 300; n++) {
      await insertCallRow(db, {
        id: `call-${String(n).padStart(3, '0')}`,
        direction: 'inbound',
        outcome: n % 3 === 0 ? 'no_answer' : 'answered',
        started_at: `2026-03-02T${String(8 + (n % 10)).padStart(2, '0')}:${String(n % 60).padStart(2, '0')}:00.000Z`,
        agent_extension: String(100 + (n % 25)),
      });
    }
    const page = async () =>
      (await sql<{ id: string }>`${sql.raw(extensionStream)}`.execute(db)).rows.map((r) => r.id);
    const before = await page();
    expect(before.length).toBeGreaterThan(0);
    expect(await indexNames(db, dialect, 'calls', DROPPED)).toEqual([DROPPED]);

    await migrateToLatest(db);
    await sql`analyze calls`.execute(db);
    expect(await indexNames(db, dialect, 'calls', DROPPED)).toEqual([]);
    const explained = await queryPlan(db, dialect, extensionStream);
    expect(explained).toContain('calls_log_agent_idx');
    // PostgreSQL sorts the test's few matching rows rather than read the index in order; SQLite reads it in order.
    expect(explained).not.toMatch(dialect === 'sqlite' ? /SCAN calls|TEMP B-TREE/ : /Seq Scan/);
    expect(await page()).toEqual(before);

    await migrateTo(db, BEFORE);
    expect(await indexNames(db, dialect, 'calls', DROPPED)).toEqual([DROPPED]);
  });
});
