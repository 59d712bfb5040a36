/**
 * Migration 0022 on a database that already holds statistics: the monthly grains it creates hold the sums of
 * the daily ones by UTC month (a day at the end of a month stays in its month, whatever the session's time
 * zone), on both dialects.
 */
import type { Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from '../../../test-support/test-database.js';
import { migrateTo, migrateToLatest } from '../migrate.js';

// biome-ignore lint/suspicious/noExplicitAny: the tables are filled at the schema of 0020
type Untyped = Kysely<any>;

const dayOf = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;
const monthOf = (year: number, month: number) => (year - 1970) * 12 + month - 1;

describe.each(TEST_DIALECTS)('migration 0022 (monthly rollups) on %s', (dialect) => {
  let database: TestDatabase | null = null;

  afterEach(async () => {
    await database?.cleanup();
    database = null;
  });

  it('fills the monthly grains from the daily ones, by UTC month, and the team tallies from its hours', async () => {
    database = await openTestDatabase(dialect, { migrate: false });
    await migrateTo(database.db, '0020-wrap-up-cards');
    const db = database.db as unknown as Untyped;
    const cell = (day: string, outcome: string, calls: number) => ({
      day: dayOf(day),
      extension: '101',
      direction: 'in',
      outcome,
      calls,
      talk_seconds: calls * 60,
      wait_seconds: calls * 5,
    });
    await db
      .insertInto('call_rollups_daily')
      .values([
        cell('2025-01-31', 'answered', 2),
        cell('2025-02-01', 'answered', 3),
        cell('2025-02-28', 'answered', 4),
        cell('2025-02-28', 'busy', 1),
        cell('2024-12-31', 'answered', 7),
      ])
      .execute();
    await db
      .insertInto('call_missed_rollups_daily')
      .values([
        { day: dayOf('2025-02-01'), extension: '101', fate: 'r30', calls: 1, return_seconds: 600 },
        { day: dayOf('2025-02-28'), extension: '101', fate: 'r30', calls: 2, return_seconds: 900 },
        { day: dayOf('2025-03-01'), extension: '', fate: 'open', calls: 5, return_seconds: 0 },
      ])
      .execute();
    const team = (hour: number, direction: string, outcome: string, calls: number) => ({
      hour,
      direction,
      outcome,
      calls,
      talk_seconds: 0,
      wait_seconds: 0,
    });
    await db
      .insertInto('call_rollups_team')
      .values([
        team(480_000, 'in', 'answered', 4),
        team(480_000, 'in', 'busy', 2),
        team(480_000, 'out', 'answered', 3),
        team(480_000, 'out', 'no_answer', 1),
        team(480_001, 'in', 'ivr_hangup', 5),
      ])
      .execute();
    await migrateToLatest(database.db);
    // The team's hourly tallies: all, answered either way, inbound, inbound missed.
    const tallies = await database.db.selectFrom('call_tallies_team').selectAll().orderBy('hour').execute();
    expect(tallies.map((r) => [r.hour, r.calls, r.answered, r.inbound, r.missed].map(Number))).toEqual([
      [480_000, 10, 7, 6, 2],
      [480_001, 5, 0, 5, 5],
    ]);
    const monthly = await database.db
      .selectFrom('call_rollups_monthly')
      .selectAll()
      .orderBy('month')
      .orderBy('outcome')
      .execute();
    expect(monthly.map((r) => [Number(r.month), r.outcome, Number(r.calls), Number(r.talk_seconds)])).toEqual(
      [
        [monthOf(2024, 12), 'answered', 7, 420],
        [monthOf(2025, 1), 'answered', 2, 120],
        [monthOf(2025, 2), 'answered', 7, 420],
        [monthOf(2025, 2), 'busy', 1, 60],
      ],
    );
    const missed = await database.db
      .selectFrom('call_missed_rollups_monthly')
      .selectAll()
      .orderBy('month')
      .execute();
    expect(
      missed.map((r) => [Number(r.month), r.extension, r.fate, Number(r.calls), Number(r.return_seconds)]),
    ).toEqual([
      [monthOf(2025, 2), '101', 'r30', 3, 1500],
      [monthOf(2025, 3), '', 'open', 5, 0],
    ]);
  });
});
