import { describe, expect, it } from 'vitest';
import { systemActor } from '../../../platform/auth/actor.js';
import { createInlineJobQueue } from '../../../platform/jobs/inline-job-queue.js';
import {
  createInMemoryCallbackLoops,
  createInMemoryClientDirectory,
  createInMemoryNewCallers,
} from '../adapters/in-memory-after-call.js';
import {
  createInMemoryCallTimeline,
  createInMemoryEventPublisher,
  createInMemoryUnitOfWork,
  createManualClock,
} from '../adapters/in-memory-telephony.js';
import { emptyCallRecord } from '../domain/fold-call.js';
import type { AfterCallSettings, ClientOwners, StoredCall } from '../ports.js';
import { type AfterCallPorts, ESCALATE_CALLBACK_TASK_JOB } from '../ports.js';
import { escalateCallbackTask } from './escalate-callback-task.js';
import { followUpEndedCall } from './follow-up-ended-call.js';

const CLIENT = '+33612345678';
const actor = systemActor('test');

const SETTINGS: AfterCallSettings = {
  missedCallTasks: true,
  autoCreate: false,
  defaultResponsibleUserId: 'user-boss',
  missedCallDueMinutes: 15,
  newCallerRules: [],
  defaultCountry: 'FR',
};

let sequence = 0;
/** A finished call as stored. */
function call(partial: Partial<StoredCall>): StoredCall {
  sequence += 1;
  return {
    ...emptyCallRecord(`in_${sequence}`),
    id: `call-${sequence}`,
    direction: 'inbound',
    status: 'missed',
    clientNumber: CLIENT.slice(1),
    clientE164: CLIENT,
    startedAt: new Date(Date.parse('2026-01-15T09:00:00.000Z') + sequence * 60_000).toISOString(),
    events: [],
    contactId: null,
    agentUserId: null,
    version: 1,
    createdAt: '2026-01-15T09:00:00.000Z',
    updatedAt: '2026-01-15T09:00:00.000Z',
    ...partial,
  };
}

function setUp(
  options: {
    settings?: Partial<AfterCallSettings>;
    owners?: Record<string, Partial<ClientOwners>>;
    ownNumbers?: string[];
  } = {},
) {
  const clock = createManualClock();
  const calls = new Map<string, StoredCall>();
  const loops = createInMemoryCallbackLoops();
  const newCallers = createInMemoryNewCallers();
  const timeline = createInMemoryCallTimeline();
  const jobs = createInlineJobQueue({ now: () => clock.now() });
  const settings = { ...SETTINGS, ...options.settings };
  const clients = createInMemoryClientDirectory({
    owners: options.owners ?? {},
    users: {
      'user-olga': { name: 'Olga', locale: 'ru' },
      'user-boss': { name: 'Boss', locale: 'en' },
      'user-tom': { name: 'Tom', locale: 'fr' },
    },
    ownNumbers: options.ownNumbers ?? [],
  });
  const ports: AfterCallPorts = {
    calls: { getById: async (id) => calls.get(id) ?? null },
    settings: { read: async () => settings },
    clients,
    // The work's all-or-nothing is the database's (after-call.integration.test.ts fails it midway on both
    // dialects); here the unit runs it on the in-memory adapters as they are.
    unitOfWork: createInMemoryUnitOfWork({
      publisher: createInMemoryEventPublisher(),
      stores: [],
      bind: () => ({ clients, loops, newCallers, timeline, jobs, clock }),
    }),
  };
  const ended = async (partial: Partial<StoredCall>) => {
    const stored = call(partial);
    calls.set(stored.id, stored);
    await followUpEndedCall(ports, { callId: stored.id, actor });
    return stored;
  };
  const decisions = (callId?: string) =>
    timeline
      .decisions()
      .filter((d) => callId === undefined || d.callId === callId)
      .map((d) => d.code);
  return { clock, loops, newCallers, timeline, jobs, ports, ended, decisions };
}

describe('the missed-call loop', () => {
  it('opens one task for three missed calls of the same client, says "called 3×", and schedules its escalation', async () => {
    const t = setUp({
      owners: { [CLIENT]: { contactId: 'c1', contactName: 'Gordon', contactOwnerId: 'user-tom' } },
    });
    const first = await t.ended({ status: 'missed' });
    await t.ended({ status: 'busy' });
    await t.ended({ status: 'missed' });
    const tasks = [...t.loops.tasks.values()];
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({
      status: 'open',
      assigneeId: 'user-tom',
      contactId: 'c1',
      title: 'Rappeler Gordon (+33 6 12 34 56 78) — a appelé 3×',
      dueAt: new Date(t.clock.now() + 15 * 60_000).toISOString(),
    });
    expect(t.decisions()).toEqual(['callback.task_opened', 'callback.task_grouped', 'callback.task_grouped']);
    expect(t.timeline.decisions()[0]).toMatchObject({
      callId: first.id,
      params: { owner: 'contact', assignee: 'Tom', taskId: tasks[0]?.id },
    });
    const escalation = await t.jobs.get(
      (
        await t.jobs.enqueue(
          ESCALATE_CALLBACK_TASK_JOB,
          {},
          {
            idempotencyKey: `escalate:${tasks[0]?.id}`,
          },
        )
      ).id,
    );
    expect(escalation).toMatchObject({
      payload: { taskId: tasks[0]?.id, clientE164: CLIENT },
      runAt: tasks[0]?.dueAt,
    });
  });

  it('follows the owner chain: open deal, then lead, then contact, then the default responsible', async () => {
    const chain = {
      '+33600000001': {
        contactId: 'c',
        dealOwnerId: 'user-olga',
        leadOwnerId: 'user-tom',
        contactOwnerId: 'user-tom',
      },
      '+33600000002': { contactId: 'c', leadOwnerId: 'user-tom', contactOwnerId: 'user-olga' },
      '+33600000003': { contactId: 'c', contactOwnerId: 'user-olga' },
      '+33600000004': {},
    };
    const t = setUp({ owners: chain });
    for (const number of Object.keys(chain)) {
      await t.ended({ clientE164: number });
    }
    expect([...t.loops.tasks.values()].map((task) => task.assigneeId)).toEqual([
      'user-olga',
      'user-tom',
      'user-olga',
      'user-boss',
    ]);
    expect(t.timeline.decisions().map((d) => d.params.owner)).toEqual(['deal', 'lead', 'contact', 'default']);
  });

  it('closes the task when the client answers our callback, naming that call on both traces', async () => {
    const t = setUp();
    const missed = await t.ended({ status: 'missed' });
    const answered = await t.ended({
      direction: 'outbound',
      status: 'answered',
      answeredAt: '2026-01-15T14:03:00.000Z',
    });
    const [task] = [...t.loops.tasks.values()];
    expect(task?.status).toBe('done');
    const closed = t.timeline.decisions().filter((d) => d.code === 'callback.task_closed');
    expect(closed.map((d) => d.callId)).toEqual([answered.id, missed.id]);
    expect(closed[0]?.params).toMatchObject({
      direction: 'out',
      answeredAt: '2026-01-15T14:03:00.000Z',
      byCallId: answered.id,
      missedCalls: 1,
    });
    // The next missed call opens a new task.
    await t.ended({ status: 'missed' });
    expect(t.loops.tasks.size).toBe(2);
  });

  it('does not count an answered call from before the first miss, a failed call, or an unanswered outgoing call', async () => {
    const t = setUp();
    const missed = await t.ended({ status: 'missed' });
    await t.ended({ status: 'answered', startedAt: '2020-01-01T00:00:00.000Z' });
    await t.ended({ status: 'failed', disposition: 'no money' });
    await t.ended({ direction: 'outbound', status: 'no_answer' });
    expect([...t.loops.tasks.values()]).toEqual([expect.objectContaining({ status: 'open' })]);
    expect(t.decisions()).toEqual(['callback.task_opened']);
    expect(t.decisions(missed.id)).toEqual(['callback.task_opened']);
  });

  it('does nothing with its switch off, and counts a call once when the job runs twice', async () => {
    const off = setUp({ settings: { missedCallTasks: false } });
    await off.ended({ status: 'missed' });
    expect(off.loops.tasks.size).toBe(0);
    expect(off.decisions()).toEqual([]);

    const t = setUp();
    const missed = await t.ended({ status: 'missed' });
    await followUpEndedCall(t.ports, { callId: missed.id, actor });
    expect([...t.loops.tasks.values()][0]?.title).toBe('Call back +33 6 12 34 56 78 — missed call');
    expect(t.decisions()).toEqual(['callback.task_opened']);
  });

  it('escalates an overdue task to the default responsible once, and not a closed one', async () => {
    const t = setUp({ owners: { [CLIENT]: { contactId: 'c1', contactOwnerId: 'user-olga' } } });
    const missed = await t.ended({ status: 'missed' });
    const [task] = [...t.loops.tasks.values()];
    const escalate = () =>
      escalateCallbackTask(t.ports, { taskId: task?.id ?? '', clientE164: CLIENT, actor });
    await escalate();
    await escalate();
    expect(task).toMatchObject({
      assigneeId: 'user-boss',
      title: 'Call back +33 6 12 34 56 78 — missed call',
    });
    expect(t.decisions(missed.id)).toEqual(['callback.task_opened', 'callback.task_escalated']);

    const other = setUp({ owners: { [CLIENT]: { contactId: 'c1', contactOwnerId: 'user-olga' } } });
    await other.ended({ status: 'missed' });
    const [open] = [...other.loops.tasks.values()];
    await other.ended({ status: 'answered' });
    await escalateCallbackTask(other.ports, { taskId: open?.id ?? '', clientE164: CLIENT, actor });
    expect(open?.assigneeId).toBe('user-olga');
  });

  it('does not escalate a task the default responsible already holds, and says why', async () => {
    const t = setUp();
    const missed = await t.ended({ status: 'missed' });
    const [task] = [...t.loops.tasks.values()];
    await escalateCallbackTask(t.ports, { taskId: task?.id ?? '', clientE164: CLIENT, actor });
    expect(t.timeline.decisions().at(-1)).toMatchObject({
      callId: missed.id,
      code: 'callback.not_escalated',
      params: { reason: 'already_default' },
    });
  });
});

const RULES: AfterCallSettings['newCallerRules'] = [
  {
    direction: 'in',
    outcome: 'answered',
    minTalkSeconds: 10,
    action: 'lead',
    pipelineId: null,
    stageId: null,
    assignTo: 'agent',
  },
  {
    direction: 'in',
    outcome: 'any',
    minTalkSeconds: 0,
    action: 'inbox',
    pipelineId: null,
    stageId: null,
    assignTo: 'default',
  },
];

describe('new callers', () => {
  const newCallerSetUp = (extra: Parameters<typeof setUp>[0] = {}) =>
    setUp({
      ...extra,
      settings: { missedCallTasks: false, autoCreate: true, newCallerRules: RULES, ...extra.settings },
    });

  it('creates a lead for an answered call long enough, assigned to the agent who talked', async () => {
    const t = newCallerSetUp();
    const answered = await t.ended({ status: 'answered', duration: 42, agentUserId: 'user-olga' });
    expect(t.newCallers.records.get(CLIENT)).toMatchObject({ type: 'lead', ownerId: 'user-olga' });
    expect(t.timeline.decisions()).toEqual([
      expect.objectContaining({
        callId: answered.id,
        code: 'new_caller.created',
        params: expect.objectContaining({ recordType: 'lead' }),
      }),
    ]);
  });

  it('sends a short or missed call to the inbox, and never creates a second record for the number', async () => {
    const t = newCallerSetUp();
    await t.ended({ status: 'missed' });
    expect(t.newCallers.callers.get(CLIENT)).toMatchObject({ status: 'pending', calls: 1 });
    await t.ended({ status: 'answered', duration: 30, agentUserId: 'user-olga' });
    await t.ended({ status: 'answered', duration: 30, agentUserId: 'user-olga' });
    expect(t.newCallers.records.size).toBe(1);
    expect(t.decisions()).toEqual(['new_caller.inbox', 'new_caller.created', 'new_caller.already_decided']);
  });

  it('keeps repeated very short calls in the inbox with the spam hint instead of creating a record', async () => {
    const rules: AfterCallSettings['newCallerRules'] = [
      { ...(RULES[1] as (typeof RULES)[number]), outcome: 'missed' },
      { ...(RULES[0] as (typeof RULES)[number]), minTalkSeconds: 0, action: 'contact' },
    ];
    const t = newCallerSetUp({ settings: { newCallerRules: rules } });
    for (let i = 0; i < 3; i++) {
      await t.ended({ status: 'missed' });
    }
    const hungUp = await t.ended({ status: 'answered', duration: 2 });
    expect(t.newCallers.records.size).toBe(0);
    expect(t.newCallers.callers.get(CLIENT)).toMatchObject({ calls: 4, shortCalls: 4, status: 'pending' });
    expect(t.timeline.decisions().at(-1)).toMatchObject({
      callId: hungUp.id,
      code: 'new_caller.spam_hint',
      params: { calls: 4, shortCalls: 4 },
    });
    // A real conversation is no spam: the record is made.
    await t.ended({ status: 'answered', duration: 40 });
    expect(t.newCallers.records.get(CLIENT)).toMatchObject({ type: 'contact' });
  });

  it('never makes a record of our own number, a known client, or with its switch off', async () => {
    const own = newCallerSetUp({ ownNumbers: [CLIENT] });
    await own.ended({ status: 'answered', duration: 60 });
    expect(own.decisions()).toEqual(['new_caller.own_number']);
    expect(own.newCallers.callers.size).toBe(0);

    const known = newCallerSetUp({ owners: { [CLIENT]: { contactId: 'c1' } } });
    await known.ended({ status: 'answered', duration: 60 });
    expect(known.decisions()).toEqual([]);

    const off = newCallerSetUp({ settings: { autoCreate: false } });
    await off.ended({ status: 'answered', duration: 60 });
    expect(off.newCallers.callers.size).toBe(0);
  });

  it('creates nothing when no rule matches, and says so on the trace', async () => {
    const t = newCallerSetUp({ settings: { newCallerRules: [RULES[0] as (typeof RULES)[number]] } });
    await t.ended({ direction: 'outbound', status: 'answered', duration: 100 });
    expect(t.decisions()).toEqual(['new_caller.no_rule']);
  });
});
