import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from '../../test-support/test-database.js';
import type { InboxRepository } from './domain/ports.js';
import { createGroupCommitInbox, createInboxRepository } from './inbox-repository.js';

const BODY =
  'event=NOTIFY_START&call_start=2024-05-14+10%3A15%3A30&pbx_call_id=in_3f0a&caller_id=442037691880&called_did=442037691999';

// Every behaviour holds for both writers: one INSERT per call, and the group-committing one ingest uses.
const VARIANTS = TEST_DIALECTS.flatMap((dialect) => [
  { dialect, writer: 'single' as const },
  { dialect, writer: 'group commit' as const },
]);

describe.each(VARIANTS)('the webhook inbox on $dialect ($writer writes)', ({ dialect, writer }) => {
  let database: TestDatabase;
  let inbox: InboxRepository;
  beforeAll(async () => {
    database = await openTestDatabase(dialect);
    inbox = writer === 'single' ? createInboxRepository(database.db) : createGroupCommitInbox(database);
  });
  afterAll(async () => {
    await database.cleanup();
  });

  it('stores the raw request and reads it back unchanged', async () => {
    const entry = await inbox.append({
      receivedAt: '2024-05-14T07:15:30.123Z',
      remoteIp: '185.45.152.42',
      event: 'NOTIFY_START',
      pbxCallId: 'in_3f0a',
      body: BODY,
      contentType: 'application/x-www-form-urlencoded',
      signatureValid: true,
      status: 'received',
    });
    expect(await inbox.get(entry.id)).toEqual({
      id: entry.id,
      receivedAt: '2024-05-14T07:15:30.123Z',
      remoteIp: '185.45.152.42',
      event: 'NOTIFY_START',
      pbxCallId: 'in_3f0a',
      body: BODY,
      contentType: 'application/x-www-form-urlencoded',
      signatureValid: true,
      status: 'received',
      error: null,
      processedAt: null,
    });
  });

  it('marks entries processed or failed with the error text', async () => {
    const base = {
      remoteIp: null,
      event: 'NOTIFY_END',
      pbxCallId: 'in_mark',
      body: 'x',
      contentType: null,
      signatureValid: true,
      status: 'received' as const,
    };
    const ok = await inbox.append({ ...base, receivedAt: '2024-05-14T07:16:00.000Z' });
    const bad = await inbox.append({ ...base, receivedAt: '2024-05-14T07:16:01.000Z' });
    await inbox.markProcessed(ok.id, '2024-05-14T07:16:02.000Z');
    await inbox.markFailed(bad.id, 'call_start is not a date', '2024-05-14T07:16:03.000Z');
    expect(await inbox.get(ok.id)).toMatchObject({
      status: 'processed',
      processedAt: '2024-05-14T07:16:02.000Z',
    });
    expect(await inbox.get(bad.id)).toMatchObject({ status: 'failed', error: 'call_start is not a date' });
  });

  it('lists newest first, filtered by call, status and time', async () => {
    for (let i = 0; i < 5; i++) {
      await inbox.append({
        receivedAt: `2024-05-15T00:00:0${i}.000Z`,
        remoteIp: null,
        event: 'NOTIFY_INTERNAL',
        pbxCallId: 'in_list',
        body: `n=${i}`,
        contentType: null,
        signatureValid: i !== 3,
        status: i === 3 ? 'rejected' : 'received',
        error: i === 3 ? 'bad signature' : null,
      });
    }
    const all = await inbox.list({ pbxCallId: 'in_list' });
    expect(all.map((e) => e.body)).toEqual(['n=4', 'n=3', 'n=2', 'n=1', 'n=0']);
    expect((await inbox.list({ pbxCallId: 'in_list', status: 'rejected' })).map((e) => e.error)).toEqual([
      'bad signature',
    ]);
    const page = await inbox.list({
      pbxCallId: 'in_list',
      receivedBefore: '2024-05-15T00:00:03.000Z',
      limit: 2,
    });
    expect(page.map((e) => e.body)).toEqual(['n=2', 'n=1']);
    expect(await inbox.get('missing')).toBeNull();
  });
});

describe('the group-committing inbox on sqlite', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase('sqlite');
  });
  afterAll(async () => {
    await database.cleanup();
  });

  it('resolves each append of a burst only once its row is committed (visible to another connection)', async () => {
    const inbox = createGroupCommitInbox(database);
    const other = new SQLite(database.sqlite?.name ?? '', { readonly: true });
    const count = other.prepare<[], { n: number }>(
      "select count(*) as n from webhook_inbox where event = 'BURST'",
    );
    try {
      const seen: number[] = [];
      const burst = Array.from({ length: 40 }, (_, i) =>
        inbox
          .append({
            receivedAt: new Date(Date.UTC(2024, 4, 14, 7, 15, 30, i)).toISOString(),
            remoteIp: null,
            event: 'BURST',
            pbxCallId: `in_burst_${i}`,
            body: BODY,
            contentType: null,
            signatureValid: true,
            status: 'received',
          })
          .then(() => {
            seen.push(count.get()?.n ?? 0);
          }),
      );
      await Promise.all(burst);
      // Committed together: every caller already sees the whole burst from another connection.
      expect(seen).toEqual(Array.from({ length: 40 }, () => 40));
    } finally {
      other.close();
    }
  });

  it('rejects only the write that fails, not its neighbours in the batch', async () => {
    const inbox = createGroupCommitInbox(database);
    const entry = {
      receivedAt: '2024-05-14T07:15:31.000Z',
      remoteIp: null,
      event: 'NEIGHBOUR',
      pbxCallId: null,
      body: BODY,
      contentType: null,
      signatureValid: true,
      status: 'received' as const,
    };
    const results = await Promise.allSettled([
      inbox.append(entry),
      // NOT NULL violation: the body column cannot be null.
      inbox.append({ ...entry, body: null as unknown as string }),
      inbox.append(entry),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((await inbox.list()).filter((e) => e.event === 'NEIGHBOUR')).toHaveLength(2);
  });
});
