import { describe, expect, it } from 'vitest';
import type { CallEvent } from '../domain/call-event.js';
import type { ContactCard } from '../ports.js';
import { inboundAnswered } from '../test-support/call-scenarios.js';
import { createInMemoryWebhookPorts } from '../test-support/in-memory-webhook-ports.js';
import { handleCallEvent } from './handle-call-event.js';
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

  it('opens a popup for each extension a ring group rings, while the call is new', async () => {
    const t = createInMemoryWebhookPorts();
    t.directory.assign('101', 'user-olga');
    t.directory.assign('102', 'user-tom');
    const [start, ring101, ring102] = inboundAnswered as Ringing[];
    await t.calls.applyEvent(start as CallEvent);
    for (const ringing of [ring101, ring102] as Ringing[]) {
      const { call } = await t.calls.applyEvent(ringing);
      await handleCallRinging(t.processing, ringing, call);
    }
    expect(t.publisher.events.map((e) => (e.payload as { userIds: string[] }).userIds)).toEqual([
      ['user-olga'],
      ['user-tom'],
    ]);
  });

  it('opens nothing for a captured signature replayed under a made-up call id (a forged NOTIFY_INTERNAL)', async () => {
    const t = createInMemoryWebhookPorts();
    t.directory.assign('101', 'user-olga');
    t.directory.assign('102', 'user-tom');
    const [start, ring101] = inboundAnswered as Ringing[];
    await t.calls.applyEvent(start as CallEvent);
    const real = await t.calls.applyEvent(ring101 as Ringing);
    await handleCallRinging(t.processing, ring101 as Ringing, real.call);
    // Same signed fields (caller_id, called_did, call_start), another pbx_call_id and extension: what a captured
    // NOTIFY_START or NOTIFY_INTERNAL of the real call lets anyone post, with a valid signature.
    const forged: Ringing = {
      ...(ring101 as Ringing),
      pbxCallId: 'in_forged000000000000000000000000000000000',
      extension: '102',
      receivedAt: new Date(Date.parse((ring101 as Ringing).receivedAt) + 2_000).toISOString(),
    };
    const forgedStart = {
      ...(start as CallEvent),
      pbxCallId: forged.pbxCallId,
      receivedAt: forged.receivedAt,
    };
    await t.calls.applyEvent(forgedStart);
    const call = await handleCallEvent(t.processing, {
      event: forged,
      defaultCountry: 'FR',
      now: forged.receivedAt,
    });
    expect(t.publisher.events.map((e) => (e.payload as { userIds: string[] }).userIds)).toEqual([
      ['user-olga'],
    ]);
    // Stored (it is correctly signed) but marked, and its extension rings no one: Tom's restore and the call
    // workspace's access rule read `ringingExtensions`.
    expect(call.ringingExtensions).toEqual([]);
    expect(call.events.find((e) => e.kind === 'internal')).toMatchObject({
      extension: '102',
      untrusted: true,
    });
    expect((await t.calls.get(real.call.pbxCallId))?.ringingExtensions).toEqual(['101']);
  });

  it('opens nothing for a call first heard of longer ago than the ringing window (a replay)', async () => {
    const t = createInMemoryWebhookPorts();
    t.directory.assign('102', 'user-tom');
    const [start, , ring102] = inboundAnswered as Ringing[];
    await t.calls.applyEvent(start as CallEvent);
    const late: Ringing = {
      ...(ring102 as Ringing),
      receivedAt: new Date(Date.parse((start as CallEvent).receivedAt) + 16 * 60_000).toISOString(),
    };
    const call = await handleCallEvent(t.processing, {
      event: late,
      defaultCountry: 'FR',
      now: late.receivedAt,
    });
    expect(call.status).toBe('ringing');
    expect(call.ringingExtensions).toEqual([]);
    expect(t.publisher.events.filter((e) => e.topic === 'call.ringing')).toEqual([]);
  });

  it('lets a NOTIFY_INTERNAL heard before its NOTIFY_START ring (out of order), and a re-delivery stay one', async () => {
    const t = createInMemoryWebhookPorts();
    t.directory.assign('101', 'user-olga');
    const [start, ring101] = inboundAnswered as Ringing[];
    const first = await handleCallEvent(t.processing, {
      event: ring101 as Ringing,
      defaultCountry: 'FR',
      now: (ring101 as Ringing).receivedAt,
    });
    await handleCallEvent(t.processing, {
      event: ring101 as Ringing,
      defaultCountry: 'FR',
      now: first.updatedAt,
    });
    const call = await handleCallEvent(t.processing, {
      event: start as CallEvent,
      defaultCountry: 'FR',
      now: (start as CallEvent).receivedAt,
    });
    expect(call.ringingExtensions).toEqual(['101']);
    expect(call.events.filter((e) => e.kind === 'internal')).toHaveLength(1);
    expect(t.publisher.events.filter((e) => e.topic === 'call.ringing')).toHaveLength(1);
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
