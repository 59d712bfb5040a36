/**
 * Migration 0039 from a database at the schema of 0032 with calls in it: the index of missed calls by UTC hour of
 * the week serves a heatmap run's query (the call log's expression is the index's: kysely-call-log.test.ts holds
 * them equal), which finds exactly the run's missed calls; migrated down, it is gone. Both dialects.
 */
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { insertCallRow } from '../../../test-support/insert-call-row.js';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from '../../../test-support/test-database.js';
import { migrateTo } from '../migrate.js';
import { MISSED_PREDICATE, UTC_HOUR_OF_WEEK } from './0039-missed-by-hour-of-week.js';

const AT = '2026-02-01T09:30:00.000Z';
/** 2026-03-02 09:30 UTC, a Monday: hours since 1970 modulo a week, as `weeklyRuns` counts them. */
const MONDAY = '2026-03-02T09:30:00.000Z';
const MONDAY_HOUR = Math.floor(Date.parse(MONDAY) / 3_600_000) % 168;

describe.each(TEST_DIALECTS)('migration 0039 (missed calls by hour of the week) on %s', (dialect) => {
  let database: TestDatabase | null = null;

  afterEach(async () => {
    await database?.cleanup();
    database = null;
  });

  async function indexExists(): Promise<boolean> {
    const db = (database as TestDatabase).db;
    const rows =
      dialect === 'sqlite'
        ? await sql`select name from sqlite_master where type = 'index' and name = 'calls_missed_hour_idx'`.execute(
            db,
          )
        : await sql`select indexname from pg_indexes
            where schemaname = current_schema() and indexname = 'calls_missed_hour_idx'`.execute(db);
    return rows.rows.length === 1;
  }

  it('holds the missed calls under their hour, serves a run’s query, and goes down', async () => {
    database = await openTestDatabase(dialect, { migrate: false });
    const db = database.db;
    await migrateTo(db, '0032-missed-open-by-contact-covering');
    // [id, direction, outcome, started at]
    const calls = [
      ['missed', 'inbound', 'no_answer', MONDAY],
      ['missed-unrouted', 'unknown', 'ivr_hangup', MONDAY],
      ['missed-other-hour', 'inbound', 'busy', '2026-03-02T10:30:00.000Z'],
      ['talked', 'inbound', 'answered', MONDAY],
      ['placed', 'outbound', 'no_answer', MONDAY],
    ] as const;
    for (const [id, direction, outcome, startedAt] of calls) {
      await insertCallRow(db, {
        id,
        direction,
        started_at: startedAt,
        outcome,
        created_at: AT,
        updated_at: AT,
      });
    }
    expect(await indexExists()).toBe(false);
    // Up to this migration only: a later one (0040) rewrites the predicate this test reads in its frozen form.
    await migrateTo(db, '0039-missed-by-hour-of-week');
    expect(await indexExists()).toBe(true);
    const run = sql<{ id: string }>`select k.id from calls as k ${sql.raw(
      dialect === 'sqlite' ? 'indexed by calls_missed_hour_idx' : '',
    )}
      where k.started_at >= ${'2026-02-23T00:00:00.000Z'} and k.started_at < ${'2026-03-09T00:00:00.000Z'}
        and (${sql.raw(MISSED_PREDICATE.replace(/\b(direction|outcome)\b/g, 'k.$1'))})
        and ${sql.raw(UTC_HOUR_OF_WEEK[dialect].replace(/\bstarted_at\b/g, 'k.started_at'))} in (${sql.lit(MONDAY_HOUR)})
      order by k.started_at desc, k.id desc`;
    expect((await run.execute(db)).rows.map((r) => r.id)).toEqual(['missed-unrouted', 'missed']);
    if (dialect === 'sqlite') {
      // The missed calls counted on the index: each has its entry.
      const entries = await sql<{
        n: number;
      }>`select count(*) as n from calls indexed by calls_missed_hour_idx
        where ${sql.raw(MISSED_PREDICATE)}`.execute(db);
      expect(Number(entries.rows[0]?.n)).toBe(3);
    }
    await migrateTo(db, '0032-missed-open-by-contact-covering');
    expect(await indexExists()).toBe(false);
    expect(await db.selectFrom('calls').select('id').execute()).toHaveLength(calls.length);
  });
});
