/**
 * The event bus port: what the server tells browsers (SSE) and other instances — a call is ringing at an
 * extension, a call record changed. Every event is persisted with a monotonically increasing id first, so an SSE
 * client that reconnects with `Last-Event-ID` replays what it missed (`readSince`), on any instance.
 * Adapters: in-process (one instance, e.g. SQLite) and PostgreSQL LISTEN/NOTIFY (any number of instances).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

export interface BusEvent<T = unknown> {
  /** Monotonically increasing across the whole deployment: the SSE `id:`. */
  readonly id: number;
  readonly topic: string;
  readonly payload: T;
  readonly createdAt: string;
}

export interface EventFilter {
  /** Only these topics (exact names); all topics when absent. */
  readonly topics?: readonly string[];
  /** A further test on each event (audience, user), applied in process after the topic filter. */
  readonly match?: (event: BusEvent) => boolean;
}

export type BusListener = (event: BusEvent) => void;

/** What publishes events: the bus itself, or a transaction's staging publisher (see `publishIn`). */
export interface EventPublisher {
  publish<T>(topic: string, payload: T): Promise<BusEvent<T>>;
}

/** An event persisted inside a caller's transaction, not yet delivered. */
export interface StagedEvent<T = unknown> {
  readonly event: BusEvent<T>;
  /** Call once the transaction has committed (never after a rollback): delivers the event. */
  readonly afterCommit: () => void;
}

export interface EventBus extends EventPublisher {
  /** Persists the event and delivers it to every subscriber of every instance; resolves with its id. */
  publish<T>(topic: string, payload: T): Promise<BusEvent<T>>;
  /**
   * Persists the event with `trx` (the caller's open transaction) and hands back its delivery, to run after the
   * commit. Why: work done in one transaction (a batch of webhooks) tells browsers only what was committed.
   */
  publishIn<T>(trx: Kysely<Database>, topic: string, payload: T): Promise<StagedEvent<T>>;
  /** Calls `listener` for each event published from now on (any instance); returns the unsubscribe function. */
  subscribe(listener: BusListener, filter?: EventFilter): () => void;
  /** Events with an id greater than `afterId`, oldest first, at most `limit` (default 1000) — SSE replay. */
  readSince(afterId: number, filter?: EventFilter & { readonly limit?: number }): Promise<BusEvent[]>;
  /** Stops delivering and releases what the adapter holds (not the database). */
  close(): Promise<void>;
}

/** Whether an event passes a filter (topics first, then the predicate). */
export function matchesFilter(event: BusEvent, filter: EventFilter | undefined): boolean {
  if (!filter) {
    return true;
  }
  if (filter.topics && !filter.topics.includes(event.topic)) {
    return false;
  }
  return filter.match ? filter.match(event) : true;
}

/**
 * A publisher that persists with `trx` and queues each delivery until `commit()`; after a rollback, simply never
 * call it.
 * Why: handlers take an `EventPublisher` and need not know whether they run inside a batch transaction.
 */
export function stagingPublisher(bus: EventBus, trx: Kysely<Database>): EventPublisher & { commit(): void } {
  let pending: (() => void)[] = [];
  return {
    async publish<T>(topic: string, payload: T) {
      const staged = await bus.publishIn(trx, topic, payload);
      pending.push(staged.afterCommit);
      return staged.event;
    },
    commit() {
      const deliveries = pending;
      pending = [];
      for (const deliver of deliveries) {
        deliver();
      }
    },
  };
}

/**
 * Subscribers of one instance: delivery isolated per listener so a throwing listener cannot starve others.
 * Why: shared by both adapters; errors go to `onError` (the composition root logs them).
 */
export function createSubscriberSet(onError: (error: unknown, event: BusEvent) => void) {
  const subscribers = new Set<{ listener: BusListener; filter: EventFilter | undefined }>();
  return {
    add(listener: BusListener, filter?: EventFilter): () => void {
      const entry = { listener, filter };
      subscribers.add(entry);
      return () => {
        subscribers.delete(entry);
      };
    },
    deliver(event: BusEvent): void {
      for (const { listener, filter } of subscribers) {
        try {
          if (matchesFilter(event, filter)) {
            listener(event);
          }
        } catch (error) {
          onError(error, event);
        }
      }
    },
    clear(): void {
      subscribers.clear();
    },
    get size(): number {
      return subscribers.size;
    },
  };
}
