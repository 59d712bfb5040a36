import { describe, expect, it } from 'vitest';
import { inboundAnswered, inboundHiddenBusy, inboundMissed } from '../test-support/call-scenarios.js';
import { createInMemoryWebhookPorts } from '../test-support/in-memory-webhook-ports.js';
import { handleCallEvent } from './handle-call-event.js';

function setUp() {
  const t = createInMemoryWebhookPorts();
  const scheduled: string[] = [];
  const ports = {
    ...t.processing,
    afterCall: { schedule: async (callId: string) => void scheduled.push(callId) },
  };
  const run = async (events: typeof inboundAnswered, followUp: boolean) => {
    for (const event of events) {
      await handleCallEvent(ports, {
        event,
        defaultCountry: 'FR',
        now: '2024-05-14T07:20:00.000Z',
        followUp,
      });
    }
  };
  return { ...t, scheduled, run };
}

describe('queueing the follow-up of an ended call (inside the batch)', () => {
  it('queues one follow-up when the end is folded, none while the call rings or after a re-delivery', async () => {
    const t = setUp();
    await t.run(inboundAnswered, true);
    await t.run(inboundAnswered, true);
    const call = await t.calls.get(inboundAnswered[0]?.pbxCallId ?? '');
    expect(t.scheduled).toEqual([call?.id]);
  });

  it('queues nothing with both switches off, or for a hidden number', async () => {
    const off = setUp();
    await off.run(inboundMissed, false);
    expect(off.scheduled).toEqual([]);
    const hidden = setUp();
    await hidden.run(inboundHiddenBusy, true);
    expect(hidden.scheduled).toEqual([]);
  });
});
