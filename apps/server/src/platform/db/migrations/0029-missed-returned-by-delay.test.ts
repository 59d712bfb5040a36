/**
 * Migration 0029 from a database at the schema of 0026 with calls in it: the index of the missed calls we returned,
 * by delay, appears over the calls already there and serves a range over the delay (the call log's `fate` classes
 * "returned within N minutes" / "within 24 h"), and goes again when migrated down, on both dialects.
 */
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { indexNames } from '../../../test-support/index-names.js';
import { insertCallRow } from '../../../test-support/insert-call-row.js';
import { queryPlan } from '../../../test-support/query-plan.js';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from '../../../test-support/test-database.js';
import { migrateTo } from '../migrate.js';
import { MISSED_RETURNED_PREDICATE, RETURN_DELAY_MS } from './0029-missed-returned-by-delay.js';

const AT = '2026-02-01T09:30:00.000Z';
const minutesAfter = (minutes: number) => new Date(Date.parse(AT) + minutes * 60_000).toISOString();

describe.each(TEST_DIALECTS)('migration 0029 (missed calls returned, by delay) on %s', (dialect) => {
  let database: TestDatabase | null = null;

  afterEach(async () => {
    await database?.cleanup();
    database = null;
  });

  async function hasIndex(): Promise<boolean> {
    const db = (database as TestDatabase).db;
    return (await indexNames(db, dialect, 'calls', 'calls_missed_returned_idx')).length === 1;
  }

  /** The calls we returned within `minutes`, read through the delay as the call log compares it. */
  const returnedWithin = (minutes: number) => {
    const delay = RETURN_DELAY_MS[dialect];
    return sql<{ id: string }>`select id from calls
      where ${sql.raw(MISSED_RETURNED_PREDICATE)} and ${sql.raw(delay)} < ${sql.lit(minutes * 60_000 + 500)}
      order by started_at desc, id desc limit 50`;
  };

  it('indexes the missed calls we returned by their delay, serves a delay range, and goes down', async () => {
    database = await openTestDatabase(dialect, { migrate: false });
    const db = database.db;
    await migrateTo(db, '0026-agent-rollups-covering-index');
    // [id, direction, outcome, returned after (minutes), returned by]
    const calls = [
      ['soon', 'inbound', 'no_answer', 10, 'out'],
      ['late', 'inbound', 'busy', 600, 'out'],
      ['theirs', 'inbound', 'cancelled', 5, 'in'],
      ['open', 'inbound', 'no_answer', null, null],
      ['talked', 'inbound', 'answered', null, null],
    ] as const;
    for (const [id, direction, outcome, after, by] of calls) {
      await insertCallRow(db, {
        id,
        direction,
        started_at: AT,
        outcome,
        return_at: after === null ? null : minutesAfter(after),
        return_direction: by,
      });
    }
    expect(await hasIndex()).toBe(false);
    // Up to this migration only: a later one (0040) rewrites the predicate this test reads in its frozen form.
    await migrateTo(db, '0029-missed-returned-by-delay');
    expect(await hasIndex()).toBe(true);
    expect((await returnedWithin(30).execute(db)).rows).toEqual([{ id: 'soon' }]);
    expect((await returnedWithin(24 * 60).execute(db)).rows.map((r) => r.id).sort()).toEqual([
      'late',
      'soon',
    ]);
    // The planner matches the delay to the index (the query's text has its values inlined: no parameters).
    expect(await queryPlan(db, dialect, returnedWithin(30).compile(db).sql)).toContain(
      'calls_missed_returned_idx',
    );
    await migrateTo(db, '0026-agent-rollups-covering-index');
    expect(await hasIndex()).toBe(false);
    expect(await db.selectFrom('calls').select('id').orderBy('id').execute()).toHaveLength(calls.length);
  });
});
