import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MISSED_PREDICATE as MIGRATION_0040_MISSED_PREDICATE,
  MISSED_RETURNED_PREDICATE,
  RETURN_DELAY_MS,
} from '../../../platform/db/migrations/0040-missed-predicate-without-in-list.js';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from '../../../test-support/test-database.js';
import { type CallOutcome, isMissed } from '../domain/call-outcome.js';
import {
  classifyReturn,
  isMissedNotReturned,
  MISSED_CALL_CLASSES,
} from '../domain/missed-call-classification.js';
import { insertTestCall } from '../test-support/test-calls.js';
import {
  MISSED_NOT_RETURNED_PREDICATE,
  MISSED_PREDICATE,
  missedCallOfClass,
  missedNotReturned,
} from './missed-call-condition.js';

describe('the missed-call predicates on SQLite', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase('sqlite');
  });
  afterAll(async () => {
    await database.cleanup();
  });

  it('are the partial indexes’ own, so the statistics and the log read missed calls from them', () => {
    const sqlite = database.sqlite;
    if (!sqlite) {
      throw new Error('the SQLite test database has no raw connection');
    }
    const indexSql = (name: string) =>
      (
        sqlite.prepare('select sql from sqlite_master where name = ?').get(name) as { sql: string }
      ).sql.replace(/\s+/g, ' ');
    // Migration 0040's text, comparisons rather than an `in` list (built per row write on SQLite).
    expect(MISSED_PREDICATE).toBe(MIGRATION_0040_MISSED_PREDICATE);
    expect(indexSql('calls_missed_idx')).toContain(MISSED_PREDICATE);
    expect(indexSql('calls_missed_open_idx')).toContain(MISSED_NOT_RETURNED_PREDICATE);
    // Migration 0025: an agent's clients' open missed calls, by contact (the call log's agent view).
    expect(indexSql('calls_missed_open_contact_idx')).toContain(MISSED_NOT_RETURNED_PREDICATE);
    const plan = (predicate: string) =>
      (
        sqlite
          .prepare(
            `explain query plan select id from calls k where (${predicate.replace(/\b(direction|outcome|return_at)\b/g, 'k.$1')}) and k.started_at >= '2026-01-01' order by k.started_at desc`,
          )
          .all() as { detail: string }[]
      )
        .map((r) => r.detail)
        .join(' | ');
    expect(plan(MISSED_PREDICATE)).toContain('calls_missed_idx');
    expect(plan(MISSED_NOT_RETURNED_PREDICATE)).toContain('calls_missed_open_idx');
  });
});

describe.each(TEST_DIALECTS)('a returned class of missed calls on %s', (dialect) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(dialect);
  });
  afterAll(async () => {
    await database.cleanup();
  });

  it('compares the delay and names the calls as the returned calls’ index does (0029, its predicate 0040’s), so the log ranges over it', () => {
    const onK = (text: string) =>
      text.replace(/\b(direction|outcome|return_at|return_direction|started_at)\b/g, 'k.$1');
    for (const missedClass of ['returned_within_n', 'returned_within_24h'] as const) {
      const compiled = sql`${missedCallOfClass('k', missedClass, 30, dialect)}`
        .compile(database.db)
        .sql.replace(/\s+/g, ' ');
      expect(compiled).toContain(onK(RETURN_DELAY_MS[dialect]));
      // Every term of the index's predicate, so the planner sees the query implies it.
      for (const term of onK(MISSED_RETURNED_PREDICATE).split(' and ')) {
        expect(compiled).toContain(term);
      }
    }
  });
});

describe.each(TEST_DIALECTS)('"missed and not returned" on %s', (dialect) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(dialect);
  });
  afterAll(async () => {
    await database.cleanup();
  });

  it('selects in SQL exactly the calls the domain rule names', async () => {
    const db = database.db;
    const at = (minutes: number) =>
      new Date(Date.parse('2026-03-02T09:00:00Z') + minutes * 60_000).toISOString();
    const kinds = [
      ['+33600000001', 0, 'missed', 'inbound'],
      ['+33600000001', 10, 'answered', 'outbound'],
      ['+33600000002', 0, 'missed', 'inbound'],
      ['+33600000002', 5, 'missed', 'outbound'],
      ['+33600000003', 0, 'answered', 'inbound'],
      ['+33600000004', 20, 'missed', 'inbound'],
    ] as const;
    for (const [client, minutes, status, direction] of kinds) {
      await insertTestCall(db, {
        agentUserId: null,
        contactId: null,
        clientE164: client,
        at: at(minutes),
        status,
        direction,
      });
    }
    // Some outcomes the helper does not write: busy and cancelled missed calls, a voice-menu hang-up.
    await sql`update calls set outcome = 'busy' where client_e164 = '+33600000004'`.execute(db);
    const rows = await db
      .selectFrom('calls as k')
      .select([
        'k.id',
        'k.direction',
        'k.outcome',
        'k.return_at',
        sql<number>`case when ${missedNotReturned('k')} then 1 else 0 end`.as('open'),
      ])
      .execute();
    expect(rows).toHaveLength(kinds.length);
    for (const row of rows) {
      const rule = isMissedNotReturned(isMissed(row.direction as never, row.outcome as CallOutcome), {
        returnAt: row.return_at,
      });
      expect(Number(row.open) === 1, row.id).toBe(rule);
    }
    expect(rows.filter((r) => Number(r.open) === 1)).toHaveLength(2);
  });
});

describe.each(TEST_DIALECTS)('a class of missed calls on %s', (dialect) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(dialect);
  });
  afterAll(async () => {
    await database.cleanup();
  });

  it('selects in SQL exactly the calls the domain rule classifies so, for any return window', async () => {
    const db = database.db;
    const start = Date.parse('2026-03-02T09:00:00Z');
    // Returns around each boundary: 5, 7 and 30 minutes, 24 hours — to the second, and half a second either side
    // of the rounding (the fold's receipt times carry milliseconds).
    const delays = [
      240, 299.4, 300, 300.4, 300.5, 301, 420, 1799.6, 1800, 1800.49, 1800.5, 1801, 86_400, 86_400.5, 86_401,
    ];
    const rows: { id: string; returnAt: string; returnDirection: 'in' | 'out' }[] = [];
    for (const [i, seconds] of delays.entries()) {
      for (const returnDirection of ['in', 'out'] as const) {
        const at = new Date(start + (i * 2 + (returnDirection === 'out' ? 1 : 0)) * 3_600_000).toISOString();
        const id = await insertTestCall(db, { agentUserId: null, contactId: null, at, status: 'missed' });
        const returnAt = new Date(Date.parse(at) + seconds * 1000).toISOString();
        await db
          .updateTable('calls')
          .set({ outcome: 'no_answer', return_at: returnAt, return_direction: returnDirection })
          .where('id', '=', id)
          .execute();
        rows.push({ id, returnAt, returnDirection });
      }
    }
    const open = await insertTestCall(db, { agentUserId: null, contactId: null, status: 'missed' });
    await db.updateTable('calls').set({ outcome: 'busy' }).where('id', '=', open).execute();
    const stored = await db
      .selectFrom('calls')
      .select(['id', 'started_at', 'return_at', 'return_direction'])
      .execute();
    const iso = (v: string | Date | null) => (v instanceof Date ? v.toISOString() : v);
    let classified = 0;
    for (const minutes of [5, 7, 30, 60]) {
      for (const missedClass of MISSED_CALL_CLASSES) {
        const selected = (
          await db
            .selectFrom('calls as k')
            .select('k.id')
            .where(missedCallOfClass('k', missedClass, minutes, dialect))
            .execute()
        )
          .map((r) => r.id)
          .sort();
        const expected = stored
          .filter(
            (r) =>
              classifyReturn(
                iso(r.started_at) as string,
                {
                  returnAt: iso(r.return_at),
                  returnDirection: r.return_direction as 'in' | 'out' | null,
                },
                minutes,
              ).classification === missedClass,
          )
          .map((r) => r.id)
          .sort();
        expect(selected, `${missedClass} within ${minutes} min`).toEqual(expected);
        classified += expected.length;
      }
    }
    // Every call in exactly one class per window.
    expect(classified).toBe(4 * (rows.length + 1));
  });
});
