/**
 * handle-outgoing-call on the in-memory adapters: the user who clicked to call — and only them — gets the
 * card's events of their call: ringing with the contact's card and the request id while the call still rings,
 * answered with their name and extension, ended with the outcome; a late leg and other events say nothing.
 */
import { describe, expect, it } from 'vitest';
import { createInMemoryCallRepository } from '../adapters/in-memory-call-store.js';
import {
  createInMemoryCrmCardReader,
  createInMemoryEventPublisher,
  createInMemoryExtensionDirectory,
} from '../adapters/in-memory-telephony.js';
import type { CallEvent } from '../domain/call-event.js';
import type { CallbackRequest, StoredCall } from '../ports.js';
import { callback } from '../test-support/call-scenarios.js';
import { boris, card } from '../test-support/call-workspace-world.js';
import { handleOutgoingCall } from './handle-outgoing-call.js';

const request: CallbackRequest = {
  requestId: 'req-1',
  userId: boris.id,
  extension: '102',
  to: '+442037691881',
  contactId: 'c-1',
  at: '2024-05-14T07:15:29.000Z',
};

function world() {
  const calls = createInMemoryCallRepository();
  const directory = createInMemoryExtensionDirectory();
  directory.assign('102', boris.id, 'Boris');
  const publisher = createInMemoryEventPublisher();
  const cards = createInMemoryCrmCardReader([card('c-1', 'Gordon Callee', { id: 'u-tom', name: 'Tom' })]);
  /** Folds the next event and hands it, with the call as stored, to the use case. */
  const deliver = async (event: CallEvent, links: { contactId?: string } = {}) => {
    const { call } = await calls.applyEvent(event, event.receivedAt);
    const linked = links.contactId ? ((await calls.link(call, links)) as StoredCall) : call;
    await handleOutgoingCall({ cards, directory, publisher }, event, linked, request);
    return linked;
  };
  return { publisher, deliver };
}

describe('handle-outgoing-call', () => {
  it('follows the click-to-call on the caller’s card only: ringing, answered, ended', async () => {
    const w = world();
    const [leg1, leg2, answer, end1, end2] = callback as CallEvent[];
    const ringing = await w.deliver(leg1 as CallEvent, { contactId: 'c-1' });
    await w.deliver(leg2 as CallEvent, { contactId: 'c-1' });
    const answered = await w.deliver(answer as CallEvent);
    // The simulator's order: the client's leg ends first, then the agent's.
    const ended = await w.deliver(end2 as CallEvent);
    await w.deliver(end1 as CallEvent);
    const events = w.publisher.events.map((e) => ({ topic: e.topic, payload: e.payload }));
    expect(events.map((e) => e.topic)).toEqual(['call.ringing', 'call.answered', 'call.ended']);
    for (const event of events) {
      expect(event.payload).toMatchObject({ userIds: [boris.id] });
    }
    expect(events[0]?.payload).toMatchObject({
      data: {
        callId: ringing.id,
        direction: 'out',
        extension: '102',
        requestId: 'req-1',
        contact: { id: 'c-1', displayName: 'Gordon Callee' },
      },
    });
    expect(events[1]?.payload).toMatchObject({
      data: {
        callId: answered.id,
        answeredBy: { userId: boris.id, name: 'Boris', extension: '102' },
        answeredAt: answered.answeredAt,
      },
    });
    expect(events[2]?.payload).toMatchObject({
      data: { callId: ended.id, status: 'answered', disposition: 'answered', duration: 44 },
    });
  });

  it('closes the card once per call: the agent’s leg ending after the client’s says nothing', async () => {
    const w = world();
    const [leg1, leg2, answer, end1, end2] = callback as CallEvent[];
    for (const event of [leg1, leg2, answer, end2, end1]) {
      await w.deliver(event as CallEvent);
    }
    expect(w.publisher.events.filter((e) => e.topic === 'call.ended')).toHaveLength(1);
  });

  it('corrects the ended card when the client’s leg ends after the agent’s (out of order)', async () => {
    const w = world();
    const [leg1, leg2, answer, end1, end2] = callback as CallEvent[];
    for (const event of [leg1, leg2, answer, end1, end2]) {
      await w.deliver(event as CallEvent);
    }
    const ended = w.publisher.events.filter((e) => e.topic === 'call.ended');
    // The agent's leg (50 s, ringing included) speaks first; the client's leg then gives the talk time.
    expect(ended.map((e) => (e.payload as { data: { duration: number } }).data.duration)).toEqual([50, 44]);
  });

  it('opens the card once when the client’s leg is notified before the agent’s (out of order)', async () => {
    const w = world();
    const [leg1, leg2] = callback as CallEvent[];
    await w.deliver(leg2 as CallEvent, { contactId: 'c-1' });
    await w.deliver(leg1 as CallEvent, { contactId: 'c-1' });
    expect(w.publisher.events.map((e) => e.topic)).toEqual(['call.ringing']);
  });

  it('shows the ringing card without a contact when the number is nobody’s', async () => {
    const w = world();
    await w.deliver(callback[0] as CallEvent);
    expect(w.publisher.events[0]?.payload).toMatchObject({ data: { contact: null, requestId: 'req-1' } });
  });

  it('says nothing of a leg that starts after the call was answered (a late notification)', async () => {
    const w = world();
    const [leg1, , answer] = callback as CallEvent[];
    await w.deliver(leg1 as CallEvent);
    await w.deliver(answer as CallEvent);
    const before = w.publisher.events.length;
    await w.deliver({ ...(leg1 as CallEvent), receivedAt: '2024-05-14T07:15:45.000Z' } as CallEvent);
    expect(w.publisher.events).toHaveLength(before);
  });
});
