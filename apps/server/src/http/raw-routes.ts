/**
 * Routes answered straight from `node:http`, before Fastify sees the request. For the one hot path whose every
 * microsecond counts — Zadarma's webhook, thousands a second at peak — Fastify's routing, hooks, per-request
 * logger and reply pipeline cost about as much as the work itself (issue 5 bench). A raw route handles its own
 * body limit, errors and logging; the same URL stays registered in Fastify too, so `app.inject()` (which never
 * reaches the server) and any method the raw route declines still work.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

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
 * A Fastify `serverFactory` whose server tries the raw routes first, and the registry to add them to.
 * Why: the routes are known only once features register, after Fastify has created its server.
 */
export function createRawRoutes(): {
  routes: RawRoutes;
  serverFactory: (fastify: (request: IncomingMessage, response: ServerResponse) => void) => Server;
} {
  const handlers = new Map<string, RawHandler>();
  return {
    routes: {
      add(path, handler) {
        handlers.set(path, handler);
      },
    },
    serverFactory: (fastify) =>
      createServer((request, response) => {
        const handler = handlers.size > 0 ? handlers.get(pathOf(request.url)) : undefined;
        if (!handler?.(request, response)) {
          fastify(request, response);
        }
      }),
  };
}
