/**
 * Migration 0032 from a database at the schema of 0031 with calls in it: the index of the open missed calls by
 * contact keeps its name, predicate and leading columns and gains the columns an agent's view filters by, so on
 * SQLite the agent's clients' arm of "missed and not returned" is read from the index alone; it still holds
 * exactly the open missed calls; migrated down, the narrow index of 0025 is back. Both dialects.
 */
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { insertCallRow } from '../../../test-support/insert-call-row.js';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from '../../../test-support/test-database.js';
import { migrateTo } from '../migrate.js';

const AT = '2026-02-01T09:30:00.000Z';
const COVERED = [
  'contact_id',
  'started_at',
  'id',
  'agent_user_id',
  'direction',
  'outcome',
  'is_recorded',
  'agent_extension',
  'return_at',
];

describe.each(TEST_DIALECTS)('migration 0032 (open missed calls by contact, covering) on %s', (dialect) => {
  let database: TestDatabase | null = null;

  afterEach(async () => {
    await database?.cleanup();
    database = null;
  });

  /** The index's columns in order, from either catalogue. */
  async function indexColumns(): Promise<string[]> {
    const db = (database as TestDatabase).db;
    if (dialect === 'sqlite') {
      const rows = await sql<{
        name: string;
      }>`select name from pragma_index_info('calls_missed_open_contact_idx')
        order by seqno`.execute(db);
      return rows.rows.map((r) => r.name);
    }
    const rows = await sql<{ name: string }>`select a.attname as name
      from pg_index i join pg_class c on c.oid = i.indexrelid
        join pg_namespace n on n.oid = c.relnamespace and n.nspname = current_schema()
        cross join lateral unnest(i.indkey) with ordinality as k(attnum, seqno)
        join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
      where c.relname = 'calls_missed_open_contact_idx' order by k.seqno`.execute(db);
    return rows.rows.map((r) => r.name);
  }

  /** An agent's clients' open missed calls not their own, as the call log's agent view asks (kysely-call-log.ts). */
  const clientsOpenMissed = sql<{ id: string }>`select k.id from calls as k
    where k.started_at is not null
      and (k.direction <> 'outbound' and k.outcome in ('no_answer', 'busy', 'cancelled', 'ivr_hangup') and k.return_at is null)
      and k.contact_id in (select id from contacts where responsible_user_id = 'u1')
      and (k.agent_user_id is null or k.agent_user_id != 'u1')
    order by k.started_at desc, k.id desc limit 51`;

  it("covers an agent view's filters, holds the open missed calls alone, and goes down", async () => {
    database = await openTestDatabase(dialect, { migrate: false });
    const db = database.db;
    await migrateTo(db, '0031-extension-hour-tallies');
    // The columns a user and a contact need at any schema since 0002 (the other columns have defaults).
    for (const user of ['u1', 'u2']) {
      await sql`insert into users (id, email, name, role, password_hash, created_at, updated_at)
        values (${user}, ${`${user}@x.invalid`}, ${user}, 'agent', '-', ${AT}, ${AT})`.execute(db);
    }
    await sql`insert into contacts (id, display_name, sort_key, responsible_user_id, created_at, updated_at)
      values ('c1', 'C', 'c', 'u1', ${AT}, ${AT})`.execute(db);
    // [id, direction, outcome, returned, agent]
    const calls = [
      ['open', 'inbound', 'no_answer', false, 'u2'],
      ['open-unrouted', 'inbound', 'ivr_hangup', false, null],
      ['open-own', 'inbound', 'busy', false, 'u1'],
      ['returned', 'inbound', 'cancelled', true, 'u2'],
      ['talked', 'inbound', 'answered', false, 'u2'],
      ['placed', 'outbound', 'no_answer', false, 'u2'],
    ] as const;
    for (const [id, direction, outcome, returned, agent] of calls) {
      await insertCallRow(db, {
        id,
        direction,
        started_at: AT,
        outcome,
        contact_id: 'c1',
        agent_user_id: agent,
        return_at: returned ? AT : null,
      });
    }
    expect(await indexColumns()).toEqual(['contact_id', 'started_at', 'id']);
    // Up to this migration only: a later one (0040) rewrites the predicate this test reads in its frozen form.
    await migrateTo(db, '0032-missed-open-by-contact-covering');
    expect(await indexColumns()).toEqual(COVERED);
    expect((await clientsOpenMissed.execute(db)).rows.map((r) => r.id).sort()).toEqual([
      'open',
      'open-unrouted',
    ]);
    if (dialect === 'sqlite') {
      const plan = await sql<{ detail: string }>`explain query plan ${clientsOpenMissed}`.execute(db);
      expect(plan.rows.map((r) => r.detail).join(' | ')).toContain(
        'USING COVERING INDEX calls_missed_open_contact_idx',
      );
    }
    await migrateTo(db, '0031-extension-hour-tallies');
    expect(await indexColumns()).toEqual(['contact_id', 'started_at', 'id']);
    expect(await db.selectFrom('calls').select('id').execute()).toHaveLength(calls.length);
  });
});
