/**
 * Migration 0041 from a database at the schema before it with transcripts in it: each transcript gets its call's
 * start (the bound the call log's "said" reads by), none for a transcript of no call; migrated down, the column is
 * gone. Both dialects.
 */
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { insertCallRow } from '../../../test-support/insert-call-row.js';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from '../../../test-support/test-database.js';
import { migrateTo, migrateToLatest } from '../migrate.js';

const AT = '2026-02-01T09:30:00.000Z';
const STARTED = '2026-02-01T09:00:00.000Z';
const BEFORE = '0040-missed-predicate-without-in-list';

describe.each(TEST_DIALECTS)('migration 0041 (a transcript’s copy of its call’s start) on %s', (dialect) => {
  let database: TestDatabase | null = null;

  afterEach(async () => {
    await database?.cleanup();
    database = null;
  });

  it('copies each call’s start onto its transcripts, and goes down', async () => {
    database = await openTestDatabase(dialect, { migrate: false });
    const db = database.db;
    await migrateTo(db, BEFORE);
    await insertCallRow(db, {
      id: 'call',
      direction: 'inbound',
      outcome: 'answered',
      started_at: STARTED,
      created_at: AT,
      updated_at: AT,
    });
    for (const [id, callId] of [
      ['rec-call', 'call'],
      ['rec-none', null],
    ] as const) {
      await sql`insert into call_recordings (id, call_id, pbx_call_id, recording_id, status, created_at)
        values (${id}, ${callId}, ${`pbx-${id}`}, ${id}, 'stored', ${AT})`.execute(db);
      await sql`insert into call_transcripts (recording_id, call_id, lang, phrases, search_text, created_at)
        values (${id}, ${callId}, 'en', '[]', 'hello', ${AT})`.execute(db);
    }
    await migrateToLatest(db);
    const rows = await db
      .selectFrom('call_transcripts')
      .select(['recording_id', 'call_started_at'])
      .orderBy('recording_id')
      .execute();
    expect(rows).toEqual([
      { recording_id: 'rec-call', call_started_at: STARTED },
      { recording_id: 'rec-none', call_started_at: null },
    ]);
    await migrateTo(db, BEFORE);
    // This schema's table only: on PostgreSQL Kysely's introspection lists every schema's, and the suites running
    // beside this one have a call_transcripts of their own (at the latest schema).
    const columns =
      dialect === 'sqlite'
        ? await sql<{ name: string }>`select name from pragma_table_info('call_transcripts')`.execute(db)
        : await sql<{ name: string }>`select column_name as name from information_schema.columns
            where table_schema = current_schema() and table_name = 'call_transcripts'`.execute(db);
    expect(columns.rows.map((c) => c.name)).toContain('recording_id');
    expect(columns.rows.map((c) => c.name)).not.toContain('call_started_at');
  });
});
