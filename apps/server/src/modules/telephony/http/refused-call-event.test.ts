import type { TWebhookEvent } from '@switchboard/zadarma';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BusEvent, EventBus } from '../../../platform/events/event-bus.js';
import { insertTestUser } from '../../../test-support/insert-user.js';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from '../../../test-support/test-database.js';
import { createExtensionAssignmentRepository } from '../adapters/kysely-extension-assignment-repository.js';
import {
  notifyInternal,
  openTelephonyTestAdapters,
  storedJob,
  type TelephonyTestAdapters,
} from '../test-support/webhook-fixtures.js';
import { createBatchProcessor } from '../use-cases/process-webhook-batch.js';
import { createWebhookPorts, type TelephonyAdapters } from '../webhook-ports.js';

describe.each(TEST_DIALECTS)('a notification its call refuses, on %s', (dialect) => {
  let database: TestDatabase;
  let t: TelephonyTestAdapters;
  let bus: EventBus;
  let adapters: TelephonyAdapters;

  beforeEach(async () => {
    database = await openTestDatabase(dialect);
    t = await openTelephonyTestAdapters(database);
    ({ bus, adapters } = t);
  });

  afterEach(async () => {
    await t.close();
    await database.cleanup();
  });

  const stored = (event: TWebhookEvent) => storedJob(adapters.inbox, event);

  it('is marked failed with the reason, changes nothing and opens no popup', async () => {
    const assignments = createExtensionAssignmentRepository(database.db);
    await assignments.assign('101', await insertTestUser(database.db));
    const other = await insertTestUser(database.db);
    await assignments.assign('102', other);
    const ringing: BusEvent[] = [];
    bus.subscribe((event) => ringing.push(event), { topics: ['call.ringing'] });
    const processor = createBatchProcessor(createWebhookPorts(adapters));

    const genuine = await stored(
      notifyInternal('in_known', '101', { caller: '33612345678', start: '2026-11-25 10:15:30' }),
    );
    await processor.submit(genuine);
    await processor.idle();
    expect(ringing).toHaveLength(1);
    const before = await adapters.calls.get('in_known');

    // Another call's captured signature (its caller and call_start), replayed with this call's id for agent 102.
    const replayed = await stored(
      notifyInternal('in_known', '102', { caller: '33700000000', start: '2026-11-25 09:00:00' }),
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
