/**
 * The after-call stores' contract: `CallbackLoops`, `NewCallers` and `NewCallerInbox` behave alike on the Kysely
 * adapters (both dialects; tasks and records written through the CRM's use cases) and in memory — each call counted
 * once, one open loop and task per number whatever order the jobs run in, each number decided once, whoever is first.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor, userActor } from '../../../platform/auth/actor.js';
import { newId } from '../../../platform/ids.js';
import { insertTestUser } from '../../../test-support/insert-user.js';
import type { CallbackLoops, NewCallerInbox, NewCallers } from '../ports.js';
import { type Opened, onEveryDialect } from '../test-support/contract-adapters.js';
import { seedContact } from '../test-support/seed-crm.js';
import { createInMemoryCallbackLoops, createInMemoryNewCallers } from './in-memory-after-call.js';
import { createInMemoryNewCallerInbox } from './in-memory-new-caller-inbox.js';
import { createKyselyCallbackLoops } from './kysely-callback-loops.js';
import { createKyselyNewCallerInbox } from './kysely-new-caller-inbox.js';
import { createKyselyNewCallers } from './kysely-new-callers.js';

interface TaskView {
  readonly title: string;
  readonly status: 'open' | 'done';
  readonly assigneeId: string | null;
  readonly dueAt: string | null;
}

interface World {
  readonly loops: CallbackLoops;
  readonly newCallers: NewCallers;
  readonly inbox: NewCallerInbox;
  user(name: string): Promise<string>;
  contact(): Promise<string>;
  task(id: string): Promise<TaskView | null>;
  /** A person ticks the task off from the tasks page, not through the loop. */
  completeTaskByHand(id: string): Promise<void>;
}

const ADAPTERS = [
  ...onEveryDialect<World>(({ db }) => {
    const country = async () => 'FR';
    return {
      loops: createKyselyCallbackLoops(db),
      newCallers: createKyselyNewCallers(db, country),
      inbox: createKyselyNewCallerInbox(db, country),
      user: (name) => insertTestUser(db, name),
      contact: () => seedContact(db, { displayName: 'Jean Dupont', phones: ['+33612349999'] }),
      async task(id) {
        const row = await db
          .selectFrom('tasks')
          .select(['title', 'status', 'assignee_id', 'due_at'])
          .where('id', '=', id)
          .executeTakeFirst();
        return row
          ? { title: row.title, status: row.status, assigneeId: row.assignee_id, dueAt: row.due_at }
          : null;
      },
      async completeTaskByHand(id) {
        await db.updateTable('tasks').set({ status: 'done' }).where('id', '=', id).execute();
      },
    };
  }),
  {
    name: 'in-memory',
    async open(): Promise<Opened<World>> {
      const loops = createInMemoryCallbackLoops();
      const newCallers = createInMemoryNewCallers();
      return {
        loops,
        newCallers,
        inbox: createInMemoryNewCallerInbox(newCallers.callers),
        user: async () => newId(),
        contact: async () => newId(),
        async task(id) {
          const task = loops.tasks.get(id);
          return task
            ? { title: task.title, status: task.status, assigneeId: task.assigneeId, dueAt: task.dueAt }
            : null;
        },
        async completeTaskByHand(id) {
          const task = loops.tasks.get(id);
          if (task) {
            task.status = 'done';
          }
        },
        done: async () => {},
      };
    },
  },
];

const system = systemActor('after-call');
const title = (n: number) => (n === 1 ? 'Call back +33612340000' : `Call back +33612340000 (${n} calls)`);

describe.each(ADAPTERS)('CallbackLoops contract: $name', ({ open }) => {
  let w: Opened<World>;
  beforeAll(async () => {
    w = await open();
  });
  afterAll(async () => {
    await w?.done();
  });

  const count = (
    clientE164: string,
    callId: string,
    at: string,
    more: { assigneeId?: string | null; contactId?: string | null; dueAt?: string } = {},
  ) =>
    w.loops.countMissedCall({
      callId,
      clientE164,
      at,
      dueAt: more.dueAt ?? '2026-07-01T12:00:00.000Z',
      assigneeId: more.assigneeId ?? null,
      contactId: more.contactId ?? null,
      title,
      actor: system,
    });

  it('opens one loop and task per number, counts each call once, and retitles the task as it grows', async () => {
    const olga = await w.user('Olga');
    const contact = await w.contact();
    const number = '+33612340101';
    expect(await w.loops.openFor(number)).toBeNull();
    const first = await count(number, 'call-a1', '2026-07-01T09:00:00.000Z', {
      assigneeId: olga,
      contactId: contact,
    });
    if (!first.counted) {
      throw new Error('the first call was not counted');
    }
    expect(first.opened).toBe(true);
    expect(first.loop).toMatchObject({
      clientE164: number,
      missedCalls: 1,
      firstCallId: 'call-a1',
      lastCallId: 'call-a1',
      firstMissedAt: '2026-07-01T09:00:00.000Z',
      dueAt: '2026-07-01T12:00:00.000Z',
      assigneeId: olga,
      escalatedAt: null,
    });
    expect(await w.task(first.loop.taskId)).toEqual({
      title: title(1),
      status: 'open',
      assigneeId: olga,
      dueAt: '2026-07-01T12:00:00.000Z',
    });
    // The second call joins the loop, whatever due time and assignee it would have given a new one.
    const second = await count(number, 'call-a2', '2026-07-01T09:30:00.000Z', {
      dueAt: '2026-07-02T12:00:00.000Z',
      assigneeId: null,
    });
    expect(second).toMatchObject({
      counted: true,
      opened: false,
      loop: { taskId: first.loop.taskId, missedCalls: 2, lastCallId: 'call-a2', assigneeId: olga },
    });
    expect((await w.task(first.loop.taskId))?.title).toBe(title(2));
    // A retried job: nothing changes, and nothing is said about the loop.
    expect(await count(number, 'call-a2', '2026-07-01T09:30:00.000Z')).toEqual({ counted: false });
    expect(await w.loops.openFor(number)).toMatchObject({
      taskId: first.loop.taskId,
      missedCalls: 2,
      dueAt: '2026-07-01T12:00:00.000Z',
    });
    // Another number has its own loop.
    expect((await count('+33612340102', 'call-b1', '2026-07-01T09:40:00.000Z')).counted).toBe(true);
    expect((await w.loops.openFor('+33612340102'))?.taskId).not.toBe(first.loop.taskId);
  });

  it('keeps the earliest and the latest missed call by time when jobs run out of order', async () => {
    const number = '+33612340201';
    await count(number, 'call-c2', '2026-07-02T10:00:00.000Z');
    await count(number, 'call-c1', '2026-07-02T09:00:00.000Z');
    await count(number, 'call-c3', '2026-07-02T09:30:00.000Z');
    expect(await w.loops.openFor(number)).toMatchObject({
      missedCalls: 3,
      firstCallId: 'call-c1',
      firstMissedAt: '2026-07-02T09:00:00.000Z',
      lastCallId: 'call-c2',
    });
  });

  it('ends a loop whose task a person completed: the next missed call opens a new task', async () => {
    const number = '+33612340301';
    const first = await count(number, 'call-d1', '2026-07-03T09:00:00.000Z');
    if (!first.counted) {
      throw new Error('not counted');
    }
    await w.completeTaskByHand(first.loop.taskId);
    expect(await w.loops.openFor(number)).toBeNull();
    const next = await count(number, 'call-d2', '2026-07-03T10:00:00.000Z');
    expect(next).toMatchObject({
      counted: true,
      opened: true,
      loop: { missedCalls: 1, firstCallId: 'call-d2' },
    });
    expect(next.counted && next.loop.taskId).not.toBe(first.loop.taskId);
    expect((await w.task(first.loop.taskId))?.status).toBe('done');
  });

  it('closes a loop once, completing its task; only with the loop’s own task', async () => {
    const number = '+33612340401';
    const opened = await count(number, 'call-e1', '2026-07-04T09:00:00.000Z');
    if (!opened.counted) {
      throw new Error('not counted');
    }
    const taskId = opened.loop.taskId;
    const close = (task: string) =>
      w.loops.close({ clientE164: number, taskId: task, at: '2026-07-04T09:10:00.000Z', actor: system });
    expect(await close(newId())).toBe(false);
    expect(await w.loops.openFor(number)).not.toBeNull();
    expect(await close(taskId)).toBe(true);
    expect(await close(taskId)).toBe(false);
    expect(await w.loops.openFor(number)).toBeNull();
    expect((await w.task(taskId))?.status).toBe('done');
    expect(
      await w.loops.close({
        clientE164: '+33612340499',
        taskId,
        at: '2026-07-04T09:10:00.000Z',
        actor: system,
      }),
    ).toBe(false);
  });

  it('escalates an open loop’s task once, to another user with a new title', async () => {
    const [olga, boss] = [await w.user('Olga'), await w.user('Boss')];
    const number = '+33612340501';
    const opened = await count(number, 'call-f1', '2026-07-05T09:00:00.000Z', { assigneeId: olga });
    if (!opened.counted) {
      throw new Error('not counted');
    }
    const taskId = opened.loop.taskId;
    const escalate = (task: string, at: string) =>
      w.loops.escalate({
        clientE164: number,
        taskId: task,
        toUserId: boss,
        title: 'Overdue',
        at,
        actor: system,
      });
    expect(await escalate(newId(), '2026-07-05T12:00:00.000Z')).toBe(false);
    expect(await escalate(taskId, '2026-07-05T12:00:00.000Z')).toBe(true);
    expect(await escalate(taskId, '2026-07-05T12:05:00.000Z')).toBe(false);
    expect(await w.loops.openFor(number)).toMatchObject({
      taskId,
      assigneeId: boss,
      escalatedAt: '2026-07-05T12:00:00.000Z',
    });
    expect(await w.task(taskId)).toMatchObject({ title: 'Overdue', assigneeId: boss, status: 'open' });
    // A task a person completed ended the loop: nothing to escalate, and the done task is not handed on.
    const done = '+33612340503';
    const ticked = await count(done, 'call-f3', '2026-07-05T09:00:00.000Z', { assigneeId: olga });
    if (!ticked.counted) {
      throw new Error('not counted');
    }
    await w.completeTaskByHand(ticked.loop.taskId);
    expect(
      await w.loops.escalate({
        clientE164: done,
        taskId: ticked.loop.taskId,
        toUserId: boss,
        title: 'Overdue',
        at: '2026-07-05T12:00:00.000Z',
        actor: system,
      }),
    ).toBe(false);
    expect(await w.task(ticked.loop.taskId)).toMatchObject({ status: 'done', assigneeId: olga });
    // Once closed, there is nothing to escalate.
    const other = '+33612340502';
    const closed = await count(other, 'call-f2', '2026-07-05T09:00:00.000Z');
    if (!closed.counted) {
      throw new Error('not counted');
    }
    await w.loops.close({
      clientE164: other,
      taskId: closed.loop.taskId,
      at: '2026-07-05T10:00:00.000Z',
      actor: system,
    });
    expect(
      await w.loops.escalate({
        clientE164: other,
        taskId: closed.loop.taskId,
        toUserId: boss,
        title: 'Overdue',
        at: '2026-07-05T12:00:00.000Z',
        actor: system,
      }),
    ).toBe(false);
  });
});

describe.each(ADAPTERS)('NewCallers and NewCallerInbox contract: $name', ({ open }) => {
  let w: Opened<World>;
  beforeAll(async () => {
    w = await open();
  });
  afterAll(async () => {
    await w?.done();
  });

  const note = (
    clientE164: string,
    callId: string,
    at: string,
    more: Partial<{
      direction: 'inbound' | 'outbound';
      status: string;
      short: boolean;
      agentUserId: string | null;
    }> = {},
  ) =>
    w.newCallers.noteCall({
      callId,
      clientE164,
      at,
      direction: more.direction ?? 'inbound',
      status: more.status ?? 'answered',
      short: more.short ?? false,
      agentUserId: more.agentUserId ?? null,
    });

  it('counts each call of a number once, keeping its first and last call and the last agent known', async () => {
    const olga = await w.user('Olga');
    const number = '+33612341101';
    const first = await note(number, 'nc-1', '2026-08-01T09:00:00.000Z', { agentUserId: olga, short: true });
    expect(first).toEqual({
      counted: true,
      caller: {
        clientE164: number,
        status: 'pending',
        calls: 1,
        shortCalls: 1,
        firstCallId: 'nc-1',
        lastCallId: 'nc-1',
        lastDirection: 'inbound',
        lastStatus: 'answered',
        agentUserId: olga,
        recordType: null,
        recordId: null,
        firstCallAt: '2026-08-01T09:00:00.000Z',
        lastCallAt: '2026-08-01T09:00:00.000Z',
      },
    });
    // A call with no agent keeps the agent known.
    const second = await note(number, 'nc-2', '2026-08-01T10:00:00.000Z', {
      direction: 'outbound',
      status: 'missed',
    });
    expect(second).toMatchObject({
      counted: true,
      caller: {
        calls: 2,
        shortCalls: 1,
        firstCallId: 'nc-1',
        lastCallId: 'nc-2',
        lastDirection: 'outbound',
        lastStatus: 'missed',
        agentUserId: olga,
        lastCallAt: '2026-08-01T10:00:00.000Z',
      },
    });
    const again = await note(number, 'nc-2', '2026-08-01T10:00:00.000Z');
    expect(again).toEqual({ counted: false, caller: second.caller });
  });

  it('creates a pending number’s record once, whoever asks first', async () => {
    const number = '+33612341201';
    const request = {
      clientE164: number,
      kind: 'lead' as const,
      pipelineId: null,
      stageId: null,
      ownerId: null,
      at: '2026-08-02T09:05:00.000Z',
      actor: system,
    };
    expect(await w.newCallers.createRecord(request)).toBeNull();
    await note(number, 'nc-r1', '2026-08-02T09:00:00.000Z');
    const record = await w.newCallers.createRecord(request);
    expect(record).toMatchObject({ type: 'lead', id: expect.any(String) });
    expect(await w.newCallers.createRecord({ ...request, kind: 'contact' })).toBeNull();
    // Later calls are still counted, and the number stays created with its record.
    expect((await note(number, 'nc-r2', '2026-08-02T10:00:00.000Z')).caller).toMatchObject({
      status: 'created',
      calls: 2,
      recordType: 'lead',
      recordId: record?.id,
    });
    expect((await w.inbox.listPending(100)).map((c) => c.clientE164)).not.toContain(number);
  });

  it('lists pending numbers by their last call, newest first, and decides each once', async () => {
    const fresh = await open();
    try {
      const anna = await fresh.user('Anna');
      const actor = userActor({ id: anna, role: 'admin', name: 'Anna', locale: 'en' });
      const contact = await fresh.contact();
      const at = '2026-08-03T12:00:00.000Z';
      const noteOn = (number: string, callId: string, when: string) =>
        fresh.newCallers.noteCall({
          callId,
          clientE164: number,
          at: when,
          direction: 'inbound',
          status: 'answered',
          short: false,
          agentUserId: null,
        });
      await noteOn('+33612341301', 'p-1', '2026-08-03T09:00:00.000Z');
      await noteOn('+33612341302', 'p-2', '2026-08-03T10:00:00.000Z');
      await noteOn('+33612341303', 'p-3', '2026-08-03T08:00:00.000Z');
      await noteOn('+33612341301', 'p-4', '2026-08-03T11:00:00.000Z');
      const pending = async (limit = 10) => (await fresh.inbox.listPending(limit)).map((c) => c.clientE164);
      expect(await pending()).toEqual(['+33612341301', '+33612341302', '+33612341303']);
      expect(await pending(1)).toEqual(['+33612341301']);

      const accepted = await fresh.inbox.accept({
        clientE164: '+33612341301',
        kind: 'contact',
        name: 'Marc',
        actor,
        at,
      });
      expect(accepted).toMatchObject({ type: 'contact', id: expect.any(String) });
      expect(
        await fresh.inbox.accept({ clientE164: '+33612341301', kind: 'lead', name: null, actor, at }),
      ).toBeNull();
      expect(await fresh.inbox.decline({ clientE164: '+33612341301', actor, at })).toBe(false);
      expect(await fresh.inbox.merge({ clientE164: '+33612341301', contactId: contact, actor, at })).toBe(
        false,
      );

      expect(await fresh.inbox.merge({ clientE164: '+33612341302', contactId: contact, actor, at })).toBe(
        true,
      );
      expect(await fresh.inbox.decline({ clientE164: '+33612341302', actor, at })).toBe(false);
      expect(await fresh.inbox.decline({ clientE164: '+33612341303', actor, at })).toBe(true);
      expect(await fresh.inbox.decline({ clientE164: '+33612349998', actor, at })).toBe(false);
      expect(await pending()).toEqual([]);

      // What each number became, as the next call from it finds it.
      expect((await noteOn('+33612341301', 'p-5', at)).caller).toMatchObject({
        status: 'accepted',
        recordType: 'contact',
        recordId: accepted?.id,
      });
      expect((await noteOn('+33612341302', 'p-6', at)).caller).toMatchObject({
        status: 'merged',
        recordType: 'contact',
        recordId: contact,
      });
      expect((await noteOn('+33612341303', 'p-7', at)).caller).toMatchObject({
        status: 'declined',
        recordType: null,
        recordId: null,
      });
      // A number created by the after-call job is no longer the inbox's to decide.
      await noteOn('+33612341304', 'p-8', at);
      await fresh.newCallers.createRecord({
        clientE164: '+33612341304',
        kind: 'contact',
        pipelineId: null,
        stageId: null,
        ownerId: null,
        at,
        actor: system,
      });
      expect(
        await fresh.inbox.accept({ clientE164: '+33612341304', kind: 'contact', name: null, actor, at }),
      ).toBeNull();
    } finally {
      await fresh.done();
    }
  });
});
