import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from '../../test-support/test-database.js';
import type { InboxRepository } from './domain/ports.js';
import { createInboxRepository } from './inbox-repository.js';

const BODY =
  'event=NOTIFY_START&call_start=2024-05-14+10%3A15%3A30&pbx_call_id=in_3f0a&caller_id=442037691880&called_did=442037691999';

describe.each(TEST_DIALECTS)('the webhook inbox on %s', (dialect) => {
  let database: TestDatabase;
  let inbox: InboxRepository;
  beforeAll(async () => {
    database = await openTestDatabase(dialect);
    inbox = createInboxRepository(database.db);
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
