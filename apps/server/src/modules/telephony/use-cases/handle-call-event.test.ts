import { describe, expect, it } from 'vitest';
import type { CallEvent } from '../domain/call-event.js';
import { decisionOf } from '../domain/routing-policy.js';
import type { CallbackRequest } from '../ports.js';
import { callback, inboundAnswered, outboundAnswered } from '../test-support/call-scenarios.js';
import { createInMemoryWebhookPorts } from '../test-support/in-memory-webhook-ports.js';
import { handleCallEvent } from './handle-call-event.js';

const CONTACT = {
  id: 'contact-caller',
  displayName: 'Gordon Caller',
  responsibleUserId: 'user-olga',
  companyName: null,
  doNotCall: false,
};
const CALLER = { ...CONTACT, phones: ['+442037691880'] };

function setUp() {
  const t = createInMemoryWebhookPorts({ contacts: [CALLER] });
  t.directory.assign('101', 'user-olga', 'Olga');
  t.directory.assign('102', 'user-tom', 'Tom');
  const handle = (event: CallEvent, extra: Partial<Parameters<typeof handleCallEvent>[1]> = {}) =>
    handleCallEvent(t.processing, {
      event,
      defaultCountry: 'FR',
      now: '2024-05-14T07:20:00.000Z',
      ...extra,
    });
  const topics = () => t.publisher.events.map((e) => e.topic);
  return { ...t, handle, topics };
}

describe('handle-call-event (fold, link, dispatch)', () => {
  it('links the caller’s contact and the answering agent, and puts the finished call on the timeline', async () => {
    const t = setUp();
    for (const event of inboundAnswered) {
      await t.handle(event);
    }
    const call = await t.calls.get(inboundAnswered[0]?.pbxCallId ?? '');
    expect(call).toMatchObject({
      contactId: 'contact-caller',
      agentUserId: 'user-olga',
      clientE164: '+442037691880',
      status: 'answered',
    });
    expect(t.topics()).toEqual(['call.ringing', 'call.ringing', 'call.answered', 'call.ended']);
    expect(t.timeline.calls()).toEqual([
      expect.objectContaining({
        callId: call?.id,
        contactId: 'contact-caller',
        title: 'Incoming call — answered by Olga, 1:07',
      }),
    ]);
  });

  it('takes the caller NOTIFY_START looked up instead of looking it up again, and records its decision', async () => {
    const t = setUp();
    const routing = {
      decision: decisionOf({ redirect: '101' }, [
        { code: 'knownCaller', params: { contactId: 'contact-caller' } },
      ]),
      caller: {
        number: '442037691880',
        e164: '+442037691880',
        contact: CONTACT,
      },
    };
    const call = await t.handle(inboundAnswered[0] as CallEvent, {
      routing,
      receivedAt: '2024-05-14T07:15:30.100Z',
    });
    expect(call).toMatchObject({ contactId: 'contact-caller', clientE164: '+442037691880' });
    expect(t.contacts.lookups).toEqual([]);
    expect(t.timeline.routing()).toEqual([
      {
        callId: call.id,
        at: '2024-05-14T07:15:30.100Z',
        reason: 'known caller (contact contact-caller)',
        reply: { redirect: '101' },
        trace: [{ code: 'knownCaller', params: { contactId: 'contact-caller' } }],
      },
    ]);
  });

  it('tells no one about a re-delivered notification', async () => {
    const t = setUp();
    await t.handle(inboundAnswered[1] as CallEvent);
    await t.handle(inboundAnswered[1] as CallEvent);
    expect(t.topics()).toEqual(['call.ringing']);
  });

  it('opens no popup for an outbound call, but credits the extension that placed it', async () => {
    const t = setUp();
    for (const event of outboundAnswered) {
      await t.handle(event);
    }
    expect(t.topics()).toEqual([]);
    expect((await t.calls.get(outboundAnswered[0]?.pbxCallId ?? ''))?.agentUserId).toBe('user-tom');
  });

  it('sends a callback’s progress to the user who clicked, and credits them with the call', async () => {
    const t = setUp();
    const request: CallbackRequest = {
      requestId: 'req-1',
      userId: 'user-tom',
      extension: '102',
      to: '+442037691880',
      contactId: 'contact-caller',
      at: '2024-05-14T07:15:29.000Z',
    };
    const ports = { ...t.processing, callbacks: { match: async () => request } };
    // In the simulator's order: the client's leg ends, then the agent's.
    const [leg1, leg2, answer, agentEnd, clientEnd] = callback as CallEvent[];
    for (const event of [leg1, leg2, answer, clientEnd, agentEnd] as CallEvent[]) {
      await handleCallEvent(ports, { event, defaultCountry: 'FR', now: '2024-05-14T07:20:00.000Z' });
    }
    // Each leg's progress for the toast, and the call's card (ringing once → answered → ended once) for the
    // same user.
    expect(t.publisher.events.filter((e) => e.topic === 'callback.status')).toHaveLength(callback.length);
    expect(t.publisher.events.filter((e) => e.topic !== 'callback.status').map((e) => e.topic)).toEqual([
      'call.ringing',
      'call.answered',
      'call.ended',
    ]);
    for (const event of t.publisher.events) {
      expect((event.payload as { userIds: string[] }).userIds).toEqual(['user-tom']);
    }
    expect(await t.calls.get(callback[0]?.pbxCallId ?? '')).toMatchObject({
      agentUserId: 'user-tom',
      contactId: 'contact-caller',
    });
  });
});
