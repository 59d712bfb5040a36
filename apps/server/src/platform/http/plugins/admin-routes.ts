/**
 * Keeps a list of every route guarded by `requireAdmin` and says so in its OpenAPI summary, and a list of the
 * `/api` routes that need no session. Why: tests prove that an agent is refused on each admin route and that
 * no `/api` route is open by accident (including routes added later), and readers of /api/docs see which
 * endpoints are admin-only.
 *
 * It also moves the shared guards to `onRequest`, wherever a route declared them (`preHandler`,
 * `preValidation`): authorisation comes before the body is parsed or validated, so an agent posting an
 * invalid body to an admin route gets 403, not a 400 that tells what the route expects, and nobody's body is
 * parsed for a route they may not call. Doing it here, once, keeps every route right, including those that
 * still say `preHandler`.
 */
import type { FastifyInstance, RouteOptions } from 'fastify';
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
    /** Every route guarded by `requireSignedIn` (and not `requireAdmin`): any signed-in user may call it. */
    signedInRoutes: GuardedRoute[];
  }
}

/** Starts tracking admin-only routes; call before any route is registered. */
export function trackAdminRoutes(app: FastifyInstance): void {
  const routes: GuardedRoute[] = [];
  const open: GuardedRoute[] = [];
  const signedIn: GuardedRoute[] = [];
  app.decorate('adminRoutes', routes);
  app.decorate('openApiRoutes', open);
  app.decorate('signedInRoutes', signedIn);
  app.addHook('onRoute', (route) => {
    authoriseFirst(route);
    const handlers = [route.preHandler, route.onRequest, route.preValidation].flat();
    if (!handlers.includes(requireAdmin)) {
      const methods = [route.method]
        .flat()
        .filter((m) => m !== 'HEAD')
        .map((method) => ({ method, url: route.url }));
      if (handlers.includes(requireSignedIn)) {
        signedIn.push(...methods);
      } else if (route.url.startsWith('/api/')) {
        open.push(...methods);
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

const GUARDS: ReadonlySet<unknown> = new Set([requireAdmin, requireSignedIn]);

type Hook = RouteOptions['onRequest'];

/** The route's shared guards taken out of its later hooks and run first thing, at `onRequest`. */
function authoriseFirst(route: RouteOptions): void {
  const later = [route.preValidation, route.preHandler].flat().filter((h) => h !== undefined);
  const guards = later.filter((h) => GUARDS.has(h));
  if (guards.length === 0) {
    return;
  }
  const without = (hook: unknown): Hook => {
    const left = [hook].flat().filter((h) => h !== undefined && !GUARDS.has(h));
    return (left.length > 0 ? left : undefined) as Hook;
  };
  route.preValidation = without(route.preValidation) as RouteOptions['preValidation'];
  route.preHandler = without(route.preHandler) as RouteOptions['preHandler'];
  const first = [route.onRequest].flat().filter((h) => h !== undefined);
  route.onRequest = [...first, ...guards.filter((g) => !first.includes(g))] as Hook;
}
