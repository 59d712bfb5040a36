/**
 * close-callback-task-on-answer on the in-memory adapters: an answered call in either direction after the first
 * miss closes the client's open callback task, on the trace of both calls; an older call (a late notification),
 * a client without a loop, or a loop already closed changes nothing.
 */
import { describe, expect, it } from 'vitest';
import { systemActor } from '../../../platform/auth/actor.js';
import {
  AFTER_CALL_SETTINGS,
  afterCallWorld,
  CLIENT,
  finishedCall,
} from '../test-support/after-call-world.js';
import { closeCallbackTaskOnAnswer } from './close-callback-task-on-answer.js';
import { countMissedCall } from './count-missed-call.js';

const actor = systemActor('test');

/** A world where the client missed two calls: one open task counting both. */
async function afterTwoMisses() {
  const w = afterCallWorld();
  const first = finishedCall();
  const second = finishedCall();
  for (const call of [first, second]) {
    await countMissedCall(w.ports, { call, e164: CLIENT, settings: AFTER_CALL_SETTINGS, actor });
  }
  const loop = await w.ports.loops.openFor(CLIENT);
  return { w, first, second, taskId: loop?.taskId as string };
}

describe('close-callback-task-on-answer', () => {
  it('closes the open task when we call the client back and they answer, on both traces', async () => {
    const { w, second, taskId } = await afterTwoMisses();
    const answered = finishedCall({
      direction: 'outbound',
      status: 'answered',
      answeredAt: '2026-01-15T10:30:05.000Z',
    });
    await closeCallbackTaskOnAnswer(w.ports, { call: answered, e164: CLIENT, actor });
    expect(w.ports.loops.tasks.get(taskId)?.status).toBe('done');
    expect(await w.ports.loops.openFor(CLIENT)).toBeNull();
    const params = {
      taskId,
      direction: 'out',
      answeredAt: '2026-01-15T10:30:05.000Z',
      missedCalls: 2,
      byCallId: answered.id,
    };
    expect(w.decisions(answered.id)).toEqual([{ code: 'callback.task_closed', params }]);
    expect(w.decisions(second.id).slice(-1)).toEqual([{ code: 'callback.task_closed', params }]);
  });

  it('closes it on an answered inbound call too, dated by its start when no answer time is known', async () => {
    const { w, taskId } = await afterTwoMisses();
    const answered = finishedCall({ status: 'answered', answeredAt: null });
    await closeCallbackTaskOnAnswer(w.ports, { call: answered, e164: CLIENT, actor });
    expect(w.ports.loops.tasks.get(taskId)?.status).toBe('done');
    expect(w.decisions(answered.id)[0]?.params).toMatchObject({
      direction: 'in',
      answeredAt: answered.startedAt,
    });
  });

  it('ignores an answered call older than the first miss (a late notification)', async () => {
    const { w, first, taskId } = await afterTwoMisses();
    const older = finishedCall({
      status: 'answered',
      startedAt: new Date(Date.parse(first.startedAt as string) - 60_000).toISOString(),
    });
    await closeCallbackTaskOnAnswer(w.ports, { call: older, e164: CLIENT, actor });
    expect(w.ports.loops.tasks.get(taskId)?.status).toBe('open');
    expect(w.decisions(older.id)).toEqual([]);
  });

  it('does nothing for a client without an open task, or a task a person already ticked off', async () => {
    const none = afterCallWorld();
    const call = finishedCall({ status: 'answered' });
    await closeCallbackTaskOnAnswer(none.ports, { call, e164: CLIENT, actor });
    expect(none.decisions()).toEqual([]);

    const { w, taskId } = await afterTwoMisses();
    (w.ports.loops.tasks.get(taskId) as { status: 'open' | 'done' }).status = 'done';
    const later = finishedCall({ status: 'answered' });
    await closeCallbackTaskOnAnswer(w.ports, { call: later, e164: CLIENT, actor });
    expect(w.decisions(later.id)).toEqual([]);
  });

  it('closes once: the same answered call twice (a retried job) writes one decision', async () => {
    const { w } = await afterTwoMisses();
    const answered = finishedCall({ status: 'answered' });
    await closeCallbackTaskOnAnswer(w.ports, { call: answered, e164: CLIENT, actor });
    await closeCallbackTaskOnAnswer(w.ports, { call: answered, e164: CLIENT, actor });
    expect(w.decisions().filter((d) => d.code === 'callback.task_closed')).toHaveLength(2);
    expect(w.decisions(answered.id)).toHaveLength(1);
  });

  it('writes nothing when another job closed the loop between reading and closing it', async () => {
    const { w, taskId } = await afterTwoMisses();
    const answered = finishedCall({ status: 'answered' });
    const ports = { ...w.ports, loops: { ...w.ports.loops, close: async () => false } };
    await closeCallbackTaskOnAnswer(ports, { call: answered, e164: CLIENT, actor });
    expect(w.ports.loops.tasks.get(taskId)?.status).toBe('open');
    expect(w.decisions(answered.id)).toEqual([]);
  });

  it('writes the decision once when the answered call is itself the loop’s last call', async () => {
    const w = afterCallWorld();
    const call = finishedCall();
    await countMissedCall(w.ports, { call, e164: CLIENT, settings: AFTER_CALL_SETTINGS, actor });
    // The same call, later stored as answered (a late notification turned the miss into an answer).
    await closeCallbackTaskOnAnswer(w.ports, { call: { ...call, status: 'answered' }, e164: CLIENT, actor });
    expect(w.decisions(call.id).map((d) => d.code)).toEqual(['callback.task_opened', 'callback.task_closed']);
  });
});
