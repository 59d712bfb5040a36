/**
 * The use cases behind the call-reading routes (`/api/calls`, `/api/call-log/:id`, `/api/statistics`) on the
 * in-memory adapters: who reads which call, the note on a call, a call's page, and who holds each extension's row.
 */
import { describe, expect, it } from 'vitest';
import { userActor } from '../../../platform/auth/actor.js';
import {
  createInMemoryCallListPages,
  createInMemoryCallLogDetails,
  createInMemoryCallNotes,
  createInMemoryCallStatistics,
} from '../adapters/in-memory-call-list.js';
import { createInMemoryCallRepository } from '../adapters/in-memory-call-store.js';
import {
  createInMemoryCallReadModel,
  createInMemoryCallVisibility,
} from '../adapters/in-memory-read-models.js';
import { createInMemoryExtensionAssignmentRepository } from '../adapters/in-memory-settings.js';
import { createInMemoryCallTimeline } from '../adapters/in-memory-webhook-path.js';
import type { CallEvent } from '../domain/call-event.js';
import type { StoredCall } from '../ports.js';
import {
  asAnotherCall,
  foldEvents,
  inboundAnswered,
  inboundMissed,
  outboundAnswered,
} from '../test-support/call-scenarios.js';
import { callReadScope } from './call-visibility.js';
import { listCalls } from './list-calls.js';
import { readCallLogCall } from './read-call-log-entries.js';
import { readCallStatisticsReport } from './read-call-statistics-report.js';
import { readVisibleCall } from './read-visible-call.js';
import { saveCallNote } from './save-call-note.js';

const admin = userActor({ id: 'u-admin', role: 'admin', name: 'Ada', locale: 'en' });
const olga = userActor({ id: 'u-olga', role: 'agent', name: 'Olga', locale: 'en' });
const boris = userActor({ id: 'u-boris', role: 'agent', name: 'Boris', locale: 'en' });

async function world() {
  const calls = createInMemoryCallRepository();
  const fold = (events: readonly CallEvent[]) => foldEvents(calls, events);
  // Olga answered the inbound call; the missed one is of Boris's contact; the outbound call is nobody's.
  const answered = (await calls.link(await fold(inboundAnswered), { agentUserId: olga.id })) as StoredCall;
  const missed = (await calls.link(await fold(asAnotherCall(inboundMissed, 'in_missed', 60_000)), {
    contactId: 'c-boris',
  })) as StoredCall;
  const outbound = await fold(outboundAnswered);
  const notes: { callId: string; body: string }[] = [];
  // The missed call's trace, written as processing writes it.
  const timeline = createInMemoryCallTimeline();
  await timeline.recordRoutingDecision({
    callId: missed.id,
    at: missed.startedAt as string,
    reason: 'unknown caller; PBX scenario',
    reply: {},
    trace: [{ code: 'pbxScenario', params: {} }],
  });
  const w = {
    calls,
    contacts: [{ id: 'c-boris', displayName: 'Client of Boris', responsibleUserId: boris.id }],
    users: [
      { id: olga.id, name: 'Olga' },
      { id: boris.id, name: 'Boris' },
    ],
    notes,
  };
  const ports = {
    calls,
    pages: createInMemoryCallListPages(w),
    notes: createInMemoryCallNotes(notes),
    readModel: createInMemoryCallReadModel(w),
    visibility: createInMemoryCallVisibility(w, callReadScope),
    clock: { now: () => Date.parse('2024-05-14T09:00:00.000Z') },
    log: createInMemoryCallLogDetails(w, timeline),
  };
  return { ports, answered, missed, outbound, notes };
}

describe('list-calls', () => {
  it('gives an admin every call, newest first, with the total', async () => {
    const { ports, answered, missed, outbound } = await world();
    const page = await listCalls(ports, admin, { page: 1, pageSize: 50 });
    expect(page.total).toBe(3);
    expect(new Set(page.items.map((c) => c.id))).toEqual(new Set([answered.id, missed.id, outbound.id]));
    const starts = page.items.map((c) => c.startedAt);
    expect(starts).toEqual([...starts].sort().reverse());
  });

  it('gives an agent the calls they handled or of their contacts, and pages them', async () => {
    const { ports, answered, missed } = await world();
    expect((await listCalls(ports, olga, { page: 1, pageSize: 50 })).items.map((c) => c.id)).toEqual([
      answered.id,
    ]);
    const borisPage = await listCalls(ports, boris, { page: 1, pageSize: 50 });
    expect(borisPage.items.map((c) => [c.id, c.contact?.displayName])).toEqual([
      [missed.id, 'Client of Boris'],
    ]);
    const second = await listCalls(ports, admin, { page: 2, pageSize: 2 });
    expect({ total: second.total, count: second.items.length }).toEqual({ total: 3, count: 1 });
    expect((await listCalls(ports, admin, { direction: 'out', page: 1, pageSize: 50 })).total).toBe(1);
    expect((await listCalls(ports, admin, { userId: olga.id, page: 1, pageSize: 50 })).total).toBe(1);
  });
});

describe('read-visible-call', () => {
  it('answers 404 alike for a missing call and one the actor may not read', async () => {
    const { ports, answered } = await world();
    await expect(readVisibleCall(ports, olga, answered.id)).resolves.toMatchObject({ id: answered.id });
    for (const [actor, id] of [
      [boris, answered.id],
      [admin, 'no-such-call'],
    ] as const) {
      await expect(readVisibleCall(ports, actor, id)).rejects.toMatchObject({ code: 'SB_ERR_NOT_FOUND' });
    }
  });
});

describe('save-call-note', () => {
  it('writes the note on a readable call once, then replaces it', async () => {
    const { ports, answered, notes } = await world();
    expect((await saveCallNote(ports, olga, { callId: answered.id, note: 'wants a quote' })).note).toBe(
      'wants a quote',
    );
    expect((await saveCallNote(ports, olga, { callId: answered.id, note: 'sent the quote' })).note).toBe(
      'sent the quote',
    );
    expect(notes).toEqual([{ callId: answered.id, body: 'sent the quote', authorId: olga.id }]);
  });

  it('refuses a note on a call the writer may not read, and one that is too long, writing nothing', async () => {
    const { ports, answered, notes } = await world();
    await expect(saveCallNote(ports, boris, { callId: answered.id, note: 'x' })).rejects.toMatchObject({
      code: 'SB_ERR_NOT_FOUND',
    });
    await expect(
      saveCallNote(ports, olga, { callId: answered.id, note: 'x'.repeat(10_001) }),
    ).rejects.toMatchObject({ code: 'SB_ERR_VALIDATION' });
    expect(notes).toEqual([]);
  });
});

describe('read-call-log-call', () => {
  it("shows a missed call's legs, trace and fate to who may read it", async () => {
    const { ports, missed } = await world();
    const page = await readCallLogCall(ports, boris, missed.id);
    expect(page.call).toMatchObject({ id: missed.id, legCount: inboundMissed.length });
    expect(page.legs.map((l) => l.kind)).toEqual(inboundMissed.map((e) => e.kind));
    expect(page.trace).toEqual([expect.objectContaining({ type: 'call.routing.pbxScenario', params: {} })]);
    // A hidden number cannot be called back: such a missed call stays not returned.
    expect(page.missed).toEqual({ classification: 'not_returned', secondsToCallBack: null });
    await expect(readCallLogCall(ports, olga, missed.id)).rejects.toMatchObject({ code: 'SB_ERR_NOT_FOUND' });
  });
});

describe('read-call-statistics-report', () => {
  it("names the user holding each extension's row today, and nobody for a free extension", async () => {
    const assignments = createInMemoryExtensionAssignmentRepository((id) => (id === olga.id ? 'Olga' : id));
    await assignments.assign('101', olga.id);
    const hour = Math.floor(Date.parse('2024-05-14T08:00:00.000Z') / 3_600_000);
    const cell = {
      hour,
      direction: 'in' as const,
      outcome: 'answered',
      calls: 2,
      talkSeconds: 90,
      waitSeconds: 10,
    };
    const statistics = createInMemoryCallStatistics([
      { ...cell, extension: '101' },
      { ...cell, extension: '102' },
    ]);
    const report = await readCallStatisticsReport({ statistics, assignments }, admin, {
      from: '2024-05-14',
      to: '2024-05-14',
      timeZone: 'UTC',
    });
    expect(report.agents.map((a) => [a.extension, a.user, a.figures.answered])).toEqual([
      ['101', { id: olga.id, name: 'Olga' }, 2],
      ['102', null, 2],
    ]);
    // An agent reads their own extension's row only.
    const own = await readCallStatisticsReport({ statistics, assignments }, olga, {
      from: '2024-05-14',
      to: '2024-05-14',
      timeZone: 'UTC',
    });
    expect(own.agents.map((a) => a.extension)).toEqual(['101']);
  });
});
