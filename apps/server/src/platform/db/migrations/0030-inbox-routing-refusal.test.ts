/**
 * Migration 0030 from a database at the schema of 0029 with inbox entries in it: `routing_refusal` appears, NULL
 * on the entries already there (none of them claims a refusal), takes one, and goes again when migrated down,
 * the entries staying as they were, on both dialects.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from '../../../test-support/test-database.js';
import { migrateTo, migrateToLatest } from '../migrate.js';

/** Whether the column is there: reading it fails without it (the schema's own answer, on either dialect). */
const hasRefusalColumn = (database: TestDatabase) =>
  database.db
    .selectFrom('webhook_inbox')
    .select('routing_refusal')
    .execute()
    .then(
      () => true,
      () => false,
    );

describe.each(TEST_DIALECTS)('migration 0030 (inbox routing refusal) on %s', (dialect) => {
  let database: TestDatabase | null = null;

  afterEach(async () => {
    await database?.cleanup();
    database = null;
  });

  it('adds routing_refusal, NULL on the entries already there, and removes it going down', async () => {
    database = await openTestDatabase(dialect, { migrate: false });
    await migrateTo(database.db, '0029-missed-returned-by-delay');
    for (const [i, event] of ['NOTIFY_START', 'NOTIFY_END'].entries()) {
      await database.db
        .insertInto('webhook_inbox')
        .values({
          id: `0190f000-0000-7000-8000-00000000002${i}`,
          received_at: `2026-02-01T09:30:0${i}.000Z`,
          remote_ip: null,
          event,
          pbx_call_id: 'in_0024',
          body: `event=${event}`,
          content_type: null,
          signature_valid: 1,
          status: 'received',
          error: null,
          processed_at: null,
          instance_id: null,
        })
        .execute();
    }
    expect(await hasRefusalColumn(database)).toBe(false);
    await migrateToLatest(database.db);
    expect(await hasRefusalColumn(database)).toBe(true);
    const rows = () =>
      (database as TestDatabase).db
        .selectFrom('webhook_inbox')
        .select(['event', 'routing_refusal'])
        .orderBy('received_at')
        .execute();
    expect(await rows()).toEqual([
      { event: 'NOTIFY_START', routing_refusal: null },
      { event: 'NOTIFY_END', routing_refusal: null },
    ]);
    await database.db
      .updateTable('webhook_inbox')
      .set({ routing_refusal: 'blacklist' })
      .where('event', '=', 'NOTIFY_START')
      .execute();
    expect((await rows())[0]).toEqual({ event: 'NOTIFY_START', routing_refusal: 'blacklist' });
    await migrateTo(database.db, '0029-missed-returned-by-delay');
    expect(await hasRefusalColumn(database)).toBe(false);
    expect(
      await database.db
        .selectFrom('webhook_inbox')
        .select(['event', 'status'])
        .orderBy('received_at')
        .execute(),
    ).toEqual([
      { event: 'NOTIFY_START', status: 'received' },
      { event: 'NOTIFY_END', status: 'received' },
    ]);
  });
});
