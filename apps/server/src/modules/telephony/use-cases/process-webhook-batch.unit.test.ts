import type { TWebhookEvent } from '@switchboard/zadarma';
import { describe, expect, it } from 'vitest';
import { createInMemoryWebhookPorts } from '../test-support/in-memory-webhook-ports.js';
import {
  FAILING_EXTENSION,
  failingOnExtension,
  notifyInternal as internal,
  storedJob,
  unansweredEnd as unanswered,
} from '../test-support/webhook-fixtures.js';
import { createBatchProcessor } from './process-webhook-batch.js';

function setUp() {
  const t = createInMemoryWebhookPorts({ processing: failingOnExtension });
  t.directory.assign('101', 'user-olga', 'Olga');
  const stored = (event: TWebhookEvent) => storedJob(t.inbox, event, '2026-01-15T09:00:01.000Z');
  const popups = () =>
    t.publisher.events.map(
      (e) => `${e.topic} ${(e.payload as { data: { pbxCallId: string } }).data.pbxCallId}`,
    );
  return { ...t, stored, popups };
}

describe('process-webhook-batch', () => {
  it('processes a batch in one unit of work, and when one event fails, lands the others and marks only it', async () => {
    const t = setUp();
    const processor = createBatchProcessor(t.ports);
    const jobs = [
      await t.stored(internal('in_ok_1', '101')),
      await t.stored(internal('in_bad', FAILING_EXTENSION)),
      await t.stored(internal('in_ok_2', '101')),
    ];
    await Promise.all(jobs.map((job) => processor.submit(job)));
    const status = async (i: number) => t.inbox.get(jobs[i]?.entryId ?? '');
    expect(await status(0)).toMatchObject({ status: 'processed', error: null });
    expect(await status(1)).toMatchObject({ status: 'failed', error: 'extension lookup failed on purpose' });
    expect(await status(2)).toMatchObject({ status: 'processed', error: null });
    // The failed event's writes were rolled back with it; each popup told once, none from the rolled-back try.
    expect((await t.calls.list()).map((c) => c.pbxCallId).sort()).toEqual(['in_ok_1', 'in_ok_2']);
    expect(t.popups()).toEqual(['call.ringing in_ok_1', 'call.ringing in_ok_2']);
    // One try for the batch, then one per event.
    expect(t.unitOfWork.runs()).toBe(4);
  });

  it('keeps a call’s events in arrival order across batches', async () => {
    const t = setUp();
    const processor = createBatchProcessor(t.ports, { maxBatch: 2 });
    const jobs = [
      await t.stored(internal('in_order', '101')),
      await t.stored(internal('in_other', '101')),
      await t.stored(unanswered('in_order')),
    ];
    await Promise.all(jobs.map((job) => processor.submit(job)));
    expect(t.popups()).toEqual([
      'call.ringing in_order',
      'call.ringing in_other',
      'call.ended in_order',
      'call.missed in_order',
    ]);
    expect((await t.calls.get('in_order'))?.status).toBe('missed');
  });

  it('marks every event of a batch failed when its context cannot be read', async () => {
    const t = setUp();
    const ports = {
      ...t.ports,
      settings: { ...t.ports.settings, defaultCountry: () => Promise.reject(new Error('settings down')) },
    };
    const errors: string[] = [];
    const processor = createBatchProcessor(ports, { onError: (_e, context) => errors.push(context) });
    const job = await t.stored(internal('in_no_context', '101'));
    await processor.submit(job);
    expect(await t.inbox.get(job.entryId)).toMatchObject({ status: 'failed', error: 'settings down' });
    expect(errors).toHaveLength(1);
    await processor.idle();
  });
});
