/**
 * Keeps a list of every route guarded by `requireAdmin` and says so in its OpenAPI summary, and a list of the
 * `/api` routes that need no session. Why: tests prove that an agent is refused on each admin route and that
 * no `/api` route is open by accident (including routes added later), and readers of /api/docs see which
 * endpoints are admin-only.
 */
import type { FastifyInstance } from 'fastify';
import { requireAdmin, requireSignedIn } from '../auth-guards.js';

interface GuardedRoute {
  readonly method: string;
  readonly url: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route whose preHandler includes `requireAdmin` (filled as routes are registered). */
    adminRoutes: GuardedRoute[];
    /** Every `/api` route guarded by neither `requireAdmin` nor `requireSignedIn`. */
    openApiRoutes: GuardedRoute[];
  }
}

/** Starts tracking admin-only routes; call before any route is registered. */
export function trackAdminRoutes(app: FastifyInstance): void {
  const routes: GuardedRoute[] = [];
  const open: GuardedRoute[] = [];
  app.decorate('adminRoutes', routes);
  app.decorate('openApiRoutes', open);
  app.addHook('onRoute', (route) => {
    const handlers = [route.preHandler, route.onRequest, route.preValidation].flat();
    if (!handlers.includes(requireAdmin)) {
      if (!handlers.includes(requireSignedIn) && route.url.startsWith('/api/')) {
        open.push(
          ...[route.method]
            .flat()
            .filter((m) => m !== 'HEAD')
            .map((method) => ({ method, url: route.url })),
        );
      }
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
