/**
 * Migration 0037 from a database at the schema before it with transcripts in it: each transcript gets its call's
 * start (the bound the call log's "said" reads by), none for a transcript of no call; migrated down, the column is
 * gone. Both dialects.
 */
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { insertCallRow } from '../../../test-support/insert-call-row.js';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from '../../../test-support/test-database.js';
import { migrateTo, migrateToLatest } from '../migrate.js';
import { migration0039MissedByHourOfWeek } from './0039-missed-by-hour-of-week.js';

const AT = '2026-02-01T09:30:00.000Z';
const STARTED = '2026-02-01T09:00:00.000Z';
const BEFORE = '0032-missed-open-by-contact-covering';

describe.each(TEST_DIALECTS)('migration 0037 (a transcript’s copy of its call’s start) on %s', (dialect) => {
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
    const columns = (await db.introspection.getTables()).find((t) => t.name === 'call_transcripts')?.columns;
    expect(columns?.map((c) => c.name)).not.toContain('call_started_at');
  });

  it('runs on a database that ran 0039 before 0037 was merged (numbers handed out to parallel branches)', async () => {
    database = await openTestDatabase(dialect, { migrate: false });
    const db = database.db;
    await migrateTo(db, BEFORE);
    await migration0039MissedByHourOfWeek.up(db);
    await sql`insert into kysely_migration (name, timestamp)
      values ('0039-missed-by-hour-of-week', ${new Date().toISOString()})`.execute(db);
    expect(await migrateToLatest(db)).toEqual(['0037-transcript-call-start']);
  });
});
