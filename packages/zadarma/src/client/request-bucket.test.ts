import { describe, expect, it } from 'vitest';
import { RequestBucket } from './request-bucket.js';
import { FakeClock } from './testing/fake-clock.js';

describe('RequestBucket', () => {
  it('never lets more than `requests` through in any window of perMs', async () => {
    const clock = new FakeClock(0);
    const bucket = new RequestBucket({ requests: 3, perMs: 60_000 }, clock);
    const granted: number[] = [];
    const takes = Array.from({ length: 9 }, () => bucket.take().then(() => granted.push(clock.now())));
    await clock.advance(10_000);
    // A later request after some tokens were used at t=10 s.
    await clock.advance(200_000);
    await Promise.all(takes);
    expect(granted).toEqual([0, 0, 0, 60_000, 60_000, 60_000, 120_000, 120_000, 120_000]);
    for (const t of granted) {
      expect(granted.filter((g) => g > t - 60_000 && g <= t).length).toBeLessThanOrEqual(3);
    }
  });

  it('serves waiters in arrival order', async () => {
    const clock = new FakeClock(0);
    const bucket = new RequestBucket({ requests: 1, perMs: 1000 }, clock);
    const order: string[] = [];
    await bucket.take();
    const a = bucket.take().then(() => order.push('a'));
    const b = bucket.take().then(() => order.push('b'));
    const c = bucket.take().then(() => order.push('c'));
    await clock.advance(3000);
    await Promise.all([a, b, c]);
    expect(order).toEqual(['a', 'b', 'c']);
  });

  it("gives an aborted waiter's place to the next one and stops its timer when nobody waits", async () => {
    const clock = new FakeClock(0);
    const bucket = new RequestBucket({ requests: 1, perMs: 1000 }, clock);
    await bucket.take();
    const controller = new AbortController();
    const first = bucket.take(controller.signal).catch((e: unknown) => e);
    await clock.advance(10);
    controller.abort(new Error('gone'));
    expect(await first).toEqual(new Error('gone'));
    await clock.advance(0);
    expect(clock.pending()).toBe(0);
    const second = bucket.take().then(() => clock.now());
    await clock.advance(1000);
    expect(await second).toBe(1000);
    expect(bucket.available()).toBe(0);
  });

  it('rejects a nonsensical limit with a clear message', () => {
    expect(() => new RequestBucket({ requests: 0, perMs: 1000 }, new FakeClock())).toThrow(/requests >= 1/);
  });
});
