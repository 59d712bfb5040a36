import { describe, expect, it } from 'vitest';
import type { CallEvent } from '../domain/call-event.js';
import type { ContactCard } from '../ports.js';
import { inboundAnswered } from '../test-support/call-scenarios.js';
import { createInMemoryWebhookPorts } from '../test-support/in-memory-webhook-ports.js';
import { handleCallRinging } from './handle-call-ringing.js';

const CARD: ContactCard = {
  id: 'contact-caller',
  displayName: 'Gordon Caller',
  company: null,
  responsibleUser: { id: 'user-olga', name: 'Olga' },
  doNotCall: false,
  openDeals: [],
  openTasks: [],
  lastCalls: [],
};

type Ringing = Extract<CallEvent, { kind: 'internal' }>;

describe('handle-call-ringing', () => {
  it('opens the popup, with the caller’s card, for the ringing extension’s user only', async () => {
    const t = createInMemoryWebhookPorts({ cards: [CARD] });
    t.directory.assign('101', 'user-olga', 'Olga');
    const ringing = inboundAnswered[1] as Ringing;
    const { call } = await t.calls.applyEvent(ringing);
    const linked = await t.calls.link(call, { contactId: 'contact-caller' });
    await handleCallRinging(t.processing, ringing, linked ?? call);
    expect(t.publisher.events).toEqual([
      expect.objectContaining({
        topic: 'call.ringing',
        payload: {
          userIds: ['user-olga'],
          data: expect.objectContaining({ extension: '101', contact: CARD }),
        },
      }),
    ]);
  });

  it('opens nothing for an extension nobody holds, or a call no longer ringing', async () => {
    const t = createInMemoryWebhookPorts();
    const ringing = inboundAnswered[2] as Ringing;
    const { call } = await t.calls.applyEvent(ringing);
    await handleCallRinging(t.processing, ringing, call);
    t.directory.assign('102', 'user-tom');
    await handleCallRinging(t.processing, ringing, { ...call, status: 'answered' });
    expect(t.publisher.events).toEqual([]);
  });
});
