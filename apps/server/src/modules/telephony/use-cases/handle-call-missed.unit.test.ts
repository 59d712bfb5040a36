/**
 * handle-call-missed on the in-memory adapters: a missed inbound call is told (`call.missed`) to the users of
 * the extensions it rang and to its contact's responsible user, once each; answered and outbound calls say
 * nothing.
 */
import { describe, expect, it } from 'vitest';
import type { StoredCall } from '../ports.js';
import { callWorkspaceWorld, olga, tom } from '../test-support/call-workspace-world.js';
import { handleCallMissed } from './handle-call-missed.js';

describe('handle-call-missed', () => {
  it('tells the rung agent that a call from an unknown number was missed', async () => {
    const w = await callWorkspaceWorld();
    expect(w.missed.status).toBe('missed');
    await handleCallMissed(w.ports, w.missed);
    expect(w.ports.publisher.events).toEqual([
      expect.objectContaining({
        topic: 'call.missed',
        payload: {
          userIds: [olga.id],
          data: {
            pbxCallId: w.missed.pbxCallId,
            callId: w.missed.id,
            clientNumber: w.missed.clientNumber,
            clientE164: w.missed.clientE164,
            startedAt: w.missed.startedAt,
            contact: null,
          },
        },
      }),
    ]);
  });

  it('tells the contact’s responsible user too, naming the contact', async () => {
    const w = await callWorkspaceWorld();
    const linked = (await w.ports.calls.link(w.missed, { contactId: 'c-tom' })) as StoredCall;
    await handleCallMissed(w.ports, linked);
    expect(w.ports.publisher.events).toHaveLength(1);
    expect(w.ports.publisher.events[0]?.payload).toMatchObject({
      userIds: [olga.id, tom.id],
      data: { contact: { id: 'c-tom', displayName: 'Gordon Caller' } },
    });
  });

  it('names each user once when the rung agent is also the responsible one', async () => {
    const w = await callWorkspaceWorld();
    const linked = (await w.ports.calls.link(w.missed, {
      contactId: 'c-tom',
      agentUserId: olga.id,
    })) as StoredCall;
    const ports = {
      ...w.ports,
      cards: {
        cardOf: async () => ({
          ...((await w.ports.cards.cardOf('c-tom')) as NonNullable<
            Awaited<ReturnType<typeof w.ports.cards.cardOf>>
          >),
          responsibleUser: { id: olga.id, name: 'Olga' },
        }),
      },
    };
    await handleCallMissed(ports, linked);
    expect(w.ports.publisher.events[0]?.payload).toMatchObject({ userIds: [olga.id] });
  });

  it('publishes nothing for an answered call, an outbound call, or a missed call nobody can hear of', async () => {
    const w = await callWorkspaceWorld();
    await handleCallMissed(w.ports, w.answered);
    await handleCallMissed(w.ports, { ...w.missed, direction: 'outbound' });
    await handleCallMissed(w.ports, { ...w.missed, ringingExtensions: ['999'] });
    expect(w.ports.publisher.events).toEqual([]);
  });
});
