/**
 * The history import and the reconciliation on in-memory adapters: Zadarma's rows folded into the calls the
 * webhooks build (same pbx_call_id, one row per call whatever the legs), importing twice adds nothing, a call the
 * webhooks started but never ended is completed, a 429 is waited out from the cursor, a restart (a fresh step on
 * the stored cursor) resumes where it stopped, a bad row is reported, and only admins start or cancel a run.
 */
import { describe, expect, it } from 'vitest';
import { systemActor, userActor } from '../../../platform/auth/actor.js';
import { createHistoryCallLinks } from '../adapters/history-call-links-over-lookups.js';
import { createInMemoryCallRepository } from '../adapters/in-memory-call-store.js';
import {
  createInMemoryCallHistorySource,
  createInMemoryHistoryJobs,
  createInMemoryHistoryRunStore,
} from '../adapters/in-memory-history.js';
import {
  createInMemoryCallTimeline,
  createInMemoryContactLookup,
  createInMemoryEventPublisher,
  createInMemoryExtensionDirectory,
  createInMemoryUnitOfWork,
  createManualClock,
} from '../adapters/in-memory-webhook-path.js';
import type { CallEvent } from '../domain/call-event.js';
import type { StatisticsCallRow } from '../domain/call-history.js';
import {
  cancelHistoryRun,
  type HistoryPorts,
  readHistoryRuns,
  runHistoryStep,
  startHistoryRun,
  viewHistoryRun,
} from './import-call-history.js';
import { reconcileCalls } from './reconcile-calls.js';

const admin = userActor({ id: 'u-admin', role: 'admin', name: 'Ada', locale: 'en' });
const agent = userActor({ id: 'u-agent', role: 'agent', name: 'Olga', locale: 'en' });
// 2026-01-15 09:00 UTC = 12:00 at UTC+3: the calls below are on the 14th and 15th, account time.
const NOW = Date.parse('2026-01-15T09:00:00.000Z');

let seq = 0;
function row(
  partial: Partial<StatisticsCallRow> & { pbxCallId: string; callstart: string },
): StatisticsCallRow {
  seq++;
  return {
    callId: `17000000${seq}.${seq}`,
    sip: '101',
    clid: 'Marie (33612345678)',
    destination: '101',
    disposition: 'answered',
    seconds: 42,
    isRecorded: false,
    ...partial,
  };
}

const ROWS: StatisticsCallRow[] = [
  row({ pbxCallId: 'in_a1', callstart: '2026-01-14 10:00:00' }),
  // A transfer: two legs of one call, 101 then 102.
  row({ pbxCallId: 'in_b2', callstart: '2026-01-14 11:00:00', sip: '101', seconds: 10 }),
  row({ pbxCallId: 'in_b2', callstart: '2026-01-14 11:00:00', sip: '102', destination: '102', seconds: 20 }),
  // Missed: no extension answered; the DID is its destination.
  row({
    pbxCallId: 'in_c3',
    callstart: '2026-01-14 12:00:00',
    sip: '101',
    destination: '101',
    disposition: 'no answer',
    seconds: 0,
  }),
  row({
    pbxCallId: 'out_d4',
    callstart: '2026-01-15 12:30:00',
    sip: '102',
    clid: 'Tom 102 (102)',
    destination: '33698765432',
    seconds: 65,
    isRecorded: true,
  }),
];

function setUp(rows: StatisticsCallRow[] = ROWS) {
  const calls = createInMemoryCallRepository();
  const contacts = createInMemoryContactLookup([
    {
      id: 'c-marie',
      displayName: 'Marie',
      responsibleUserId: null,
      companyName: null,
      doNotCall: false,
      phones: ['+33612345678'],
    },
  ]);
  const directory = createInMemoryExtensionDirectory();
  directory.assign('101', 'u-101');
  directory.assign('102', 'u-102');
  const source = createInMemoryCallHistorySource(rows);
  const jobs = createInMemoryHistoryJobs();
  const timeline = createInMemoryCallTimeline();
  const runs = createInMemoryHistoryRunStore();
  let id = 0;
  const ports: HistoryPorts = {
    runs,
    source,
    folds: createInMemoryUnitOfWork({
      publisher: createInMemoryEventPublisher(),
      stores: [calls, timeline],
      bind: () => ({ calls, timeline, links: createHistoryCallLinks(contacts, directory), directory }),
    }),
    defaultCountry: async () => 'FR',
    jobs,
    clock: createManualClock(NOW),
    pbxClock: createManualClock(NOW),
    newId: () => `run-${++id}`,
  };
  /** Runs the queued steps as the job queue would, until none is left. */
  async function drain(limit = 100): Promise<number> {
    let steps = 0;
    for (let next = jobs.queued.shift(); next; next = jobs.queued.shift()) {
      await runHistoryStep(ports, next.runId, next.step);
      if (++steps > limit) {
        throw new Error('the run never ends');
      }
    }
    return steps;
  }
  return { ports, calls, source, jobs, runs, timeline, drain };
}

describe('importing the call history', () => {
  it('folds every call Zadarma lists into one call row, with its legs, links and outcome', async () => {
    const t = setUp();
    const run = await startHistoryRun(t.ports, admin, { kind: 'import', days: 30 });
    expect(run.periodEnd).toBe('2026-01-15 12:00:00');
    expect(run.periodStart).toBe('2025-12-16 12:00:00');
    await t.drain();
    const done = await t.runs.get(run.id);
    expect(done).toMatchObject({ status: 'done', callsChecked: 3, callsMissing: 3, callsHealed: 3, rows: 4 });
    // The outbound call started after "now" (12:00): not in the period.
    expect(await t.calls.get('out_d4')).toBeNull();
    const a1 = await t.calls.get('in_a1');
    expect(a1).toMatchObject({
      direction: 'inbound',
      status: 'answered',
      duration: 42,
      answeredBy: '101',
      startedAt: '2026-01-14T07:00:00.000Z',
      clientNumber: '33612345678',
      clientE164: '+33612345678',
      contactId: 'c-marie',
      agentUserId: 'u-101',
    });
    const b2 = await t.calls.get('in_b2');
    // The transfer: talk time is both legs', the agent is the last participant.
    expect(b2).toMatchObject({ status: 'answered', duration: 30, answeredBy: '102', agentUserId: 'u-102' });
    expect(b2?.ringingExtensions).toEqual(['101', '102']);
    // Each call with a contact goes on its timeline, as a webhook-built call does.
    expect(t.timeline.calls().map((i) => i.callId)).toEqual(expect.arrayContaining([a1?.id, b2?.id]));
    const c3 = await t.calls.get('in_c3');
    expect(c3).toMatchObject({ status: 'missed', duration: 0, answeredBy: null, ringingExtensions: ['101'] });
  });

  it('merges a late webhook into an imported call: its DID fills what the import lacked, nothing refused', async () => {
    const t = setUp();
    await startHistoryRun(t.ports, admin, { kind: 'import', days: 30 });
    await t.drain();
    const imported = await t.calls.get('in_a1');
    expect(imported).toMatchObject({ calledDid: null, didNumber: null, status: 'answered' });
    const late: CallEvent = {
      kind: 'end',
      pbxCallId: 'in_a1',
      receivedAt: '2026-01-14T07:00:50.000Z',
      callStart: '2026-01-14 10:00:00',
      startedAt: '2026-01-14T07:00:00.000Z',
      calltype: 'normal',
      callerId: '33612345678',
      calledDid: '442037691999',
      extension: '101',
      lastInternal: '101',
      duration: 42,
      disposition: 'answered',
      statusCode: '16',
      isRecorded: true,
      recordingId: '1700000001.1',
    };
    const { call } = await t.calls.applyEvent(late);
    expect(call).toMatchObject({
      calledDid: '442037691999',
      didNumber: '442037691999',
      status: 'answered',
      duration: 42,
      answeredBy: '101',
      contactId: 'c-marie',
    });
    // The webhook's signed fields now bind the call: a replay signing another caller is still refused.
    await expect(
      t.calls.applyEvent({ ...late, kind: 'start', callerId: '33700000000', receivedAt: late.receivedAt }),
    ).rejects.toThrow(/refused/);
    // Importing again keeps the merged call as it is.
    const merged = await t.calls.get('in_a1');
    await startHistoryRun(t.ports, admin, { kind: 'import', days: 30 });
    await t.drain();
    expect((await t.calls.get('in_a1'))?.version).toBe(merged?.version);
  });

  it('adds nothing when run twice', async () => {
    const t = setUp();
    await startHistoryRun(t.ports, admin, { kind: 'import', days: 30 });
    await t.drain();
    const before = await t.calls.list({ limit: 100 });
    const second = await startHistoryRun(t.ports, admin, { kind: 'import', days: 30 });
    await t.drain();
    const after = await t.calls.list({ limit: 100 });
    expect(after.map((c) => [c.pbxCallId, c.version, c.events.length])).toEqual(
      before.map((c) => [c.pbxCallId, c.version, c.events.length]),
    );
    expect(await t.runs.get(second.id)).toMatchObject({ callsChecked: 3, callsMissing: 0, callsHealed: 0 });
  });

  it('keeps a call split across two pages whole, and resumes from the stored cursor after a restart', async () => {
    const t = setUp();
    const run = await startHistoryRun(t.ports, admin, { kind: 'import', days: 30, pageSize: 2 });
    // One step, then "the server stops": the queued job is lost from memory, the cursor is not.
    const first = t.jobs.queued.shift();
    await runHistoryStep(t.ports, run.id, first?.step ?? 0);
    const midway = await t.runs.get(run.id);
    // The page was a1 + b2's first leg: b2 is left for the next page, whole.
    expect(midway).toMatchObject({ status: 'running', skip: 1, pages: 1, callsChecked: 1 });
    expect(await t.calls.get('in_b2')).toBeNull();
    t.jobs.queued.length = 0;
    // After the restart, the queue runs the step it had stored (the same run, from its cursor).
    await runHistoryStep(t.ports, run.id, 1);
    await t.drain();
    expect(await t.runs.get(run.id)).toMatchObject({
      status: 'done',
      callsChecked: 3,
      callsHealed: 3,
      rows: 4,
    });
    expect((await t.calls.get('in_b2'))?.duration).toBe(30);
    // Every request went on from where the one before stopped: no row was read twice.
    expect(t.source.requests.map((r) => r.skip)).toEqual([0, 1, 3]);
  });

  it('waits out a 429 from the same cursor and reports a bad row instead of skipping it', async () => {
    const bad = row({ pbxCallId: 'in_e5', callstart: '2026-01-14 13:00:00', disposition: '' });
    const t = setUp([...ROWS, bad]);
    const run = await startHistoryRun(t.ports, admin, { kind: 'import', days: 30 });
    t.source.failNext({ kind: 'rate-limited', retryAfterMs: 7_000 });
    await runHistoryStep(t.ports, run.id, 0);
    const waiting = await t.runs.get(run.id);
    expect(waiting).toMatchObject({
      status: 'waiting',
      skip: 0,
      pages: 0,
      resumeAt: '2026-01-15T09:00:07.000Z',
    });
    expect(t.jobs.queued.at(-1)?.at?.toISOString()).toBe('2026-01-15T09:00:07.000Z');
    await t.drain();
    const done = await t.runs.get(run.id);
    expect(done).toMatchObject({
      status: 'done',
      callsChecked: 4,
      callsMissing: 4,
      callsHealed: 3,
      badRows: 1,
    });
    expect(done?.problems[0]).toMatch(/in_e5: no disposition/);
  });

  it('stops at a cancel', async () => {
    const t = setUp();
    const run = await startHistoryRun(t.ports, admin, { kind: 'import', days: 30, pageSize: 1 });
    await runHistoryStep(t.ports, run.id, 0);
    await cancelHistoryRun(t.ports, admin, run.id);
    await t.drain();
    expect(await t.runs.get(run.id)).toMatchObject({ status: 'cancelled', pages: 1 });
    // The step queued before the cancel asks Zadarma nothing.
    expect(t.source.requests).toHaveLength(1);
  });

  it('refuses agents, a second import at once, and a period out of range', async () => {
    const t = setUp();
    await expect(startHistoryRun(t.ports, agent, { kind: 'import', days: 30 })).rejects.toMatchObject({
      code: 'SB_ERR_FORBIDDEN',
    });
    await expect(readHistoryRuns(t.ports, agent)).rejects.toMatchObject({ code: 'SB_ERR_FORBIDDEN' });
    await expect(startHistoryRun(t.ports, admin, { kind: 'import', days: 0 })).rejects.toMatchObject({
      code: 'SB_ERR_VALIDATION',
    });
    await expect(startHistoryRun(t.ports, admin, { kind: 'import', days: 366 })).rejects.toMatchObject({
      code: 'SB_ERR_VALIDATION',
    });
    const run = await startHistoryRun(t.ports, admin, { kind: 'import', days: 30 });
    await expect(startHistoryRun(t.ports, admin, { kind: 'import', days: 30 })).rejects.toMatchObject({
      code: 'SB_ERR_CONFLICT',
    });
    await expect(cancelHistoryRun(t.ports, agent, run.id)).rejects.toMatchObject({
      code: 'SB_ERR_FORBIDDEN',
    });
  });
});

describe('a run as the settings card shows it', () => {
  it('says how far through the period it is and estimates the time left at 3 requests a minute', async () => {
    const t = setUp();
    const run = await startHistoryRun(t.ports, admin, { kind: 'import', days: 30 });
    expect(viewHistoryRun(run)).toMatchObject({ progress: 0, secondsLeft: null });
    // A quarter of the period read in 2 pages: 6 more pages if the rest is as busy, 20 s apart.
    await t.runs.advance(
      run.id,
      { ...run, reachedAt: '2025-12-24 00:00:00', pages: 2 },
      'running',
      null,
      '2026-01-15T09:01:00.000Z',
    );
    const going = viewHistoryRun((await t.runs.get(run.id)) ?? run);
    expect(going.progress).toBeCloseTo(0.25, 2);
    expect(going.secondsLeft).toBe(120);
    await t.runs.finish(run.id, 'done', null, '2026-01-15T09:02:00.000Z');
    expect(viewHistoryRun((await t.runs.get(run.id)) ?? run)).toMatchObject({
      progress: 1,
      secondsLeft: null,
    });
  });
});

describe('reconciling calls', () => {
  it('completes a call whose end never arrived, adds one that never arrived, and says so', async () => {
    const t = setUp();
    // The webhooks built a1 whole and b2 up to its answer (NOTIFY_END lost); c3 never arrived at all.
    const timing = {
      callStart: '2026-01-14 10:00:00',
      startedAt: '2026-01-14T07:00:00.000Z',
      calltype: 'normal',
    };
    const start: CallEvent = {
      kind: 'start',
      pbxCallId: 'in_a1',
      receivedAt: '2026-01-14T07:00:00.100Z',
      ...timing,
      callerId: '33612345678',
      calledDid: '442037691999',
    };
    await t.calls.applyEvent(start);
    await t.calls.applyEvent({
      ...start,
      kind: 'end',
      extension: '101',
      lastInternal: '101',
      duration: 42,
      disposition: 'answered',
      statusCode: '16',
      isRecorded: false,
      recordingId: null,
    });
    const b2Timing = {
      callStart: '2026-01-14 11:00:00',
      startedAt: '2026-01-14T08:00:00.000Z',
      calltype: 'normal',
    };
    await t.calls.applyEvent({
      kind: 'start',
      pbxCallId: 'in_b2',
      receivedAt: '2026-01-14T08:00:00.100Z',
      ...b2Timing,
      callerId: '33612345678',
      calledDid: '442037691999',
    });
    const a1Before = await t.calls.get('in_a1');
    const run = await reconcileCalls(t.ports, systemActor('test'));
    await t.drain();
    expect(await t.runs.get(run.id)).toMatchObject({
      kind: 'reconcile',
      status: 'done',
      callsChecked: 3,
      callsMissing: 2,
      callsHealed: 2,
    });
    // The complete call is untouched; the half one keeps what its webhooks signed (the DID) and gets its end.
    expect((await t.calls.get('in_a1'))?.version).toBe(a1Before?.version);
    expect(await t.calls.get('in_b2')).toMatchObject({
      status: 'answered',
      calledDid: '442037691999',
      duration: 30,
      answeredBy: '102',
    });
    expect((await t.calls.get('in_c3'))?.status).toBe('missed');
    const views = await readHistoryRuns(t.ports, admin);
    expect(views.reconcile).toMatchObject({ progress: 1, secondsLeft: null });
  });
});
