/**
 * Migration 0044 from a database at the schema of 0043 with calls of an unknown and a known number in it: the
 * two subset indexes are gone, "missed you N× today" reads `calls_client_e164_idx` by number and start (no scan,
 * no sort) with the same counts as before, and migrated down both indexes are back. Both dialects.
 */
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { indexNames } from '../../../test-support/index-names.js';
import { insertCallRow } from '../../../test-support/insert-call-row.js';
import { insertContactRow } from '../../../test-support/insert-contact-row.js';
import { queryPlan } from '../../../test-support/query-plan.js';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from '../../../test-support/test-database.js';
import { migrateTo, migrateToLatest } from '../migrate.js';

const BEFORE = '0043-drop-contact-calls-prefix-index';
const UNKNOWN = '+442037691880';
const KNOWN = '+33612345678';
const DROPPED = ['calls_answered_client_idx', 'calls_unlinked_client_idx'];

/** The missed calls today of a number with no contact, as the caller history asks (literals, to explain). */
const missedFrom = (e164: string) =>
  `select count(*) as n from calls where client_e164 = '${e164}' and contact_id is null ` +
  "and started_at >= '2026-03-02T00:00:00.000Z' and direction = 'inbound' and status in ('missed', 'busy')";

describe.each(TEST_DIALECTS)('migration 0044 (subset indexes by client number dropped) on %s', (dialect) => {
  let database: TestDatabase | null = null;

  afterEach(async () => {
    await database?.cleanup();
    database = null;
  });

  it('counts an unknown caller’s missed calls from the number’s index, and goes down', async () => {
    database = await openTestDatabase(dialect, { migrate: false });
    const db = database.db;
    await migrateTo(db, BEFORE);
    await insertContactRow(db, 'c1', 'Anna');
    // [id, number, contact, outcome, start]
    const calls = [
      ['u1', UNKNOWN, null, 'no_answer', '2026-03-02T08:00:00.000Z'],
      ['u2', UNKNOWN, null, 'busy', '2026-03-02T09:00:00.000Z'],
      ['u3', UNKNOWN, null, 'answered', '2026-03-02T09:10:00.000Z'],
      ['u-yesterday', UNKNOWN, null, 'no_answer', '2026-03-01T09:00:00.000Z'],
      ['k1', KNOWN, 'c1', 'no_answer', '2026-03-02T08:30:00.000Z'],
      ['k2', KNOWN, 'c1', 'answered', '2026-03-02T09:20:00.000Z'],
    ] as const;
    for (const [id, e164, contact, outcome, startedAt] of calls) {
      await insertCallRow(db, {
        id,
        direction: 'inbound',
        outcome,
        started_at: startedAt,
        client_e164: e164,
        contact_id: contact,
        ...(outcome === 'busy' ? { status: 'busy' } : {}),
      });
    }
    // Other callers of the day, so that the planners see a number as the selective key it is at scale.
    for (let n = 0; n < 300; n++) {
      await insertCallRow(db, {
        id: `other-${n}`,
        direction: 'inbound',
        outcome: 'answered',
        started_at: '2026-03-02T10:00:00.000Z',
        client_e164: `+4420300${String(n).padStart(5, '0')}`,
      });
    }
    const counts = async () => {
      const out: number[] = [];
      for (const e164 of [UNKNOWN, KNOWN]) {
        const rows = await sql<{ n: number | string }>`${sql.raw(missedFrom(e164))}`.execute(db);
        out.push(Number(rows.rows[0]?.n));
      }
      return out;
    };
    const before = await counts();
    expect(before).toEqual([2, 0]);
    for (const name of DROPPED) {
      expect(await indexNames(db, dialect, 'calls', name)).toEqual([name]);
    }

    await migrateToLatest(db);
    await sql`analyze calls`.execute(db);
    for (const name of DROPPED) {
      expect(await indexNames(db, dialect, 'calls', name)).toEqual([]);
    }
    const explained = await queryPlan(db, dialect, missedFrom(UNKNOWN));
    expect(explained).toContain('calls_client_e164_idx');
    expect(explained).not.toMatch(/SCAN calls|Seq Scan|TEMP B-TREE/);
    expect(await counts()).toEqual(before);

    await migrateTo(db, BEFORE);
    for (const name of DROPPED) {
      expect(await indexNames(db, dialect, 'calls', name)).toEqual([name]);
    }
  });
});
