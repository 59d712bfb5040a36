import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../platform/ids.js';
import {
  openTestDatabase,
  TEST_DATABASE_URL,
  TEST_DIALECTS,
  type TestDatabase,
} from '../../../test-support/test-database.js';
import { forgetCachedSettings, updateSettings } from '../../crm/settings/company-settings-store.js';
import { PURGE_LOCK_KEY, purgeExpired, purgeExpiredOnce } from './inbox-retention.js';

const NOW = new Date('2025-06-01T12:00:00.000Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000).toISOString();

describe.each(TEST_DIALECTS)('inbox and events retention on %s', (dialect) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(dialect);
  });
  afterAll(async () => {
    await database.cleanup();
  });

  async function seed(): Promise<void> {
    await database.db.deleteFrom('webhook_inbox').execute();
    await database.db.deleteFrom('events').execute();
    const entry = (
      status: 'received' | 'processed' | 'failed' | 'rejected',
      receivedAt: string,
      tag: string,
    ) => ({
      id: newId(),
      received_at: receivedAt,
      remote_ip: '203.0.113.9',
      event: tag,
      pbx_call_id: null,
      body: '',
      content_type: null,
      signature_valid: status === 'rejected' ? 0 : 1,
      status,
      error: null,
      processed_at: status === 'received' || status === 'rejected' ? null : receivedAt,
    });
    await database.db
      .insertInto('webhook_inbox')
      .values([
        ...Array.from({ length: 5 }, () => entry('rejected', daysAgo(8), 'old-refused')),
        entry('rejected', daysAgo(6), 'recent-refused'),
        ...Array.from({ length: 3 }, () => entry('processed', daysAgo(31), 'old-processed')),
        entry('failed', daysAgo(31), 'old-failed'),
        entry('processed', daysAgo(29), 'recent-processed'),
        entry('received', daysAgo(400), 'unprocessed'),
        entry('received', daysAgo(40), 'unprocessed'),
      ])
      .execute();
    await database.db
      .insertInto('events')
      .values([
        ...Array.from({ length: 4 }, () => ({ topic: 'old', payload: '{}', created_at: daysAgo(2) })),
        { topic: 'recent', payload: '{}', created_at: daysAgo(0.5) },
      ])
      .execute();
  }

  const remaining = async () => ({
    inbox: (await database.db.selectFrom('webhook_inbox').select('event').orderBy('event').execute()).map(
      (r) => r.event,
    ),
    events: (await database.db.selectFrom('events').select('topic').execute()).map((r) => r.topic),
  });

  it('purges old refused, processed and failed entries and old events in bounded chunks, keeping the rest', async () => {
    await seed();
    const chunks: number[] = [];
    const result = await purgeExpired(database.db, {
      now: NOW,
      chunkSize: 2,
      onChunk: (_kind, deleted) => chunks.push(deleted),
    });
    expect(result).toEqual({ refused: 5, processed: 4, events: 4, skipped: false });
    expect(Math.max(...chunks)).toBeLessThanOrEqual(2);
    // 5 refused in 2+2+1, 4 processed in 2+2+0, 4 events in 2+2+0.
    expect(chunks).toEqual([2, 2, 1, 2, 2, 0, 2, 2, 0]);
    expect(await remaining()).toEqual({
      inbox: ['recent-processed', 'recent-refused', 'unprocessed', 'unprocessed'],
      events: ['recent'],
    });
    // A second run finds nothing more.
    expect(await purgeExpired(database.db, { now: NOW })).toMatchObject({
      refused: 0,
      processed: 0,
      events: 0,
    });
  });

  it('follows the retention settings', async () => {
    await seed();
    await updateSettings(database.db, {
      refusedWebhookRetentionDays: 30,
      processedWebhookRetentionDays: 1,
      liveEventRetentionDays: 3,
    });
    try {
      expect(await purgeExpired(database.db, { now: NOW })).toEqual({
        refused: 0,
        processed: 5,
        events: 0,
        skipped: false,
      });
    } finally {
      await database.db.deleteFrom('settings').execute();
      forgetCachedSettings(database.db);
    }
  });

  it('purges on one instance at a time', async () => {
    await seed();
    if (dialect === 'sqlite') {
      expect((await purgeExpiredOnce(database.db, 'sqlite', { now: NOW })).refused).toBe(5);
      return;
    }
    const other = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await other.connect();
    try {
      await other.query('select pg_advisory_lock($1)', [PURGE_LOCK_KEY]);
      expect(await purgeExpiredOnce(database.db, 'postgres', { now: NOW })).toEqual({
        refused: 0,
        processed: 0,
        events: 0,
        skipped: true,
      });
      await other.query('select pg_advisory_unlock($1)', [PURGE_LOCK_KEY]);
      expect(await purgeExpiredOnce(database.db, 'postgres', { now: NOW })).toMatchObject({
        refused: 5,
        skipped: false,
      });
      // The lock was released: the other session can take it again at once.
      const again = await other.query('select pg_try_advisory_lock($1) as locked', [PURGE_LOCK_KEY]);
      expect(again.rows[0].locked).toBe(true);
      await other.query('select pg_advisory_unlock($1)', [PURGE_LOCK_KEY]);
    } finally {
      await other.end();
    }
  });
});
