/**
 * Keeps a list of every route guarded by `requireAdmin` and says so in its OpenAPI summary. Why: tests
 * prove that an agent is refused on each of them (including routes added later), and readers of
 * /api/docs see which endpoints are admin-only.
 */
import type { FastifyInstance } from 'fastify';
import { requireAdmin } from '../auth-guards.js';

interface GuardedRoute {
  readonly method: string;
  readonly url: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route whose preHandler includes `requireAdmin` (filled as routes are registered). */
    adminRoutes: GuardedRoute[];
  }
}

/** Starts tracking admin-only routes; call before any route is registered. */
export function trackAdminRoutes(app: FastifyInstance): void {
  const routes: GuardedRoute[] = [];
  app.decorate('adminRoutes', routes);
  app.addHook('onRoute', (route) => {
    const handlers = [route.preHandler, route.onRequest, route.preValidation].flat();
    if (!handlers.includes(requireAdmin)) {
      return;
    }
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') {
        routes.push({ method, url: route.url });
      }
    }
    if (route.schema && !String(route.schema.summary ?? '').includes('(admin only)')) {
      route.schema.summary = `${route.schema.summary ?? route.url} (admin only)`;
    }
  });
}
