/**
 * The in-process event bus: persist, then deliver to this process's subscribers. For a single instance (the
 * SQLite deployment); any second instance would not hear these events — use the PostgreSQL adapter there.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { type BusEvent, createSubscriberSet, type EventBus } from './event-bus.js';
import { appendEvent, readEventsSince } from './event-store.js';

export interface InProcessEventBusOptions {
  readonly db: Kysely<Database>;
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
  return {
    async publish(topic, payload) {
      const event = await appendEvent(db, topic, payload, now().toISOString());
      if (!closed) {
        subscribers.deliver(event);
      }
      return event;
    },
    subscribe: (listener, filter) => subscribers.add(listener, filter),
    readSince: (afterId, filter) => readEventsSince(db, afterId, filter),
    async close() {
      closed = true;
      subscribers.clear();
    },
  };
}
