import { setImmediate as tick } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createAfterCallPacing } from './after-call-pacing.js';

/** Webhook processing whose business the test sets. */
function activity(busy: boolean) {
  const state = { busy };
  return {
    state,
    idle: async () => {},
    busy: () => state.busy,
  };
}

describe('after-call pacing', () => {
  it('runs jobs one at a time: the next starts only once the previous one is over', async () => {
    const pacing = createAfterCallPacing(activity(false), { quietMs: 0, share: 0.5 });
    const first = await pacing.turn();
    let secondStarted = false;
    const second = pacing.turn().then((done) => {
      secondStarted = true;
      return done;
    });
    await tick();
    await tick();
    expect(secondStarted).toBe(false);
    first();
    (await second)();
    expect(secondStarted).toBe(true);
  });

  it('waits for the webhooks to be quiet before a job starts', async () => {
    const webhooks = activity(true);
    const pacing = createAfterCallPacing(webhooks, { quietMs: 1, share: 0.5 });
    let started = false;
    const turn = pacing.turn().then((done) => {
      started = true;
      return done;
    });
    for (let i = 0; i < 5; i++) {
      await tick();
    }
    expect(started).toBe(false);
    webhooks.state.busy = false;
    (await turn)();
    expect(started).toBe(true);
  });

  it('after a job that overlapped webhooks, holds the next one back for its share, not when it ran alone', async () => {
    const webhooks = activity(false);
    let clock = 0;
    // A job "costs" 50 ms of the clock; with share 0.5 the next one waits as long again.
    const pacing = createAfterCallPacing(webhooks, { quietMs: 0, share: 0.5, now: () => clock });
    const alone = await pacing.turn();
    clock += 50;
    alone();
    // Ran alone: the next turn is given at once.
    const next = await pacing.turn();
    clock += 50;
    webhooks.state.busy = true;
    next();
    webhooks.state.busy = false;
    let third = false;
    const after = pacing.turn().then((done) => {
      third = true;
      return done;
    });
    await tick();
    await tick();
    expect(third).toBe(false);
    (await after)();
    expect(third).toBe(true);
  });

  it('under sustained load, stops waiting for quiet after maxWaitMs and runs jobs at processing’s idle moments', async () => {
    const webhooks = activity(true);
    let clock = 0;
    let idleCalls = 0;
    const pacing = createAfterCallPacing(
      {
        // Processing goes idle between batches, but is busy again by the time any quiet wait is over.
        idle: async () => {
          idleCalls += 1;
          clock += 10;
        },
        busy: () => webhooks.state.busy,
      },
      { quietMs: 1, share: 0.5, maxWaitMs: 100, now: () => clock },
    );
    const first = await pacing.turn();
    // It waited out ~100 ms of the clock in 10 ms idle moments, then took the next one.
    expect(clock).toBeGreaterThanOrEqual(100);
    expect(idleCalls).toBeGreaterThanOrEqual(10);
    first();
    // Still loaded: the next job does not wait 100 ms again, only for the next idle moment (and its share).
    const before = idleCalls;
    (await pacing.turn())();
    expect(idleCalls).toBe(before + 1);
  });
});
