/**
 * The call read models' use cases on the in-memory adapters: the chart's counts per local day, the views of
 * calls with names and notes, and who may read a call.
 */
import { describe, expect, it } from 'vitest';
import { systemActor, userActor } from '../../../platform/auth/actor.js';
import {
  createInMemoryCallReadModel,
  createInMemoryCallRepository,
  createInMemoryCallVisibility,
} from '../adapters/in-memory-telephony.js';
import type { CallEvent } from '../domain/call-event.js';
import { inboundAnswered, inboundMissed, outboundAnswered } from '../test-support/call-scenarios.js';
import { countCallsByDay } from './call-counts-by-day.js';
import { toCallViews } from './call-view.js';
import { callReadScope } from './call-visibility.js';

const admin = userActor({ id: 'u-admin', role: 'admin', name: 'Ada', locale: 'en' });
const olga = userActor({ id: 'u-olga', role: 'agent', name: 'Olga', locale: 'en' });
const ivan = userActor({ id: 'u-ivan', role: 'agent', name: 'Ivan', locale: 'en' });
const apiClient = { kind: 'api-client', id: 'key-1', scopes: [] } as const;

/** The scenario's events as another call, started `shiftMs` later. */
function shifted(events: readonly CallEvent[], pbxCallId: string, shiftMs: number): CallEvent[] {
  const move = (iso: string) => new Date(Date.parse(iso) + shiftMs).toISOString();
  return events.map((e) => ({
    ...e,
    pbxCallId,
    receivedAt: move(e.receivedAt),
    ...('startedAt' in e && e.startedAt ? { startedAt: move(e.startedAt) } : {}),
  }));
}

async function world() {
  const calls = createInMemoryCallRepository();
  const fold = async (events: readonly CallEvent[]) => {
    let last = null;
    for (const event of events) {
      last = (await calls.applyEvent(event)).call;
    }
    return last as NonNullable<typeof last>;
  };
  // 2024-05-14 07:15 UTC: an answered call of Olga's, a missed one on Ivan's contact; the next day, Ivan's.
  const linked = async (call: Awaited<ReturnType<typeof fold>>, links: Parameters<typeof calls.link>[1]) =>
    (await calls.link(call, links)) ?? call;
  const answered = await linked(await fold(inboundAnswered), { agentUserId: olga.id, contactId: 'c-jean' });
  const missed = await linked(await fold(shifted(inboundMissed, 'in_missed', 60_000)), {
    contactId: 'c-zoe',
  });
  const nextDay = await linked(await fold(shifted(outboundAnswered, 'out_next_day', 86_400_000)), {
    agentUserId: ivan.id,
  });
  const stored = {
    calls,
    contacts: [
      { id: 'c-jean', displayName: 'Jean Dupont', responsibleUserId: null },
      { id: 'c-zoe', displayName: 'Zoé Martin', responsibleUserId: ivan.id },
    ],
    users: [
      { id: olga.id, name: 'Olga' },
      { id: ivan.id, name: 'Ivan' },
    ],
    notes: [{ callId: answered.id, body: 'wants a quote' }],
  };
  return { ...stored, answered, missed, nextDay, readModel: createInMemoryCallReadModel(stored) };
}

describe('countCallsByDay', () => {
  const now = new Date('2024-05-15T12:00:00Z');

  it('counts answered and missed calls per local day, empty days included', async () => {
    const w = await world();
    const counts = await countCallsByDay({
      readModel: w.readModel,
      reader: admin,
      timeZone: 'Europe/Moscow',
      days: 3,
      now,
    });
    expect(counts).toEqual([
      { day: '2024-05-13', answered: 0, missed: 0 },
      { day: '2024-05-14', answered: 1, missed: 1 },
      { day: '2024-05-15', answered: 1, missed: 0 },
    ]);
  });

  it('counts for an agent only the calls they may read, and nothing for an API client', async () => {
    const w = await world();
    const count = (reader: Parameters<typeof countCallsByDay>[0]['reader']) =>
      countCallsByDay({ readModel: w.readModel, reader, timeZone: 'UTC', days: 2, now });
    expect(await count(olga)).toEqual([
      { day: '2024-05-14', answered: 1, missed: 0 },
      { day: '2024-05-15', answered: 0, missed: 0 },
    ]);
    expect(await count(ivan)).toEqual([
      { day: '2024-05-14', answered: 0, missed: 1 },
      { day: '2024-05-15', answered: 1, missed: 0 },
    ]);
    expect((await count(apiClient)).every((d) => d.answered === 0 && d.missed === 0)).toBe(true);
  });
});

describe('toCallViews', () => {
  it('shows each call with its contact’s and agent’s names and its note', async () => {
    const w = await world();
    const [answered, missed] = await toCallViews(w.readModel, [w.answered, w.missed]);
    expect(answered).toMatchObject({
      id: w.answered.id,
      direction: 'in',
      status: 'answered',
      contact: { id: 'c-jean', displayName: 'Jean Dupont' },
      agent: { id: olga.id, name: 'Olga' },
      extension: '101',
      duration: 67,
      isRecorded: true,
      note: 'wants a quote',
    });
    expect(missed).toMatchObject({ status: 'missed', agent: null, note: '' });
    expect(await toCallViews(w.readModel, [])).toEqual([]);
  });
});

describe('call visibility', () => {
  it('lets admins and the system read every call, agents theirs and their contacts’, API clients none', async () => {
    const w = await world();
    const visibility = createInMemoryCallVisibility(w, callReadScope);
    const readable = async (actor: Parameters<typeof callReadScope>[0]) => {
      const ids = [];
      for (const call of [w.answered, w.missed, w.nextDay]) {
        if (await visibility.canRead(actor, call.id)) {
          ids.push(call.id);
        }
      }
      return ids;
    };
    const all = [w.answered.id, w.missed.id, w.nextDay.id];
    expect(await readable(admin)).toEqual(all);
    expect(await readable(systemActor('test'))).toEqual(all);
    expect(await readable(olga)).toEqual([w.answered.id]);
    expect(await readable(ivan)).toEqual([w.missed.id, w.nextDay.id]);
    expect(await readable(apiClient)).toEqual([]);
    expect(await visibility.canRead(admin, 'no-such-call')).toBe(false);
  });
});
