/**
 * The in-process event bus: persist, then deliver to this process's subscribers. For a single instance (the
 * SQLite deployment); any second instance would not hear these events — use the PostgreSQL adapter there.
 */
import type SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { onSqliteConnection } from '../db/database.js';
import type { Database } from '../db/schema.js';
import { type BusEvent, createSubscriberSet, type EventBus, type StagedEvent } from './event-bus.js';
import { appendEvent, readEventsSince } from './event-store.js';

export interface InProcessEventBusOptions {
  readonly db: Kysely<Database>;
  /** The raw SQLite connection behind `db`, if any: events are then appended with one prepared statement. */
  readonly sqlite?: SQLite.Database | null;
  readonly now?: () => Date;
  readonly onError?: (error: unknown, event: BusEvent) => void;
}

/**
 * Creates the in-process bus.
 * Why: no infrastructure beyond the database for a small office, with the same replay semantics as PostgreSQL.
 */
export function createInProcessEventBus(options: InProcessEventBusOptions): EventBus {
  const { db } = options;
  const now = options.now ?? (() => new Date());
  const subscribers = createSubscriberSet(options.onError ?? (() => {}));
  let closed = false;
  // Every live event is a row: on the webhook path, one prepared statement instead of a built query.
  const insert =
    options.sqlite?.prepare<[string, string, string]>(
      'insert into events (topic, payload, created_at) values (?, ?, ?)',
    ) ?? null;

  async function append<T>(trx: Kysely<Database>, topic: string, payload: T): Promise<BusEvent<T>> {
    const createdAt = now().toISOString();
    if (!insert) {
      return appendEvent(trx, topic, payload, createdAt);
    }
    const json = JSON.stringify(payload) ?? 'null';
    const { lastInsertRowid } = await onSqliteConnection(trx, () => insert.run(topic, json, createdAt));
    // Subscribers get the payload as published (the SSE hub only serialises it); what a replay reads back
    // from the row is equal to it.
    return { id: Number(lastInsertRowid), topic, payload, createdAt };
  }

  async function publishIn<T>(trx: Kysely<Database>, topic: string, payload: T): Promise<StagedEvent<T>> {
    const event = await append(trx, topic, payload);
    return {
      event,
      afterCommit: () => {
        if (!closed) {
          subscribers.deliver(event);
        }
      },
    };
  }
  return {
    async publish(topic, payload) {
      const staged = await publishIn(db, topic, payload);
      staged.afterCommit();
      return staged.event;
    },
    publishIn,
    subscribe: (listener, filter) => subscribers.add(listener, filter),
    readSince: (afterId, filter) => readEventsSince(db, afterId, filter),
    async close() {
      closed = true;
      subscribers.clear();
    },
  };
}
