/**
 * Migration 0031 on a database that already holds statistics: each extension's hourly tallies it creates hold
 * the sums of the hourly rollups of that extension and hour (all calls, answered either way, inbound, inbound
 * missed), the unattributed calls under '' like the rollups, on both dialects.
 */
import type { Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from '../../../test-support/test-database.js';
import { migrateTo, migrateToLatest } from '../migrate.js';

// biome-ignore lint/suspicious/noExplicitAny: the tables are filled at the schema of 0030
type Untyped = Kysely<any>;

describe.each(TEST_DIALECTS)('migration 0031 (extension hour tallies) on %s', (dialect) => {
  let database: TestDatabase | null = null;

  afterEach(async () => {
    await database?.cleanup();
    database = null;
  });

  it("fills each extension's hourly tallies from the hourly rollups", async () => {
    database = await openTestDatabase(dialect, { migrate: false });
    await migrateTo(database.db, '0030-inbox-routing-refusal');
    const db = database.db as unknown as Untyped;
    const cell = (hour: number, extension: string, direction: string, outcome: string, calls: number) => ({
      hour,
      extension,
      direction,
      outcome,
      calls,
      talk_seconds: calls * 60,
      wait_seconds: calls * 5,
    });
    await db
      .insertInto('call_rollups')
      .values([
        cell(480_000, '101', 'in', 'answered', 4),
        cell(480_000, '101', 'in', 'busy', 2),
        cell(480_000, '101', 'out', 'answered', 3),
        cell(480_000, '101', 'out', 'no_answer', 1),
        cell(480_000, '102', 'in', 'failed', 1),
        cell(480_001, '101', 'in', 'cancelled', 5),
        cell(480_001, '', 'in', 'ivr_hangup', 6),
        cell(480_001, '', 'in', 'blacklisted', 2),
      ])
      .execute();
    await migrateToLatest(database.db);
    const tallies = await database.db
      .selectFrom('call_tallies_extension')
      .selectAll()
      .orderBy('extension')
      .orderBy('hour')
      .execute();
    expect(
      tallies.map((r) => [r.extension, ...[r.hour, r.calls, r.answered, r.inbound, r.missed].map(Number)]),
    ).toEqual([
      ['', 480_001, 8, 0, 8, 6],
      ['101', 480_000, 10, 7, 6, 2],
      ['101', 480_001, 5, 0, 5, 5],
      ['102', 480_000, 1, 0, 1, 0],
    ]);
  });
});
