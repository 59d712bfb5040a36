/**
 * `GET /api/events`: the signed-in user's live events as Server-Sent Events (api-contract-telephony.md).
 */
import type { FastifyInstance } from 'fastify';
import type { EventBus } from '../events/event-bus.js';
import { currentUser, requireSignedIn } from '../http/auth-guards.js';
import { createSseHub, type SseHub, type SseHubOptions } from './sse-hub.js';

export interface LiveRoutesOptions {
  readonly bus: EventBus;
  readonly pingMs?: number;
  /** What a connecting tab receives first (sse-hub.ts `currentState`): the user's calls in progress. */
  readonly currentState?: SseHubOptions['currentState'];
  /** Receives the hub once created (benchmarks and tests count connections). */
  readonly onHub?: (hub: SseHub) => void;
}

function parseLastEventId(value: unknown): number | null {
  const text = Array.isArray(value) ? value[0] : value;
  if (typeof text !== 'string' || !/^\d{1,15}$/.test(text.trim())) {
    return null;
  }
  return Number(text.trim());
}

/** Registers the SSE route. Why: popups and call status reach every open tab of the right user. */
export async function liveRoutes(app: FastifyInstance, options: LiveRoutesOptions): Promise<void> {
  const hub = createSseHub({
    bus: options.bus,
    ...(options.pingMs !== undefined ? { pingMs: options.pingMs } : {}),
    ...(options.currentState ? { currentState: options.currentState } : {}),
    onError: (error) => app.log.error({ err: error }, 'SSE replay failed'),
  });
  options.onHub?.(hub);
  // Open streams would keep `close()` waiting forever: end them first.
  app.addHook('preClose', async () => {
    hub.close();
  });
  app.get('/api/events', { preHandler: requireSignedIn, schema: { hide: true } }, async (request, reply) => {
    const user = currentUser(request);
    const query = request.query as Record<string, unknown> | undefined;
    const lastEventId =
      parseLastEventId(request.headers['last-event-id']) ?? parseLastEventId(query?.lastEventId);
    reply.hijack();
    await hub.open({ userId: user.id, res: reply.raw, lastEventId });
  });
}
