/**
 * What a tab connecting during a call receives first, on the in-memory call store: the card of each call in the
 * user's audience in the state it is in (ringing, answered by them), the wrap-up cards they left open, and
 * nothing for a colleague's call, a stale call or a closed card; a call opened by hand, whoever answered it.
 */
import { describe, expect, it } from 'vitest';
import { userActor } from '../../../platform/auth/actor.js';
import { createInMemoryCallRepository } from '../adapters/in-memory-call-store.js';
import {
  createInMemoryCrmCardReader,
  createInMemoryExtensionDirectory,
} from '../adapters/in-memory-webhook-path.js';
import { createInMemoryWrapUpCards } from '../adapters/in-memory-wrap-up-cards.js';
import type { CallEvent } from '../domain/call-event.js';
import type { CallWorkspaceStore, ContactCard, StoredCall } from '../ports.js';
import {
  asAnotherCall,
  foldEvents,
  inboundAnswered,
  inboundMissed,
  outboundAnswered,
} from '../test-support/call-scenarios.js';
import { type LiveCallsPorts, liveCallFramesFor, liveCallFramesOf } from './restore-live-calls.js';

const START = Date.parse('2024-05-14T07:15:30.000Z');
const MINUTE = 60_000;
const admin = userActor({ id: 'u-admin', role: 'admin', name: 'Ada', locale: 'en' });
const nina = userActor({ id: 'u-nina', role: 'agent', name: 'Nina', locale: 'en' });

const card: ContactCard = {
  id: 'k-anna',
  displayName: 'Anna',
  company: null,
  responsibleUser: null,
  doNotCall: false,
  openDeals: [],
  openTasks: [],
  lastCalls: [],
};

async function world() {
  const calls = createInMemoryCallRepository();
  const wrapUps = createInMemoryWrapUpCards();
  const outcomes = new Map<string, 'interested' | null>();
  const directory = createInMemoryExtensionDirectory();
  directory.assign('101', 'u-olga', 'Olga');
  directory.assign('102', 'u-boris', 'Boris');
  directory.assign('103', 'u-nina', 'Nina');
  // The Kysely store's query (kysely-call-workspace-store.ts) over the in-memory calls.
  const store = {
    async inProgressFor({ userId, extension, ringingSince, inProgressSince }) {
      return (await calls.list({ limit: 1000 }))
        .filter(
          (c) =>
            c.startedAt !== null &&
            ((c.status === 'ringing' && c.startedAt >= ringingSince) ||
              (c.status === 'in_progress' && c.startedAt >= inProgressSince)),
        )
        .filter(
          (c) =>
            c.agentUserId === userId ||
            (extension !== null &&
              (c.answeredBy === extension ||
                c.originExtension === extension ||
                c.ringingExtensions.includes(extension))),
        )
        .sort((a, b) => ((a.startedAt ?? '') < (b.startedAt ?? '') ? 1 : -1))
        .slice(0, 20)
        .map((c) => c.id);
    },
    async isResponsibleFor() {
      return false;
    },
    async wrapUpOf(callId) {
      return { outcome: outcomes.get(callId) ?? null, outcomeBy: null, outcomeAt: null };
    },
  } as Pick<CallWorkspaceStore, 'inProgressFor' | 'isResponsibleFor' | 'wrapUpOf'> as CallWorkspaceStore;
  const ports: LiveCallsPorts = {
    store,
    calls,
    directory,
    cards: createInMemoryCrmCardReader([card]),
    wrapUps,
  };
  /** Folds `events` as call `id`, `shiftMs` later, optionally linked to Anna and to its agent. */
  const fold = async (events: readonly CallEvent[], id: string, shiftMs = 0, agentUserId?: string) =>
    (await calls.link(await foldEvents(calls, asAnotherCall(events, id, shiftMs)), {
      contactId: 'k-anna',
      ...(agentUserId ? { agentUserId } : {}),
    })) as StoredCall;
  return { ports, calls, wrapUps, outcomes, fold };
}

const topics = (frames: readonly { topic: string }[]) => frames.map((f) => f.topic);

describe('liveCallFramesFor', () => {
  it('restores a ringing inbound call to each extension it rings, with the contact card', async () => {
    const { ports, fold } = await world();
    // Rings 101 and 102.
    const call = await fold(inboundAnswered.slice(0, 3), 'in_ringing');
    expect(call.status).toBe('ringing');
    const olga = await liveCallFramesFor(ports, 'u-olga', START + MINUTE);
    expect(olga).toEqual([
      {
        topic: 'call.ringing',
        data: expect.objectContaining({
          callId: call.id,
          extension: '101',
          contact: expect.objectContaining({ id: 'k-anna' }),
        }),
      },
    ]);
    const boris = await liveCallFramesFor(ports, 'u-boris', START + MINUTE);
    expect(boris).toEqual([{ topic: 'call.ringing', data: expect.objectContaining({ extension: '102' }) }]);
    expect(await liveCallFramesFor(ports, 'u-nina', START + MINUTE)).toEqual([]);
    // A call still ringing after five minutes lost its end notification: no card.
    expect(await liveCallFramesFor(ports, 'u-olga', START + 6 * MINUTE)).toEqual([]);
  });

  it('restores an answered call to whoever has it, with the answering agent, and not to the colleague it rang', async () => {
    const { ports, fold } = await world();
    const call = await fold(inboundAnswered.slice(0, 4), 'in_answered', 0, 'u-olga');
    expect(call.status).toBe('in_progress');
    const frames = await liveCallFramesFor(ports, 'u-olga', START + MINUTE);
    expect(topics(frames)).toEqual(['call.ringing', 'call.answered']);
    expect(frames[1]?.data).toMatchObject({
      callId: call.id,
      answeredBy: { userId: 'u-olga', name: 'Olga', extension: '101' },
      answeredAt: call.answeredAt,
    });
    expect(await liveCallFramesFor(ports, 'u-boris', START + MINUTE)).toEqual([]);
    // Four hours on, an unended call is a lost end notification.
    expect(topics(await liveCallFramesFor(ports, 'u-olga', START + 3 * 60 * MINUTE))).toHaveLength(2);
    expect(await liveCallFramesFor(ports, 'u-olga', START + 4 * 60 * MINUTE + MINUTE)).toEqual([]);
  });

  it('restores an outbound call to the extension that placed it', async () => {
    const { ports, fold } = await world();
    const call = await fold(outboundAnswered.slice(0, 2), 'out_live');
    expect(call.status).toBe('in_progress');
    const frames = await liveCallFramesFor(ports, 'u-boris', START + MINUTE);
    expect(topics(frames)).toEqual(['call.ringing', 'call.answered']);
    expect(frames[0]?.data).toMatchObject({ extension: '102', direction: 'out' });
    expect(frames[1]?.data).toMatchObject({ answeredBy: { extension: '102' } });
    expect(await liveCallFramesFor(ports, 'u-olga', START + MINUTE)).toEqual([]);
  });

  it('restores the wrap-up cards left open before the live calls, oldest first, with the outcome so far', async () => {
    const { ports, fold, wrapUps, outcomes } = await world();
    const first = await fold(inboundAnswered, 'in_done_1', -20 * MINUTE, 'u-olga');
    const second = await fold(inboundAnswered, 'in_done_2', -10 * MINUTE, 'u-olga');
    const closed = await fold(inboundAnswered, 'in_done_3', -5 * MINUTE, 'u-olga');
    const live = await fold(inboundAnswered.slice(0, 4), 'in_live', 0, 'u-olga');
    const at = (ms: number) => new Date(START + ms).toISOString();
    await wrapUps.open(first.id, 'u-olga', at(-18 * MINUTE));
    await wrapUps.open(second.id, 'u-olga', at(-8 * MINUTE));
    await wrapUps.open(closed.id, 'u-olga', at(-3 * MINUTE));
    await wrapUps.close(closed.id, 'u-olga', at(-2 * MINUTE));
    // An open card of a call still in progress is not a wrap-up yet.
    await wrapUps.open(live.id, 'u-olga', at(0));
    outcomes.set(second.id, 'interested');
    const frames = await liveCallFramesFor(ports, 'u-olga', START + MINUTE);
    expect(frames.map((f) => [f.topic, (f.data as { callId: string }).callId])).toEqual([
      ['call.ringing', first.id],
      ['call.ended', first.id],
      ['call.ringing', second.id],
      ['call.ended', second.id],
      ['call.ringing', live.id],
      ['call.answered', live.id],
    ]);
    expect(frames[1]?.data).toMatchObject({ status: first.status, wrapUp: { outcome: null } });
    expect(frames[3]?.data).toMatchObject({ wrapUp: { outcome: 'interested' } });
    // A card left open for more than twelve hours is forgotten.
    expect(await liveCallFramesFor(ports, 'u-olga', START + 13 * 60 * MINUTE)).toEqual([]);
  });
});

describe('liveCallFramesOf', () => {
  it('gives a call opened by hand whoever answered it, to those who may work on it', async () => {
    const { ports, fold } = await world();
    const call = await fold(inboundAnswered.slice(0, 4), 'in_answered', 0, 'u-olga');
    const boris = userActor({ id: 'u-boris', role: 'agent', name: 'Boris', locale: 'en' });
    for (const actor of [admin, boris]) {
      const frames = await liveCallFramesOf(ports, actor, call.id);
      expect(topics(frames ?? [])).toEqual(['call.ringing', 'call.answered']);
      expect(frames?.[1]?.data).toMatchObject({ answeredBy: { userId: 'u-olga', extension: '101' } });
    }
    // Nina's extension never rang: not hers to work on.
    expect(await liveCallFramesOf(ports, nina, call.id)).toBeNull();
  });

  it('gives nothing for a call that is over or unknown', async () => {
    const { ports, fold } = await world();
    const missed = await fold(inboundMissed, 'in_missed');
    expect(await liveCallFramesOf(ports, admin, missed.id)).toBeNull();
    expect(await liveCallFramesOf(ports, admin, 'no-such-call')).toBeNull();
  });
});
