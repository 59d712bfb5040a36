import { describe, expect, it } from 'vitest';
import { inboundMissed } from '../test-support/call-scenarios.js';
import { createInMemoryWebhookPorts } from '../test-support/in-memory-webhook-ports.js';
import { handleCallEnded } from './handle-call-ended.js';

describe('handle-call-ended', () => {
  it('tells every agent the call rang that it ended, and how', async () => {
    const t = createInMemoryWebhookPorts();
    t.directory.assign('101', 'user-olga', 'Olga');
    let call = (await t.calls.applyEvent(inboundMissed[0] ?? (undefined as never))).call;
    for (const event of inboundMissed.slice(1)) {
      call = (await t.calls.applyEvent(event)).call;
    }
    await handleCallEnded(t.processing, call);
    expect(t.publisher.events).toEqual([
      expect.objectContaining({
        topic: 'call.ended',
        payload: {
          userIds: ['user-olga'],
          data: expect.objectContaining({
            pbxCallId: call.pbxCallId,
            status: 'missed',
            disposition: 'cancel',
          }),
        },
      }),
    ]);
  });

  it('publishes nothing when nobody heard the call ring', async () => {
    const t = createInMemoryWebhookPorts();
    const { call } = await t.calls.applyEvent(inboundMissed[0] ?? (undefined as never));
    await handleCallEnded(t.processing, call);
    expect(t.publisher.events).toEqual([]);
  });
});
