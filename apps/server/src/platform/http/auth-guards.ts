/**
 * Route guards. The session hook (platform/auth) sets `request.user` from the session cookie before any
 * handler runs; routes opt in with `{ onRequest: requireSignedIn }` or `{ onRequest: requireAdmin }` (a guard
 * written as `preHandler` is moved to `onRequest` by plugins/admin-routes.ts: authorisation always comes before
 * parsing and validation), and hand use cases `actorOf(request)`: use cases know an `Actor`, never the session.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Locale, type Role, type UserActor, userActor } from '../auth/actor.js';
import { AppError } from '../errors/errors.js';

/** The signed-in user as the HTTP layer knows it (the session's row). */
export interface SessionUser {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly role: Role;
  readonly locale: Locale;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in user, or null (set by the session hook). */
    user: SessionUser | null;
  }
}

/** Refuses the request with 401 unless someone is signed in. */
export async function requireSignedIn(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
  if (!request.user) {
    throw new AppError('SB_ERR_UNAUTHENTICATED', 'sign in to use this endpoint');
  }
}

/** Refuses the request unless an admin is signed in (401 when nobody is, 403 for an agent). */
export async function requireAdmin(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  await requireSignedIn(request, reply);
  if (request.user?.role !== 'admin') {
    throw new AppError('SB_ERR_FORBIDDEN', 'this endpoint is for administrators only');
  }
}

/** The signed-in user inside a guarded handler. */
export function currentUser(request: FastifyRequest): SessionUser {
  if (!request.user) {
    throw new AppError('SB_ERR_UNAUTHENTICATED', 'sign in to use this endpoint');
  }
  return request.user;
}

/**
 * The signed-in user inside a guarded handler, as the `Actor` a use case takes.
 * Why: the one place where the HTTP session becomes an actor.
 */
export function actorOf(request: FastifyRequest): UserActor {
  return userActor(currentUser(request));
}
