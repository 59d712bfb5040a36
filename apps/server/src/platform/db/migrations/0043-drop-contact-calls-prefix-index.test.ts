/**
 * Migration 0043 from a database at the schema of 0042 with a contact's calls in it: `calls_contact_id_idx` is
 * gone, the contact card's last calls and the routing chain's last agent are read from `calls_log_contact_idx`
 * in its order (no sort), with the same answers as before; deleting the contact still unlinks its calls; and
 * migrated down the index is back as 0005 made it. Both dialects.
 */
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { indexNames } from '../../../test-support/index-names.js';
import { insertCallRow } from '../../../test-support/insert-call-row.js';
import { insertContactRow } from '../../../test-support/insert-contact-row.js';
import { insertTestUser } from '../../../test-support/insert-user.js';
import { queryPlan } from '../../../test-support/query-plan.js';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from '../../../test-support/test-database.js';
import { migrateTo, migrateToLatest } from '../migrate.js';

const BEFORE = '0042-odd-calls-predicate-without-in-list';
const AT = '2026-03-02T09:30:00.000Z';

/** The card's last calls and the last answering agent since a date, as their adapters ask (literals, to explain). */
const LAST_CALLS = "select id from calls where contact_id = 'c1' order by started_at desc limit 5";
const LAST_AGENT =
  "select agent_user_id from calls where contact_id = 'c1' and started_at >= '2026-03-01T00:00:00.000Z' " +
  "and status = 'answered' and agent_user_id is not null order by started_at desc limit 1";

describe.each(TEST_DIALECTS)('migration 0043 (the contact calls’ prefix index dropped) on %s', (dialect) => {
  let database: TestDatabase | null = null;

  afterEach(async () => {
    await database?.cleanup();
    database = null;
  });

  it('reads the contact’s calls from the log’s contact index in order, unlinks them on delete, and goes down', async () => {
    database = await openTestDatabase(dialect, { migrate: false });
    const db = database.db;
    await migrateTo(db, BEFORE);
    await insertContactRow(db, 'c1', 'Anna');
    // [id, minute of 2026-03-02 09:xx, outcome, agent]
    const calls = [
      ['old', '2026-02-20T09:00:00.000Z', 'answered', 'u-old'],
      ['a', '2026-03-02T09:01:00.000Z', 'answered', 'u-a'],
      ['b', '2026-03-02T09:02:00.000Z', 'no_answer', null],
      ['c', '2026-03-02T09:03:00.000Z', 'answered', 'u-c'],
      ['d', '2026-03-02T09:04:00.000Z', 'busy', null],
    ] as const;
    const agents = new Map<string, string>();
    for (const name of ['u-old', 'u-a', 'u-c']) {
      agents.set(name, await insertTestUser(db, name));
    }
    for (const [id, startedAt, outcome, agent] of calls) {
      await insertCallRow(db, {
        id,
        direction: 'inbound',
        outcome,
        started_at: startedAt,
        contact_id: 'c1',
        agent_user_id: agent === null ? null : (agents.get(agent) ?? null),
      });
    }
    await insertCallRow(db, { id: 'other', direction: 'inbound', outcome: 'answered', started_at: AT });
    const answers = async () => ({
      lastCalls: (await sql<{ id: string }>`${sql.raw(LAST_CALLS)}`.execute(db)).rows.map((r) => r.id),
      lastAgent: (await sql<{ agent_user_id: string }>`${sql.raw(LAST_AGENT)}`.execute(db)).rows,
    });
    const before = await answers();
    expect(before).toEqual({
      lastCalls: ['d', 'c', 'b', 'a', 'old'],
      lastAgent: [{ agent_user_id: agents.get('u-c') }],
    });
    expect(await indexNames(db, dialect, 'calls', 'calls_contact_id_idx')).toEqual(['calls_contact_id_idx']);

    await migrateToLatest(db);
    expect(await indexNames(db, dialect, 'calls', 'calls_contact_id_idx')).toEqual([]);
    for (const query of [LAST_CALLS, LAST_AGENT]) {
      const explained = await queryPlan(db, dialect, query);
      expect(explained).toContain('calls_log_contact_idx');
      expect(explained).not.toMatch(/TEMP B-TREE|Sort/);
    }
    expect(await answers()).toEqual(before);

    await migrateTo(db, BEFORE);
    expect(await indexNames(db, dialect, 'calls', 'calls_contact_id_idx')).toEqual(['calls_contact_id_idx']);
    await migrateToLatest(db);
    await db.deleteFrom('contacts').where('id', '=', 'c1').execute();
    const linked = await db.selectFrom('calls').select('id').where('contact_id', 'is not', null).execute();
    expect(linked).toEqual([]);
    expect(await db.selectFrom('calls').select('id').execute()).toHaveLength(calls.length + 1);
  });
});
