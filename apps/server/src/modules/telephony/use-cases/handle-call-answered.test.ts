import { describe, expect, it } from 'vitest';
import type { CallEvent } from '../domain/call-event.js';
import { inboundAnswered } from '../test-support/call-scenarios.js';
import { createInMemoryWebhookPorts } from '../test-support/in-memory-webhook-ports.js';
import { handleCallAnswered } from './handle-call-answered.js';

describe('handle-call-answered', () => {
  it('tells everyone the call rang who answered, by name', async () => {
    const t = createInMemoryWebhookPorts();
    t.directory.assign('101', 'user-olga', 'Olga');
    t.directory.assign('102', 'user-tom', 'Tom');
    let call = (await t.calls.applyEvent(inboundAnswered[0] as CallEvent)).call;
    for (const event of inboundAnswered.slice(1, 4)) {
      call = (await t.calls.applyEvent(event)).call;
    }
    await handleCallAnswered(
      t.processing,
      inboundAnswered[3] as Extract<CallEvent, { kind: 'answer' }>,
      call,
    );
    expect(t.publisher.events).toEqual([
      expect.objectContaining({
        topic: 'call.answered',
        payload: {
          userIds: ['user-olga', 'user-tom'],
          data: expect.objectContaining({
            answeredBy: { userId: 'user-olga', name: 'Olga', extension: '101' },
          }),
        },
      }),
    ]);
  });
});
