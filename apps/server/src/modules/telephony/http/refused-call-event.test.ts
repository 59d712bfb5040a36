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
import { createBatchProcessor } from '../use-cases/process-webhook-batch.js';
import { createWebhookPorts, type TelephonyAdapters } from '../webhook-ports.js';

/** A NOTIFY_INTERNAL whose signed fields are caller_id, called_did and call_start. */
function internal(
  pbxCallId: string,
  extension: string,
  signed: { caller: string; start: string },
): TWebhookEvent {
  return {
    event: 'NOTIFY_INTERNAL',
    call_start: signed.start,
    pbx_call_id: pbxCallId,
    caller_id: signed.caller,
    called_did: '442037691999',
    internal: extension,
  } as TWebhookEvent;
}

describe.each(TEST_DIALECTS)('a notification its call refuses, on %s', (dialect) => {
  let database: TestDatabase;
  let runtime: TelephonyRuntimeControl;
  let bus: EventBus;
  let adapters: TelephonyAdapters;

  beforeEach(async () => {
    database = await openTestDatabase(dialect);
    runtime = createTelephonyRuntime({
      db: database.db,
      box: createSecretBox(randomBytes(32)),
      config: loadConfig({ LOG_LEVEL: 'silent' }),
      clientOptions: { retry: false, timeoutMs: 200 },
    });
    await runtime.update({ apiKey: 'k', apiSecret: 's', apiBaseUrl: 'http://127.0.0.1:9' });
    bus = createInProcessEventBus({ db: database.db, sqlite: database.sqlite });
    adapters = createTelephonyAdapters({ database, runtime, bus });
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

  it('is marked failed with the reason, changes nothing and opens no popup', async () => {
    const assignments = createExtensionAssignmentRepository(database.db);
    await assignments.assign('101', await insertTestUser(database.db));
    const other = await insertTestUser(database.db);
    await assignments.assign('102', other);
    const ringing: BusEvent[] = [];
    bus.subscribe((event) => ringing.push(event), { topics: ['call.ringing'] });
    const processor = createBatchProcessor(createWebhookPorts(adapters));

    const genuine = await stored(
      internal('in_known', '101', { caller: '33612345678', start: '2026-11-25 10:15:30' }),
    );
    await processor.submit(genuine);
    await processor.idle();
    expect(ringing).toHaveLength(1);
    const before = await adapters.calls.get('in_known');

    // Another call's captured signature (its caller and call_start), replayed with this call's id for agent 102.
    const replayed = await stored(
      internal('in_known', '102', { caller: '33700000000', start: '2026-11-25 09:00:00' }),
    );
    await processor.submit(replayed);
    await processor.idle();

    const entry = await adapters.inbox.get(replayed.entryId);
    expect(entry).toMatchObject({ status: 'failed' });
    expect(entry?.error).toMatch(/^refused: NOTIFY_INTERNAL signs caller_id "33700000000" but call in_known/);
    expect(await adapters.calls.get('in_known')).toEqual(before);
    expect(before?.ringingExtensions).toEqual(['101']);
    expect(ringing).toHaveLength(1);
  });
});
