/**
 * The PostgreSQL event bus: fan-out across server instances with LISTEN/NOTIFY. `publish` inserts the row and
 * calls `pg_notify(channel, id)` in one statement, so the notification leaves only when the row is committed and
 * carries only the id (NOTIFY payloads are capped at 8000 bytes; rows are not). Each instance holds one dedicated
 * listening connection, reads each notified row through its pool and delivers it to its subscribers — the
 * publishing instance included. If that connection drops, it reconnects with backoff and catches up from the
 * events table (everything after the highest id it delivered).
 * Caveat: ids come from a sequence but commits can land out of id order, so live delivery is in commit order and a
 * late-committing lower id can still arrive after a higher one; replay (`readSince`) is always in id order.
 */
import { type Kysely, sql } from 'kysely';
import pg from 'pg';
import type { Database } from '../db/schema.js';
import { type BusEvent, createSubscriberSet, type EventBus, type StagedEvent } from './event-bus.js';
import { latestEventId, readEvent, readEventsSince, toBusEvent } from './event-store.js';

const DEFAULT_EVENT_CHANNEL = 'switchboard_events';

const DEDUPE_WINDOW = 10_000;
const CATCH_UP_BATCH = 1000;

export interface PostgresEventBusOptions {
  /** The instance's pool (reads and publishes). */
  readonly db: Kysely<Database>;
  /** Connection string for the dedicated LISTEN connection (the same database as `db`). */
  readonly connectionString: string;
  /** NOTIFY channel; instances sharing a database and schema must use the same one. */
  readonly channel?: string;
  readonly now?: () => Date;
  /** Reconnect backoff bounds in milliseconds (default 250 → 10 000, doubling). */
  readonly reconnectDelayMs?: { readonly min: number; readonly max: number };
  /** Listener errors, lost connections and failed reads; the bus keeps running. */
  readonly onError?: (error: unknown, event?: BusEvent) => void;
}

/**
 * Creates the PostgreSQL bus and resolves once its LISTEN connection is active (nothing published afterwards is missed).
 * Why: lets any number of stateless instances push the same live events to every browser tab.
 */
export async function createPostgresEventBus(options: PostgresEventBusOptions): Promise<EventBus> {
  const { db, connectionString } = options;
  const channel = options.channel ?? DEFAULT_EVENT_CHANNEL;
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(channel)) {
    throw new Error(
      `event channel "${channel}" must be a lower-case SQL identifier of at most 63 characters`,
    );
  }
  const now = options.now ?? (() => new Date());
  const delays = options.reconnectDelayMs ?? { min: 250, max: 10_000 };
  const report = options.onError ?? (() => {});
  const subscribers = createSubscriberSet((error, event) => report(error, event));

  let closed = false;
  let client: pg.Client | null = null;
  let attempt = 0;
  let timer: NodeJS.Timeout | null = null;
  let queue: Promise<void> = Promise.resolve();
  let cursor = 0;
  const recent = new Set<number>();
  const recentOrder: number[] = [];

  function deliver(event: BusEvent): void {
    if (recent.has(event.id) || closed) {
      return;
    }
    recent.add(event.id);
    recentOrder.push(event.id);
    if (recentOrder.length > DEDUPE_WINDOW) {
      recent.delete(recentOrder.shift() as number);
    }
    cursor = Math.max(cursor, event.id);
    subscribers.deliver(event);
  }

  function enqueue(task: () => Promise<void>): void {
    queue = queue.then(task).catch((error: unknown) => report(error));
  }

  function onNotification(id: number): void {
    enqueue(async () => {
      if (recent.has(id)) {
        return;
      }
      const event = await readEvent(db, id);
      if (event) {
        deliver(event);
      }
    });
  }

  function catchUp(): void {
    enqueue(async () => {
      for (;;) {
        const events = await readEventsSince(db, cursor, { limit: CATCH_UP_BATCH });
        for (const event of events) {
          deliver(event);
        }
        if (events.length < CATCH_UP_BATCH) {
          return;
        }
      }
    });
  }

  async function listen(): Promise<void> {
    const c = new pg.Client({ connectionString });
    c.on('error', (error) => lost(c, error));
    c.on('end', () => lost(c, new Error(`event bus: LISTEN connection on "${channel}" ended`)));
    c.on('notification', (message) => {
      if (c === client && message.channel === channel && message.payload) {
        onNotification(Number(message.payload));
      }
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${channel}`);
    } catch (error) {
      await c.end().catch(() => {});
      throw error;
    }
    if (closed) {
      await c.end().catch(() => {});
      return;
    }
    client = c;
  }

  function lost(c: pg.Client, error: unknown): void {
    if (c !== client) {
      return;
    }
    client = null;
    report(error);
    c.end().catch(() => {});
    scheduleReconnect();
  }

  function scheduleReconnect(): void {
    if (closed || timer) {
      return;
    }
    const delay = Math.min(delays.max, delays.min * 2 ** attempt);
    attempt += 1;
    timer = setTimeout(async () => {
      timer = null;
      try {
        await listen();
        attempt = 0;
        catchUp();
      } catch (error) {
        report(error);
        scheduleReconnect();
      }
    }, delay);
    timer.unref();
  }

  await listen();
  // Start after what already exists: a new instance delivers only what is published from now on.
  cursor = await latestEventId(db);

  // The NOTIFY leaves with the commit, and the LISTEN connection delivers it (to this instance too): nothing
  // to do after the commit, and a rollback sends nothing.
  async function publishIn<T>(trx: Kysely<Database>, topic: string, payload: T): Promise<StagedEvent<T>> {
    const { rows } = await sql<{ id: number; topic: string; payload: string; created_at: string }>`
      with inserted as (
        insert into events (topic, payload, created_at)
        values (${topic}, ${JSON.stringify(payload) ?? 'null'}, ${now().toISOString()})
        returning id, topic, payload, created_at
      )
      select inserted.id, inserted.topic, inserted.payload, inserted.created_at, pg_notify(${channel}, inserted.id::text)
      from inserted`.execute(trx);
    const row = rows[0];
    if (!row) {
      throw new Error(`event bus: inserting an event on topic "${topic}" returned no row`);
    }
    return { event: toBusEvent(row) as BusEvent<T>, afterCommit: () => {} };
  }

  return {
    async publish<T>(topic: string, payload: T): Promise<BusEvent<T>> {
      return (await publishIn(db, topic, payload)).event;
    },
    publishIn,
    subscribe: (listener, filter) => subscribers.add(listener, filter),
    readSince: (afterId, filter) => readEventsSince(db, afterId, filter),
    async close() {
      closed = true;
      if (timer) {
        clearTimeout(timer);
        timer = null;
      }
      const c = client;
      client = null;
      subscribers.clear();
      if (c) {
        await c.end().catch(() => {});
      }
      await queue;
    },
  };
}
