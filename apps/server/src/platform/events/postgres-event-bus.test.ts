import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, TEST_DATABASE_URL, type TestDatabase } from '../../test-support/test-database.js';
import { type DatabaseHandle, openDatabase } from '../db/database.js';
import type { BusEvent, EventBus } from './event-bus.js';
import { createPostgresEventBus } from './postgres-event-bus.js';

async function waitFor(condition: () => boolean, what: string, timeoutMs = 4000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('the PostgreSQL event bus across two instances', () => {
  let database: TestDatabase;
  let second: DatabaseHandle;
  let channel: string;
  let busA: EventBus;
  let busB: EventBus;
  const errorsB: unknown[] = [];

  beforeAll(async () => {
    database = await openTestDatabase('postgres');
    const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(database.db);
    const schema = rows[0]?.schema ?? '';
    // Another pool on the same schema: a second server instance.
    second = openDatabase({ dialect: 'postgres', url: TEST_DATABASE_URL, schema, poolSize: 3 });
    channel = `sb_events_${schema}`;
    busA = await createPostgresEventBus({ db: database.db, connectionString: TEST_DATABASE_URL, channel });
    busB = await createPostgresEventBus({
      db: second.db,
      connectionString: TEST_DATABASE_URL,
      channel,
      reconnectDelayMs: { min: 300, max: 1000 },
      onError: (e) => errorsB.push(e),
    });
  });
  afterAll(async () => {
    await busA?.close();
    await busB?.close();
    await second?.close();
    await database?.cleanup();
  });

  it('delivers an event published inside a transaction on commit, on both instances, and never after a rollback', async () => {
    const onB: BusEvent[] = [];
    const offB = busB.subscribe((e) => onB.push(e), { topics: ['tx.test'] });
    const kept = await database.db.transaction().execute(async (trx) => {
      const staged = await busA.publishIn(trx, 'tx.test', { n: 1 });
      // Not committed yet: nobody hears of it, however long we wait.
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(onB).toEqual([]);
      return staged.event;
    });
    await expect(
      database.db.transaction().execute(async (trx) => {
        await busA.publishIn(trx, 'tx.test', { n: 2 });
        throw new Error('rolled back on purpose');
      }),
    ).rejects.toThrow('rolled back on purpose');
    await waitFor(() => onB.length >= 1, 'the committed event');
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(onB).toEqual([kept]);
    offB();
  });

  it('delivers an event published on one instance to the subscribers of both', async () => {
    const onA: BusEvent[] = [];
    const onB: BusEvent[] = [];
    const offA = busA.subscribe((e) => onA.push(e));
    const offB = busB.subscribe((e) => onB.push(e));
    const fromA = await busA.publish('call.ringing', { pbxCallId: 'in_1', extension: '101' });
    const fromB = await busB.publish('call.updated', { pbxCallId: 'in_1', status: 'answered' });
    await waitFor(() => onA.length >= 2 && onB.length >= 2, 'both instances to receive both events');
    expect(onA).toEqual([fromA, fromB]);
    expect(onB).toEqual([fromA, fromB]);
    expect(fromB.id).toBeGreaterThan(fromA.id);
    offA();
    offB();
  });

  it('delivers many concurrent publishes exactly once on each instance', async () => {
    const onA = new Map<number, number>();
    const onB = new Map<number, number>();
    const offA = busA.subscribe((e) => onA.set(e.id, (onA.get(e.id) ?? 0) + 1), { topics: ['burst'] });
    const offB = busB.subscribe((e) => onB.set(e.id, (onB.get(e.id) ?? 0) + 1), { topics: ['burst'] });
    const published = await Promise.all(
      Array.from({ length: 50 }, (_, i) => (i % 2 ? busA : busB).publish('burst', { i })),
    );
    await waitFor(() => onA.size === 50 && onB.size === 50, '50 events on both instances');
    expect([...onA.values(), ...onB.values()].every((n) => n === 1)).toBe(true);
    expect(new Set(published.map((e) => e.id)).size).toBe(50);
    offA();
    offB();
  });

  it('replays from any instance what followed a given id', async () => {
    const before = await busA.publish('marker', {});
    const after = [await busA.publish('call.updated', { n: 1 }), await busB.publish('call.ended', { n: 2 })];
    expect(await busB.readSince(before.id)).toEqual(after);
    expect(await busA.readSince(before.id, { topics: ['call.ended'] })).toEqual([after[1]]);
  });

  it('reconnects a dropped LISTEN connection and delivers what was published meanwhile', async () => {
    const onB: BusEvent[] = [];
    const offB = busB.subscribe((e) => onB.push(e), { topics: ['during-outage', 'after-outage'] });
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    const { rowCount } = await admin.query(
      `select pg_terminate_backend(pid) from pg_stat_activity where query = $1 and pid <> pg_backend_pid()`,
      [`LISTEN ${channel}`],
    );
    await admin.end();
    expect(rowCount).toBe(2);
    const during = await busA.publish('during-outage', { n: 1 });
    await waitFor(() => onB.length >= 1, 'the event published during the outage');
    const afterwards = await busA.publish('after-outage', { n: 2 });
    await waitFor(() => onB.length >= 2, 'the event published after reconnecting');
    expect(onB).toEqual([during, afterwards]);
    expect(errorsB.some((e) => String(e).includes('terminat') || String(e).includes('ended'))).toBe(true);
    offB();
  });

  it('refuses a channel name that is not a plain identifier', async () => {
    await expect(
      createPostgresEventBus({
        db: database.db,
        connectionString: TEST_DATABASE_URL,
        channel: 'x; drop table events',
      }),
    ).rejects.toThrow(/lower-case SQL identifier/);
  });
});
