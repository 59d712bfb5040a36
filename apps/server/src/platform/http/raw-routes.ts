/**
 * Routes answered straight from `node:http`, before Fastify sees the request. For the one hot path whose every
 * microsecond counts — Zadarma's webhook, thousands a second at peak — Fastify's routing, hooks, per-request
 * logger and reply pipeline cost about as much as the work itself (issue 5 bench). A raw route handles its own
 * body limit, errors and logging; the same URL stays registered in Fastify too, so `app.inject()` (which never
 * reaches the server) and any method the raw route declines still work.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/**
 * The whole request's headers must arrive within this (Node's default is 60 s). A client that takes longer is
 * a slow-loris, not a browser nor Zadarma, whose requests are one packet.
 */
const HEADERS_TIMEOUT_MS = 10_000;
/**
 * Headers and body must arrive within this (Node's default is 300 s, which held slow bodies that long): enough
 * for the largest body accepted (a 5 MiB CSV import) at under 1 Mbit/s. Routes with small bodies set their own
 * tighter deadline (`/zadarma`: modules/telephony/http/webhook-routes.ts). Responses (SSE streams) are not limited.
 */
const REQUEST_TIMEOUT_MS = 60_000;
/**
 * How often Node looks for requests past those timeouts (its default, 30 s, would let a 10 s timeout run 40 s).
 * Walking the open connections once a second costs microseconds.
 */
const TIMEOUT_CHECK_INTERVAL_MS = 1_000;
/**
 * Most open connections; beyond it a new one is closed at once. Why: every connection holds a file descriptor
 * and memory, and the server must keep descriptors for its database and logs under a flood. One SSE stream per
 * open tab of every user fits well inside it.
 */
const MAX_CONNECTIONS = 2048;

/** The raw server's limits (defaults above); tests pass short ones. */
export interface RawServerLimits {
  readonly headersTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
  readonly timeoutCheckIntervalMs?: number;
  readonly maxConnections?: number;
}

/** Answers the request, or returns false to leave it to Fastify. */
export type RawHandler = (request: IncomingMessage, response: ServerResponse) => boolean;

export interface RawRoutes {
  /** Serves `path` (exact, any query string) with `handler`. */
  add(path: string, handler: RawHandler): void;
}

/** The path of a request URL, without its query string. */
function pathOf(url: string | undefined): string {
  if (!url) {
    return '';
  }
  const q = url.indexOf('?');
  return q >= 0 ? url.slice(0, q) : url;
}

/**
 * A Fastify `serverFactory` whose server tries the raw routes first, and the registry to add them to. The
 * server gets the timeouts and connection cap above: with a `serverFactory`, Fastify applies none of its own.
 * Why: the routes are known only once features register, after Fastify has created its server.
 */
export function createRawRoutes(limits: RawServerLimits = {}): {
  routes: RawRoutes;
  serverFactory: (fastify: (request: IncomingMessage, response: ServerResponse) => void) => Server;
} {
  const handlers = new Map<string, RawHandler>();
  const headersTimeout = limits.headersTimeoutMs ?? HEADERS_TIMEOUT_MS;
  const requestTimeout = Math.max(limits.requestTimeoutMs ?? REQUEST_TIMEOUT_MS, headersTimeout);
  return {
    routes: {
      add(path, handler) {
        handlers.set(path, handler);
      },
    },
    serverFactory: (fastify) => {
      const server = createServer(
        {
          headersTimeout,
          requestTimeout,
          connectionsCheckingInterval: limits.timeoutCheckIntervalMs ?? TIMEOUT_CHECK_INTERVAL_MS,
        },
        (request, response) => {
          const handler = handlers.size > 0 ? handlers.get(pathOf(request.url)) : undefined;
          if (!handler?.(request, response)) {
            fastify(request, response);
          }
        },
      );
      server.maxConnections = limits.maxConnections ?? MAX_CONNECTIONS;
      return server;
    },
  };
}
