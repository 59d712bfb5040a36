/**
 * Server-Sent Events for signed-in users: one bus subscription per instance, connections indexed by user id,
 * so delivering an event costs O(connections of its audience), not O(all connections). A reconnecting client
 * sends `Last-Event-ID` and gets what it missed from the events table first, then live events, in id order
 * and without duplicates.
 */
import type { ServerResponse } from 'node:http';
import type { BusEvent, EventBus } from '../events/event-bus.js';
import { asEnvelope, isFor, LIVE_TOPICS, type LiveTopic } from './live-events.js';

const DEFAULT_PING_MS = 15_000;
const REPLAY_LIMIT = 1000;

interface Connection {
  readonly userId: string;
  readonly res: ServerResponse;
  /** Live events received while the replay runs; flushed after it. */
  pending: BusEvent[] | null;
  lastId: number;
}

export interface SseHub {
  /** Serves one SSE stream on a raw response until the client goes away or the hub closes. */
  open(options: { userId: string; res: ServerResponse; lastEventId: number | null }): Promise<void>;
  /** Open connections (all users). */
  readonly size: number;
  /** Connections of one user. */
  countFor(userId: string): number;
  /** Ends every stream and stops listening. */
  close(): void;
}

/** A live event sent to one connection only, without an id: the current state, not history to replay. */
interface LiveStateFrame {
  readonly topic: LiveTopic;
  readonly data: unknown;
}

export interface SseHubOptions {
  readonly bus: EventBus;
  /**
   * What a connecting user's tab must know before live events: e.g. the calls in progress that put their cards
   * back after a reload or in a second tab. Sent after the replay and before the events that arrived meanwhile.
   */
  readonly currentState?: (userId: string) => Promise<readonly LiveStateFrame[]>;
  readonly pingMs?: number;
  readonly onError?: (error: unknown) => void;
}

// The frame is the same for every connection of every user: serialise it once per event.
const frames = new WeakMap<BusEvent, string>();

function frameOf(event: BusEvent): string | null {
  const cached = frames.get(event);
  if (cached !== undefined) {
    return cached;
  }
  const envelope = asEnvelope(event);
  if (!envelope) {
    return null;
  }
  const frame = `id: ${event.id}\nevent: ${event.topic}\ndata: ${JSON.stringify(envelope.data)}\n\n`;
  frames.set(event, frame);
  return frame;
}

/**
 * Creates the hub of one server instance.
 * Why: popups must reach every tab of the right user within milliseconds, with 500 agents connected.
 */
export function createSseHub(options: SseHubOptions): SseHub {
  const byUser = new Map<string, Set<Connection>>();
  let size = 0;
  const report = options.onError ?? (() => {});

  function write(connection: Connection, event: BusEvent): void {
    if (event.id <= connection.lastId) {
      return;
    }
    const frame = frameOf(event);
    if (frame === null) {
      return;
    }
    connection.lastId = event.id;
    connection.res.write(frame);
  }

  const unsubscribe = options.bus.subscribe(
    (event) => {
      const envelope = asEnvelope(event);
      if (!envelope) {
        return;
      }
      for (const userId of envelope.userIds) {
        const connections = byUser.get(userId);
        if (!connections) {
          continue;
        }
        for (const connection of connections) {
          if (connection.pending) {
            connection.pending.push(event);
          } else {
            write(connection, event);
          }
        }
      }
    },
    { topics: LIVE_TOPICS },
  );

  const ping = setInterval(() => {
    for (const connections of byUser.values()) {
      for (const connection of connections) {
        connection.res.write(': ping\n\n');
      }
    }
  }, options.pingMs ?? DEFAULT_PING_MS);
  ping.unref();

  function remove(connection: Connection): void {
    const connections = byUser.get(connection.userId);
    if (connections?.delete(connection)) {
      size -= 1;
      if (connections.size === 0) {
        byUser.delete(connection.userId);
      }
    }
  }

  return {
    async open({ userId, res, lastEventId }) {
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write('retry: 2000\n: connected\n\n');
      const connection: Connection = {
        userId,
        res,
        pending: lastEventId !== null || options.currentState ? [] : null,
        lastId: lastEventId ?? 0,
      };
      let connections = byUser.get(userId);
      if (!connections) {
        connections = new Set();
        byUser.set(userId, connections);
      }
      connections.add(connection);
      size += 1;
      res.on('close', () => remove(connection));
      if (connection.pending === null) {
        return;
      }
      try {
        if (lastEventId !== null) {
          const missed = await options.bus.readSince(lastEventId, {
            topics: LIVE_TOPICS,
            match: (event) => isFor(event, userId),
            limit: REPLAY_LIMIT,
          });
          for (const event of missed) {
            write(connection, event);
          }
        }
        // No `id:` line: the state is not an event to resume from, so the browser's Last-Event-ID stays put.
        for (const frame of (await options.currentState?.(userId)) ?? []) {
          res.write(`event: ${frame.topic}\ndata: ${JSON.stringify(frame.data)}\n\n`);
        }
      } catch (error) {
        report(error);
      } finally {
        const pending = connection.pending ?? [];
        connection.pending = null;
        for (const event of pending.sort((a, b) => a.id - b.id)) {
          write(connection, event);
        }
      }
    },
    get size() {
      return size;
    },
    countFor(userId) {
      return byUser.get(userId)?.size ?? 0;
    },
    close() {
      clearInterval(ping);
      unsubscribe();
      for (const connections of byUser.values()) {
        for (const connection of connections) {
          connection.res.end();
        }
      }
      byUser.clear();
      size = 0;
    },
  };
}
