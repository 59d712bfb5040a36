import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../../test-support/test-database.js';
import { MISSED_PREDICATE } from './missed-call-condition.js';

describe('the missed-call predicate on SQLite', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase('sqlite');
  });
  afterAll(async () => {
    await database.cleanup();
  });

  it('is the partial index’s own, so the statistics and the log read missed calls from it', () => {
    const sqlite = database.sqlite;
    if (!sqlite) {
      throw new Error('the SQLite test database has no raw connection');
    }
    const index = sqlite.prepare("select sql from sqlite_master where name = 'calls_missed_idx'").get() as {
      sql: string;
    };
    expect(index.sql.replace(/\s+/g, ' ')).toContain(MISSED_PREDICATE);
    const plan = (
      sqlite
        .prepare(
          `explain query plan select id from calls k where (${MISSED_PREDICATE.replace(/\b(direction|outcome)\b/g, 'k.$1')}) and k.started_at >= '2026-01-01' order by k.started_at`,
        )
        .all() as { detail: string }[]
    )
      .map((r) => r.detail)
      .join(' | ');
    expect(plan).toContain('calls_missed_idx');
  });
});
