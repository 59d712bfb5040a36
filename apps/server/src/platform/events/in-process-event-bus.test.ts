import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from '../../test-support/test-database.js';
import type { BusEvent } from './event-bus.js';
import { latestEventId, pruneEvents } from './event-store.js';
import { createInProcessEventBus } from './in-process-event-bus.js';

describe.each(TEST_DIALECTS)('the in-process event bus and event store on %s', (dialect) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(dialect);
  });
  afterAll(async () => {
    await database.cleanup();
  });

  it('persists each event with an increasing id and delivers it to matching subscribers', async () => {
    const bus = createInProcessEventBus({ db: database.db });
    const all: BusEvent[] = [];
    const calls: BusEvent[] = [];
    bus.subscribe((e) => all.push(e));
    bus.subscribe((e) => calls.push(e), { topics: ['call.updated'] });
    const a = await bus.publish('call.ringing', { pbxCallId: 'in_1', extension: '101' });
    const b = await bus.publish('call.updated', { pbxCallId: 'in_1', status: 'answered' });
    expect(b.id).toBeGreaterThan(a.id);
    expect(all.map((e) => e.topic)).toEqual(['call.ringing', 'call.updated']);
    expect(calls).toEqual([b]);
    expect(a).toMatchObject({ topic: 'call.ringing', payload: { pbxCallId: 'in_1', extension: '101' } });
    await bus.close();
  });

  it('replays what happened after an id, by topic and predicate', async () => {
    const bus = createInProcessEventBus({ db: database.db });
    const start = await latestEventId(database.db);
    const published: BusEvent[] = [];
    for (let i = 0; i < 5; i++) {
      published.push(
        await bus.publish(i % 2 ? 'call.updated' : 'call.ringing', { n: i, userId: `u${i % 3}` }),
      );
    }
    expect(await bus.readSince(start)).toEqual(published);
    expect((await bus.readSince(published[1]?.id ?? 0)).map((e) => (e.payload as { n: number }).n)).toEqual([
      2, 3, 4,
    ]);
    expect((await bus.readSince(start, { topics: ['call.updated'] })).map((e) => e.topic)).toEqual([
      'call.updated',
      'call.updated',
    ]);
    const forU0 = await bus.readSince(start, {
      match: (e) => (e.payload as { userId: string }).userId === 'u0',
    });
    expect(forU0.map((e) => (e.payload as { n: number }).n)).toEqual([0, 3]);
    expect(await bus.readSince(start, { limit: 2 })).toEqual(published.slice(0, 2));
    expect(await bus.readSince(start, { topics: [] })).toEqual([]);
    await bus.close();
  });

  it('stops delivering after unsubscribe and keeps delivering when a listener throws', async () => {
    const errors: unknown[] = [];
    const bus = createInProcessEventBus({ db: database.db, onError: (e) => errors.push(e) });
    const seen: number[] = [];
    bus.subscribe(() => {
      throw new Error('listener broke');
    });
    const off = bus.subscribe((e) => seen.push(e.id));
    const first = await bus.publish('x', 1);
    off();
    await bus.publish('x', 2);
    expect(seen).toEqual([first.id]);
    expect(errors).toHaveLength(2);
    await bus.close();
  });

  it('prunes events older than the retention instant and never reuses ids', async () => {
    let clock = new Date('2020-01-01T00:00:00.000Z');
    const bus = createInProcessEventBus({ db: database.db, now: () => clock });
    const old = await bus.publish('old', {});
    clock = new Date('2030-01-01T00:00:00.000Z');
    const recent = await bus.publish('recent', {});
    const removed = await pruneEvents(database.db, '2025-01-01T00:00:00.000Z');
    expect(removed).toBeGreaterThanOrEqual(1);
    const after = await bus.readSince(old.id - 1);
    expect(after.map((e) => e.id)).not.toContain(old.id);
    expect(after.map((e) => e.id)).toContain(recent.id);
    await pruneEvents(database.db, '2031-01-01T00:00:00.000Z');
    const next = await bus.publish('next', {});
    expect(next.id).toBeGreaterThan(recent.id);
    await bus.close();
  });
});
