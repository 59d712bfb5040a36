import { randomBytes } from 'node:crypto';
import type { TWebhookEvent } from '@switchboard/zadarma';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../platform/config/config.js';
import { createSecretBox } from '../../../platform/crypto/secret-box.js';
import type { BusEvent, EventBus } from '../../../platform/events/event-bus.js';
import { createInProcessEventBus } from '../../../platform/events/in-process-event-bus.js';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from '../../../test-support/test-database.js';
import { createExtensionAssignmentRepository } from '../adapters/kysely-extension-assignment-repository.js';
import {
  createTelephonyRuntime,
  type TelephonyRuntimeControl,
} from '../adapters/zadarma/telephony-runtime.js';
import { createTelephonyAdapters } from '../telephony-module.js';
import { insertTestUser } from '../test-support/insert-user.js';
import { createWebhookPorts, type TelephonyAdapters } from '../webhook-ports.js';
import { createBatchProcessor } from './process-webhook-batch.js';
import { createIngest, type WebhookPorts } from './receive-webhook.js';

const FAILING_EXTENSION = '666';

function internal(pbxCallId: string, extension: string): TWebhookEvent {
  return {
    event: 'NOTIFY_INTERNAL',
    call_start: '2026-11-25 10:15:30',
    pbx_call_id: pbxCallId,
    caller_id: '33612345678',
    called_did: '442037691999',
    internal: extension,
  } as TWebhookEvent;
}

/** The end of an unanswered call rung at extension 101. */
function unanswered(pbxCallId: string): TWebhookEvent {
  return {
    event: 'NOTIFY_END',
    call_start: '2026-11-25 10:15:30',
    pbx_call_id: pbxCallId,
    caller_id: '33612345678',
    called_did: '442037691999',
    internal: '101',
    duration: '0',
    status_code: '19',
    is_recorded: '0',
    calltype: 'normal',
    disposition: 'no answer',
  } as TWebhookEvent;
}

describe.each(TEST_DIALECTS)('batch processing of webhooks on %s', (dialect) => {
  let database: TestDatabase;
  let runtime: TelephonyRuntimeControl;
  let bus: EventBus;
  let adapters: TelephonyAdapters;
  let ports: WebhookPorts;
  let agent: string;

  beforeEach(async () => {
    database = await openTestDatabase(dialect);
    runtime = createTelephonyRuntime({
      db: database.db,
      box: createSecretBox(randomBytes(32)),
      config: loadConfig({ LOG_LEVEL: 'silent' }),
      clientOptions: { retry: false, timeoutMs: 200 },
    });
    // No Zadarma here: the timezone lookup fails fast and processing falls back to UTC+0.
    await runtime.update({ apiKey: 'k', apiSecret: 's', apiBaseUrl: 'http://127.0.0.1:9' });
    bus = createInProcessEventBus({ db: database.db, sqlite: database.sqlite });
    adapters = createTelephonyAdapters({ database, runtime, bus });
    // A processing failure on demand: the extension lookup of extension 666 throws, inside the batch.
    ports = createWebhookPorts(adapters, {
      processing: (scoped) => ({
        ...scoped,
        directory: {
          ...scoped.directory,
          userOf: async (extension) => {
            if (extension === FAILING_EXTENSION) {
              throw new Error('extension lookup failed on purpose');
            }
            return scoped.directory.userOf(extension);
          },
        },
      }),
    });
    agent = await insertTestUser(database.db);
    await createExtensionAssignmentRepository(database.db).assign('101', agent);
  });

  afterEach(async () => {
    await bus.close();
    await runtime.close();
    await database.cleanup();
  });

  async function stored(event: TWebhookEvent) {
    const entry = await adapters.inbox.append({
      receivedAt: new Date().toISOString(),
      remoteIp: '127.0.0.1',
      event: event.event,
      pbxCallId: (event as { pbx_call_id: string }).pbx_call_id,
      body: '',
      contentType: null,
      signatureValid: true,
      status: 'received',
    });
    return { entryId: entry.id, event, receivedAt: entry.receivedAt };
  }

  it('processes a batch in one go, and when one event fails, lands the others and marks only that one', async () => {
    const delivered: BusEvent[] = [];
    bus.subscribe((event) => delivered.push(event), { topics: ['call.ringing'] });
    const processor = createBatchProcessor(ports, { maxBatch: 64 });
    const jobs = [
      await stored(internal('in_batch_ok_1', '101')),
      await stored(internal('in_batch_bad', FAILING_EXTENSION)),
      await stored(internal('in_batch_ok_2', '101')),
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
    await processor.submit(await stored(internal('in_batch_commit', '101')));
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
    const end = unanswered('in_batch_order');
    const jobs = [
      await stored(internal('in_batch_order', '101')),
      await stored(internal('in_batch_other', '101')),
      await stored(internal('in_batch_third', '101')),
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
    const runtimeOptions = {
      db: database.db,
      box: createSecretBox(randomBytes(32)),
      config: loadConfig({ LOG_LEVEL: 'silent' }),
      clientOptions: { retry: false as const, timeoutMs: 200 },
    };
    const runtime = createTelephonyRuntime(runtimeOptions);
    // A restart is a new instance (issue 9): it takes over what the previous run, silent since, left.
    const restarted = createTelephonyRuntime(runtimeOptions);
    await runtime.update({ apiKey: 'k', apiSecret: 's', apiBaseUrl: 'http://127.0.0.1:9' });
    const bus = createInProcessEventBus({ db: database.db, sqlite: database.sqlite });
    const adapters = createTelephonyAdapters({ database, runtime, bus });
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
      const end = await store('2026-11-24T10:15:40.000Z', unanswered('in_recovered'));
      const ringing = await store('2026-11-24T10:15:31.000Z', internal('in_recovered', '101'));
      const forged = await store('2026-11-24T10:15:32.000Z', internal('in_recovered', '101'), 'rejected');
      const ingest = createIngest(
        createWebhookPorts(createTelephonyAdapters({ database, runtime: restarted, bus })),
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
      await bus.close();
      await runtime.close();
      await restarted.close();
      await database.cleanup();
    }
  });
});
