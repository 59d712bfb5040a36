import { describe, expect, it } from 'vitest';
import type { CallEvent } from '../domain/call-event.js';
import type { StoredCall } from '../ports.js';
import { inboundAnswered, inboundMissed } from '../test-support/call-scenarios.js';
import { createInMemoryWebhookPorts } from '../test-support/in-memory-webhook-ports.js';
import { recordCallActivity } from './record-call-activity.js';

async function folded(t: ReturnType<typeof createInMemoryWebhookPorts>, events: readonly CallEvent[]) {
  let call: StoredCall | null = null;
  for (const event of events) {
    call = (await t.calls.applyEvent(event)).call;
  }
  return call as StoredCall;
}

describe('record-call-activity', () => {
  it('puts an ended call on its contact’s timeline once, with its outcome in words and as parameters', async () => {
    const t = createInMemoryWebhookPorts();
    t.directory.assign('101', 'user-olga', 'Olga');
    const call = await folded(t, inboundAnswered);
    const linked = (await t.calls.link(call, { contactId: 'c-jean', agentUserId: 'user-olga' })) ?? call;
    await recordCallActivity(t.processing, linked);
    await recordCallActivity(t.processing, linked);
    expect(t.timeline.calls()).toEqual([
      {
        callId: linked.id,
        contactId: 'c-jean',
        actorId: 'user-olga',
        at: linked.startedAt,
        title: 'Incoming call — answered by Olga, 1:07',
        event: {
          type: 'call.ended',
          params: { direction: 'in', status: 'answered', agent: 'Olga', duration: 67 },
        },
        payload: { status: 'answered', duration: 67, disposition: 'answered' },
      },
    ]);
  });

  it('writes nothing for a call still ringing or with no contact', async () => {
    const t = createInMemoryWebhookPorts();
    const ringing = await folded(t, inboundMissed.slice(0, 2));
    await recordCallActivity(t.processing, (await t.calls.link(ringing, { contactId: 'c-jean' })) ?? ringing);
    const ended = await folded(t, inboundMissed.slice(2));
    expect(ended.status).toBe('missed');
    await recordCallActivity(t.processing, { ...ended, contactId: null });
    expect(t.timeline.calls()).toEqual([]);
  });
});
