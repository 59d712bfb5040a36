/**
 * The agent's wrap-up card across reloads: opened and closed per user, for a call they may work on; a card closed
 * stays closed, and anyone else finds no call.
 */
import { describe, expect, it } from 'vitest';
import { systemActor, userActor } from '../../../platform/auth/actor.js';
import { createInMemoryCallRepository } from '../adapters/in-memory-call-store.js';
import { createInMemoryExtensionDirectory } from '../adapters/in-memory-webhook-path.js';
import { createInMemoryWrapUpCards } from '../adapters/in-memory-wrap-up-cards.js';
import type { CallWorkspaceStore, StoredCall } from '../ports.js';
import { foldEvents, inboundAnswered } from '../test-support/call-scenarios.js';
import { setWrapUpCard } from './wrap-up-cards.js';

const olga = userActor({ id: 'u-olga', role: 'agent', name: 'Olga', locale: 'en' });
const boris = userActor({ id: 'u-boris', role: 'agent', name: 'Boris', locale: 'en' });
const nina = userActor({ id: 'u-nina', role: 'agent', name: 'Nina', locale: 'en' });
const rita = userActor({ id: 'u-rita', role: 'agent', name: 'Rita', locale: 'en' });
const SINCE = '2024-05-14T00:00:00.000Z';

async function world() {
  const calls = createInMemoryCallRepository();
  const directory = createInMemoryExtensionDirectory();
  directory.assign('101', 'u-olga');
  directory.assign('102', 'u-boris');
  directory.assign('103', 'u-nina');
  const wrapUps = createInMemoryWrapUpCards();
  // Rita is responsible for the call's contact; only that question of the store is asked here.
  const store = {
    isResponsibleFor: async (contactId: string, userId: string) =>
      contactId === 'k-anna' && userId === 'u-rita',
  } as Pick<CallWorkspaceStore, 'isResponsibleFor'> as CallWorkspaceStore;
  // Rang 101 and 102, answered on 101.
  const call = (await calls.link(await foldEvents(calls, inboundAnswered), {
    contactId: 'k-anna',
  })) as StoredCall;
  return { ports: { store, calls, directory, wrapUps }, wrapUps, call };
}

describe('setWrapUpCard', () => {
  it("opens and closes the user's own card only", async () => {
    const { ports, wrapUps, call } = await world();
    await setWrapUpCard(ports, olga, { callId: call.id, open: true, at: '2024-05-14T07:17:00.000Z' });
    expect(await wrapUps.openFor('u-olga', SINCE, 10)).toEqual([call.id]);
    expect(await wrapUps.openFor('u-boris', SINCE, 10)).toEqual([]);
    await setWrapUpCard(ports, olga, { callId: call.id, open: false, at: '2024-05-14T07:18:00.000Z' });
    expect(await wrapUps.openFor('u-olga', SINCE, 10)).toEqual([]);
    // A card closed (by another tab) is not opened again by a late "open".
    await setWrapUpCard(ports, olga, { callId: call.id, open: true, at: '2024-05-14T07:19:00.000Z' });
    expect(await wrapUps.openFor('u-olga', SINCE, 10)).toEqual([]);
  });

  it('lets those the call rang, and the contact’s responsible, keep a card', async () => {
    const { ports, wrapUps, call } = await world();
    for (const actor of [boris, rita]) {
      await setWrapUpCard(ports, actor, { callId: call.id, open: true, at: '2024-05-14T07:17:00.000Z' });
      expect(await wrapUps.openFor(actor.id, SINCE, 10)).toEqual([call.id]);
    }
  });

  it('answers SB_ERR_NOT_FOUND to a user the call never reached, to the system, and for an unknown call', async () => {
    const { ports, wrapUps, call } = await world();
    for (const actor of [nina, systemActor('test')]) {
      await expect(
        setWrapUpCard(ports, actor, { callId: call.id, open: true, at: '2024-05-14T07:17:00.000Z' }),
      ).rejects.toMatchObject({ code: 'SB_ERR_NOT_FOUND' });
    }
    await expect(
      setWrapUpCard(ports, olga, { callId: 'no-such-call', open: true, at: '2024-05-14T07:17:00.000Z' }),
    ).rejects.toMatchObject({ code: 'SB_ERR_NOT_FOUND' });
    expect(await wrapUps.openFor('u-nina', SINCE, 10)).toEqual([]);
  });
});
