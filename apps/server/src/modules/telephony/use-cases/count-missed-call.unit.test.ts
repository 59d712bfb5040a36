/**
 * count-missed-call on the in-memory adapters: one callback task per client counting the misses, assigned along
 * the owner chain and titled in the assignee's language, due N minutes from now, its escalation queued once,
 * and a retried job counting nothing twice.
 */
import { describe, expect, it } from 'vitest';
import { systemActor } from '../../../platform/auth/actor.js';
import { ESCALATE_CALLBACK_TASK_JOB } from '../ports.js';
import {
  AFTER_CALL_SETTINGS,
  afterCallWorld,
  CLIENT,
  finishedCall,
} from '../test-support/after-call-world.js';
import { countMissedCall } from './count-missed-call.js';

const actor = systemActor('test');
const settings = AFTER_CALL_SETTINGS;

describe('count-missed-call', () => {
  it('opens a task for the contact owner, due in N minutes, and queues its escalation at that time', async () => {
    const w = afterCallWorld({
      owners: { [CLIENT]: { contactId: 'c1', contactName: 'Gordon', contactOwnerId: 'user-tom' } },
    });
    const call = finishedCall();
    await countMissedCall(w.ports, { call, e164: CLIENT, settings, actor });
    const tasks = [...w.ports.loops.tasks.values()];
    const dueAt = new Date(w.clock.now() + 15 * 60_000).toISOString();
    expect(tasks).toEqual([
      {
        id: expect.any(String),
        title: 'Rappeler Gordon (+33 6 12 34 56 78) — appel manqué',
        status: 'open',
        assigneeId: 'user-tom',
        contactId: 'c1',
        dueAt,
      },
    ]);
    expect(w.decisions(call.id)).toEqual([
      {
        code: 'callback.task_opened',
        params: { taskId: tasks[0]?.id, owner: 'contact', assignee: 'Tom', dueAt },
      },
    ]);
    expect(w.enqueued).toHaveLength(1);
    expect(await w.queue.get(w.enqueued[0] as string)).toMatchObject({
      name: ESCALATE_CALLBACK_TASK_JOB,
      payload: { taskId: tasks[0]?.id, clientE164: CLIENT },
      runAt: dueAt,
      idempotencyKey: `escalate:${tasks[0]?.id}`,
    });
  });

  it('counts later misses into the open task, retitled, without a second escalation', async () => {
    const w = afterCallWorld({ owners: { [CLIENT]: { contactId: 'c1', contactOwnerId: 'user-olga' } } });
    await countMissedCall(w.ports, { call: finishedCall(), e164: CLIENT, settings, actor });
    await countMissedCall(w.ports, { call: finishedCall({ status: 'busy' }), e164: CLIENT, settings, actor });
    const third = finishedCall();
    await countMissedCall(w.ports, { call: third, e164: CLIENT, settings, actor });
    const tasks = [...w.ports.loops.tasks.values()];
    expect(tasks).toHaveLength(1);
    expect(tasks[0]?.title).toBe('Перезвонить +33 6 12 34 56 78 — звонил(а) 3 раза');
    expect(w.decisions(third.id)).toEqual([
      { code: 'callback.task_grouped', params: { taskId: tasks[0]?.id, missedCalls: 3 } },
    ]);
    expect(w.enqueued).toHaveLength(1);
  });

  it('follows the owner chain: open deal before lead before contact before the default responsible', async () => {
    const chain = {
      contactId: 'c1',
      dealOwnerId: 'user-olga',
      leadOwnerId: 'user-tom',
      contactOwnerId: 'user-x',
    };
    const cases = [
      { owners: chain, assignee: 'user-olga', source: 'deal' },
      { owners: { ...chain, dealOwnerId: null }, assignee: 'user-tom', source: 'lead' },
      { owners: { contactId: 'c1' }, assignee: 'user-boss', source: 'default' },
    ];
    for (const { owners, assignee, source } of cases) {
      const w = afterCallWorld({ owners: { [CLIENT]: owners } });
      await countMissedCall(w.ports, { call: finishedCall(), e164: CLIENT, settings, actor });
      expect([...w.ports.loops.tasks.values()][0]?.assigneeId).toBe(assignee);
      expect(w.decisions()[0]?.params).toMatchObject({ owner: source });
    }
  });

  it('leaves the task unassigned, titled in English, when the owner is unknown or nobody', async () => {
    const unknownUser = afterCallWorld({ owners: { [CLIENT]: { contactOwnerId: 'user-gone' } } });
    await countMissedCall(unknownUser.ports, { call: finishedCall(), e164: CLIENT, settings, actor });
    expect([...unknownUser.ports.loops.tasks.values()][0]).toMatchObject({
      assigneeId: null,
      title: 'Call back +33 6 12 34 56 78 — missed call',
    });
    expect(unknownUser.decisions()[0]?.params).not.toHaveProperty('assignee');

    const nobody = afterCallWorld();
    await countMissedCall(nobody.ports, {
      call: finishedCall(),
      e164: CLIENT,
      settings: { ...settings, defaultResponsibleUserId: null },
      actor,
    });
    expect([...nobody.ports.loops.tasks.values()][0]?.assigneeId).toBeNull();
    expect(nobody.decisions()[0]?.params).toMatchObject({ owner: 'nobody' });
  });

  it('uses the owners it is given instead of reading them again', async () => {
    const w = afterCallWorld({ owners: { [CLIENT]: { contactOwnerId: 'user-tom' } } });
    await countMissedCall(w.ports, {
      call: finishedCall(),
      e164: CLIENT,
      settings,
      actor,
      owners: {
        contactId: 'c-new',
        contactName: 'New',
        dealOwnerId: null,
        leadOwnerId: null,
        contactOwnerId: 'user-olga',
      },
    });
    expect([...w.ports.loops.tasks.values()][0]).toMatchObject({
      assigneeId: 'user-olga',
      contactId: 'c-new',
    });
  });

  it('is idempotent: the same call counted twice (a retried job) changes nothing and says nothing more', async () => {
    const w = afterCallWorld();
    const call = finishedCall();
    await countMissedCall(w.ports, { call, e164: CLIENT, settings, actor });
    await countMissedCall(w.ports, { call, e164: CLIENT, settings, actor });
    expect(await w.ports.loops.openFor(CLIENT)).toMatchObject({ missedCalls: 1 });
    expect(w.decisions().map((d) => d.code)).toEqual(['callback.task_opened']);
    expect(w.enqueued).toHaveLength(1);
  });

  it('is idempotent after the loop was closed: a replayed miss neither throws nor reopens a task', async () => {
    const w = afterCallWorld();
    const call = finishedCall();
    await countMissedCall(w.ports, { call, e164: CLIENT, settings, actor });
    const [task] = [...w.ports.loops.tasks.values()];
    expect(
      await w.ports.loops.close({ clientE164: CLIENT, taskId: task?.id ?? '', at: call.createdAt, actor }),
    ).toBe(true);
    await countMissedCall(w.ports, { call, e164: CLIENT, settings, actor });
    expect(w.ports.loops.tasks.size).toBe(1);
    expect(await w.ports.loops.openFor(CLIENT)).toBeNull();
    expect(w.decisions().map((d) => d.code)).toEqual(['callback.task_opened']);
    expect(w.enqueued).toHaveLength(1);
  });

  it('opens a new task once a person has ticked off the previous one', async () => {
    const w = afterCallWorld();
    await countMissedCall(w.ports, { call: finishedCall(), e164: CLIENT, settings, actor });
    const [first] = [...w.ports.loops.tasks.values()];
    (first as { status: 'open' | 'done' }).status = 'done';
    w.clock.advance(60_000);
    const next = finishedCall();
    await countMissedCall(w.ports, { call: next, e164: CLIENT, settings, actor });
    expect(w.ports.loops.tasks.size).toBe(2);
    expect(w.decisions(next.id).map((d) => d.code)).toEqual(['callback.task_opened']);
    expect(w.enqueued).toHaveLength(2);
  });
});
