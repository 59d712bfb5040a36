import { describe, expect, it } from 'vitest';
import type { CallbackRequest } from '../ports.js';
import { callback } from '../test-support/call-scenarios.js';
import { createInMemoryWebhookPorts } from '../test-support/in-memory-webhook-ports.js';
import { handleCallbackStatus } from './handle-callback-status.js';

const REQUEST: CallbackRequest = {
  requestId: 'req-1',
  userId: 'user-tom',
  extension: '102',
  to: '+442037691880',
  contactId: null,
  at: '2024-05-14T07:15:29.000Z',
};

describe('handle-callback-status', () => {
  it('tells the user who clicked each leg’s state: agent ringing, client ringing, answered, ended', async () => {
    const t = createInMemoryWebhookPorts();
    for (const event of callback) {
      const { call } = await t.calls.applyEvent(event);
      await handleCallbackStatus(t.processing, event, call, REQUEST);
    }
    expect(
      t.publisher.events.map((e) => {
        const { userIds, data } = e.payload as { userIds: string[]; data: { leg: string; state: string } };
        return `${userIds.join()} ${data.leg} ${data.state}`;
      }),
    ).toEqual([
      'user-tom agent ringing',
      'user-tom client ringing',
      'user-tom client answered',
      'user-tom agent ended',
      'user-tom client ended',
    ]);
  });
});
