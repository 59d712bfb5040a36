import type { TWebhookEvent } from '@switchboard/zadarma';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BusEvent, EventBus } from '../../../platform/events/event-bus.js';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from '../../../test-support/test-database.js';
import { createExtensionAssignmentRepository } from '../adapters/kysely-extension-assignment-repository.js';
import { createTelephonyAdapters } from '../telephony-module.js';
import { insertTestUser } from '../test-support/insert-user.js';
import {
  FAILING_EXTENSION,
  failingOnExtension,
  notifyInternal,
  openTelephonyTestAdapters,
  storedJob,
  type TelephonyTestAdapters,
  unansweredEnd,
} from '../test-support/webhook-fixtures.js';
import { createWebhookPorts, type TelephonyAdapters } from '../webhook-ports.js';
import { createBatchProcessor } from './process-webhook-batch.js';
import { createIngest, type WebhookPorts } from './receive-webhook.js';

describe.each(TEST_DIALECTS)('batch processing of webhooks on %s', (dialect) => {
  let database: TestDatabase;
  let t: TelephonyTestAdapters;
  let bus: EventBus;
  let adapters: TelephonyAdapters;
  let ports: WebhookPorts;

  beforeEach(async () => {
    database = await openTestDatabase(dialect);
    t = await openTelephonyTestAdapters(database);
    ({ bus, adapters } = t);
    ports = createWebhookPorts(adapters, { processing: failingOnExtension });
    await createExtensionAssignmentRepository(database.db).assign('101', await insertTestUser(database.db));
  });

  afterEach(async () => {
    await t.close();
    await database.cleanup();
  });

  const stored = (event: TWebhookEvent) => storedJob(adapters.inbox, event);

  it('processes a batch in one go, and when one event fails, lands the others and marks only that one', async () => {
    const delivered: BusEvent[] = [];
    bus.subscribe((event) => delivered.push(event), { topics: ['call.ringing'] });
    const processor = createBatchProcessor(ports, { maxBatch: 64 });
    const jobs = [
      await stored(notifyInternal('in_batch_ok_1', '101')),
      await stored(notifyInternal('in_batch_bad', FAILING_EXTENSION)),
      await stored(notifyInternal('in_batch_ok_2', '101')),
    ];
    // Submitted in one turn of the event loop: one batch.
    await Promise.all(jobs.map((job) => processor.submit(job)));
    await processor.idle();

    const rows = await database.db
      .selectFrom('webhook_inbox')
      .select(['id', 'status', 'error'])
      .where(
        'id',
        'in',
        jobs.map((j) => j.entryId),
      )
      .execute();
    const statusOf = (id: string) => rows.find((r) => r.id === id);
    expect(statusOf(jobs[0]?.entryId ?? '')).toMatchObject({ status: 'processed', error: null });
    expect(statusOf(jobs[1]?.entryId ?? '')).toMatchObject({
      status: 'failed',
      error: 'extension lookup failed on purpose',
    });
    expect(statusOf(jobs[2]?.entryId ?? '')).toMatchObject({ status: 'processed', error: null });
    // The failed event's writes were rolled back with it; the others are there.
    const calls = await database.db
      .selectFrom('calls')
      .select('pbx_call_id')
      .orderBy('pbx_call_id')
      .execute();
    expect(calls.map((c) => c.pbx_call_id)).toEqual(['in_batch_ok_1', 'in_batch_ok_2']);
    // Each popup once: nothing from the rolled-back batch attempt, nothing for the failed event.
    expect(delivered.map((e) => (e.payload as { data: { pbxCallId: string } }).data.pbxCallId)).toEqual([
      'in_batch_ok_1',
      'in_batch_ok_2',
    ]);
    const persisted = await database.db.selectFrom('events').select('topic').execute();
    expect(persisted.filter((e) => e.topic === 'call.ringing')).toHaveLength(2);
  });

  it('tells subscribers about an event only once its transaction has committed', async () => {
    const seenCommitted: boolean[] = [];
    bus.subscribe(
      () => {
        // SQLite: the one connection is out of the batch transaction by the time anyone hears of it.
        // PostgreSQL: the delivery comes after the commit (checked by the read below, from another connection).
        seenCommitted.push(database.sqlite ? !database.sqlite.inTransaction : true);
      },
      { topics: ['call.ringing'] },
    );
    const processor = createBatchProcessor(ports);
    await processor.submit(await stored(notifyInternal('in_batch_commit', '101')));
    expect(seenCommitted).toEqual([true]);
    const row = await database.db
      .selectFrom('calls')
      .select('status')
      .where('pbx_call_id', '=', 'in_batch_commit')
      .executeTakeFirst();
    expect(row?.status).toBe('ringing');
  });

  it('keeps a call’s events in arrival order across batches, whatever the batch size', async () => {
    const processor = createBatchProcessor(ports, { maxBatch: 2 });
    const end = unansweredEnd('in_batch_order');
    const jobs = [
      await stored(notifyInternal('in_batch_order', '101')),
      await stored(notifyInternal('in_batch_other', '101')),
      await stored(notifyInternal('in_batch_third', '101')),
      await stored(end),
    ];
    const ended: string[] = [];
    bus.subscribe((e) => ended.push(e.topic), { topics: ['call.ringing', 'call.ended'] });
    await Promise.all(jobs.map((job) => processor.submit(job)));
    // Ringing, ringing, ringing, then the end of the first call: in arrival order, over two batches.
    expect(ended).toEqual(['call.ringing', 'call.ringing', 'call.ringing', 'call.ended']);
    const call = await adapters.calls.get('in_batch_order');
    expect(call?.status).toBe('missed');
  });
});

describe.each(TEST_DIALECTS)('recovery of stored, unprocessed webhooks on %s', (dialect) => {
  it('processes, oldest first, what a previous run stored but did not process, and only that', async () => {
    const database = await openTestDatabase(dialect);
    const t = await openTelephonyTestAdapters(database);
    const { bus, adapters } = t;
    try {
      const store = (at: string, event: TWebhookEvent, status: 'received' | 'rejected' = 'received') =>
        adapters.inbox.append({
          receivedAt: at,
          remoteIp: '127.0.0.1',
          event: event.event,
          pbxCallId: 'in_recovered',
          body: new URLSearchParams(event as unknown as Record<string, string>).toString(),
          contentType: 'application/x-www-form-urlencoded',
          signatureValid: status === 'received',
          status,
        });
      // Stored newest first on purpose: recovery must follow arrival time, not insertion order.
      const end = await store('2026-11-24T10:15:40.000Z', unansweredEnd('in_recovered'));
      const ringing = await store('2026-11-24T10:15:31.000Z', notifyInternal('in_recovered', '101'));
      const forged = await store(
        '2026-11-24T10:15:32.000Z',
        notifyInternal('in_recovered', '101'),
        'rejected',
      );
      const ingest = createIngest(
        // A restart is a new instance (issue 9): it takes over what the previous run, silent since, left.
        createWebhookPorts(createTelephonyAdapters({ database, runtime: t.restartedRuntime(), bus })),
      );
      const topics: string[] = [];
      await createExtensionAssignmentRepository(database.db).assign('101', await insertTestUser(database.db));
      bus.subscribe((e) => topics.push(e.topic), { topics: ['call.ringing', 'call.ended'] });

      expect(await ingest.recover(new Date().toISOString())).toBe(2);
      const status = async (id: string) => (await adapters.inbox.get(id))?.status;
      expect(await status(ringing.id)).toBe('processed');
      expect(await status(end.id)).toBe('processed');
      expect(await status(forged.id)).toBe('rejected');
      // In arrival order: the popup opened, then closed — not an end followed by a stale ringing.
      expect(topics).toEqual(['call.ringing', 'call.ended']);
      expect((await adapters.calls.get('in_recovered'))?.status).toBe('missed');
      // Nothing left: a second recovery finds nothing.
      expect(await ingest.recover(new Date().toISOString())).toBe(0);
    } finally {
      await t.close();
      await database.cleanup();
    }
  });
});
