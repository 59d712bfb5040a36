/**
 * The call workspace's world on the in-memory adapters: an inbound call answered at extension 101 (Olga), a
 * missed inbound call that rang 101, an outbound call placed from 102 (Boris), contacts with their phones and
 * responsible users, the timeline and the live bus. Why: the card's actions are unit-tested without a database.
 */
import { userActor } from '../../../platform/auth/actor.js';
import { createInMemoryCallRepository } from '../adapters/in-memory-call-store.js';
import { createInMemoryCallWorkspaceStore } from '../adapters/in-memory-call-workspace-store.js';
import {
  createInMemoryCallTimeline,
  createInMemoryCrmCardReader,
  createInMemoryEventPublisher,
  createInMemoryExtensionDirectory,
} from '../adapters/in-memory-telephony.js';
import type { ContactCard, StoredCall } from '../ports.js';
import {
  asAnotherCall,
  foldEvents,
  inboundAnswered,
  inboundMissed,
  outboundAnswered,
} from './call-scenarios.js';

export const admin = userActor({ id: 'u-admin', role: 'admin', name: 'Ada', locale: 'en' });
export const olga = userActor({ id: 'u-olga', role: 'agent', name: 'Olga', locale: 'en' });
export const boris = userActor({ id: 'u-boris', role: 'agent', name: 'Boris', locale: 'en' });
export const tom = userActor({ id: 'u-tom', role: 'agent', name: 'Tom', locale: 'en' });

/** A contact card with nothing on it but its name and responsible user. */
export function card(id: string, displayName: string, responsible: { id: string; name: string } | null) {
  const value: ContactCard = {
    id,
    displayName,
    company: null,
    responsibleUser: responsible,
    doNotCall: false,
    openDeals: [],
    openTasks: [],
    lastCalls: [],
  };
  return value;
}

/** Builds the world: Olga holds 101, Boris 102; Tom is responsible for contact `c-tom` (the answered caller's). */
export async function callWorkspaceWorld() {
  const calls = createInMemoryCallRepository();
  // The webhook path resolves the client's E.164 when it links a call; the fold alone leaves it null.
  const CLIENT = '+442037691880';
  const answered = (await calls.link(await foldEvents(calls, inboundAnswered), {
    clientE164: CLIENT,
  })) as StoredCall;
  const missed = await foldEvents(calls, asAnotherCall(inboundMissed, 'in_missed', 60_000));
  const outbound = await foldEvents(calls, outboundAnswered);
  const directory = createInMemoryExtensionDirectory();
  directory.assign('101', olga.id, 'Olga');
  directory.assign('102', boris.id, 'Boris');
  const contacts = [
    { id: 'c-tom', responsibleUserId: tom.id, phones: [CLIENT] },
    { id: 'c-other', responsibleUserId: tom.id, phones: ['+33600000000'] },
    { id: 'c-shared', responsibleUserId: null, phones: [CLIENT] },
  ];
  const store = createInMemoryCallWorkspaceStore({ calls: () => calls.list(), contacts });
  const cards = createInMemoryCrmCardReader([
    card('c-tom', 'Gordon Caller', { id: tom.id, name: 'Tom' }),
    card('c-other', 'Someone Else', { id: tom.id, name: 'Tom' }),
    card('c-shared', 'Gordon Shared', null),
  ]);
  const timeline = createInMemoryCallTimeline();
  const publisher = createInMemoryEventPublisher();
  return {
    ports: { store, calls, directory, cards, timeline, publisher },
    answered,
    missed,
    outbound,
  };
}
