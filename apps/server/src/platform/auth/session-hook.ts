/**
 * The global request hook: resolves the `sb_session` cookie to `request.user` (disabled users get none) and
 * enforces the CSRF check on every state-changing request. Registered on the root instance before routes.
 */
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { type CookiePolicy, clearSessionCookies, SESSION_COOKIE } from './cookies.js';
import { checkCsrf } from './csrf.js';
import { type ActiveSession, findActiveSession } from './session-repository.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The live session behind `request.user`, or null (set by the session hook). */
    authSession: ActiveSession | null;
  }
}

export interface SessionHookOptions {
  readonly db: Kysely<Database>;
  readonly cookies: CookiePolicy;
  readonly now?: () => Date;
}

/** Installs the session + CSRF hook. Why: every route sees who is signed in without doing anything itself. */
export function registerSessionHook(app: FastifyInstance, options: SessionHookOptions): void {
  const now = options.now ?? (() => new Date());
  app.decorateRequest('user', null);
  app.decorateRequest('authSession', null);
  app.addHook('onRequest', async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    // Static files and the SPA need no session; only the API (and CSRF-checked writes) do.
    if (token && request.url.startsWith('/api/')) {
      const session = await findActiveSession(options.db, token, now());
      if (session) {
        request.authSession = session;
        const u = session.user;
        request.user = { id: u.id, email: u.email, name: u.name, role: u.role, locale: u.locale };
      } else {
        clearSessionCookies(request, reply, options.cookies);
      }
    }
    checkCsrf(request, request.authSession?.csrfToken ?? null);
  });
}
