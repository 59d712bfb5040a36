/**
 * `/api/auth/*`: sign-in (failures limited per IP and email and per IP), sign-out, sign-out everywhere, and the signed-in
 * user's own profile (REST contract, Auth).
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/schema.js';
import { AppError } from '../errors/errors.js';
import { currentUser, requireSignedIn } from '../http/auth-guards.js';
import { toUser } from '../users/user-repository.js';
import { UpdateMeBodySchema, UserSchema } from '../users/user-schemas.js';
import { type CookiePolicy, clearSessionCookies, setSessionCookies } from './cookies.js';
import { createLoginThrottle } from './login-throttle.js';
import { MAX_PASSWORD_LENGTH } from './password.js';
import { type ActiveSession, deleteSession, deleteUserSessions } from './session-repository.js';
import { signIn } from './sign-in.js';
import { updateMe } from './update-me.js';

export interface AuthRoutesOptions {
  readonly db: Kysely<Database>;
  readonly cookies: CookiePolicy;
  /** Failed sign-ins allowed per minute for one (IP address, email) pair; 5× that for one address across emails. */
  readonly loginAttemptsPerMinute: number;
  readonly now?: () => Date;
}

const LoginBodySchema = z.object({
  email: z.string().trim().toLowerCase().min(1, 'must not be empty').max(254),
  password: z.string().min(1, 'must not be empty').max(MAX_PASSWORD_LENGTH),
});

const UserEnvelopeSchema = z.object({ user: UserSchema });

/** Registers the auth routes. Why: one plugin per area, wired in src/routes.ts. */
export async function authRoutes(app: FastifyInstance, options: AuthRoutesOptions): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const now = options.now ?? (() => new Date());
  const throttle = createLoginThrottle({ perEmail: options.loginAttemptsPerMinute });

  r.post(
    '/api/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign in; sets the sb_session (HttpOnly) and sb_csrf cookies',
        body: LoginBodySchema,
        response: { 200: UserEnvelopeSchema },
      },
    },
    async (request, reply) => {
      const { email } = request.body;
      const refusal = throttle.begin(request.ip, email);
      if (refusal) {
        request.log.warn({ email, scope: refusal.scope }, 'sign-in rate-limited');
        reply.header('retry-after', String(refusal.retryAfterSeconds));
        const wait = `try again in ${refusal.retryAfterSeconds} seconds`;
        throw new AppError(
          'SB_ERR_RATE_LIMITED',
          refusal.scope === 'email'
            ? `too many sign-in attempts for this email from your address; ${wait}`
            : `too many failed sign-in attempts from your address; ${wait}`,
        );
      }
      const { user, session } = await signIn(options.db, { ...request.body, now: now() }).catch((error) => {
        request.log.warn({ email, code: (error as AppError).code }, 'sign-in refused');
        throw error;
      });
      throttle.succeeded(request.ip, email);
      request.log.info({ userId: user.id }, 'signed in');
      if (request.authSession) {
        await deleteSession(options.db, request.authSession.id);
      }
      setSessionCookies(request, reply, options.cookies, session);
      return { user: toUser(user) };
    },
  );

  r.post(
    '/api/auth/logout',
    { schema: { tags: ['auth'], summary: 'Sign out of this browser' } },
    async (request, reply) => {
      if (request.authSession) {
        await deleteSession(options.db, request.authSession.id);
      }
      clearSessionCookies(request, reply, options.cookies);
      return reply.status(204).send();
    },
  );

  r.post(
    '/api/auth/logout-everywhere',
    {
      onRequest: requireSignedIn,
      schema: { tags: ['auth'], summary: 'Sign out of every browser and device, this one included' },
    },
    async (request, reply) => {
      await deleteUserSessions(options.db, currentUser(request).id);
      clearSessionCookies(request, reply, options.cookies);
      return reply.status(204).send();
    },
  );

  r.get(
    '/api/auth/me',
    {
      onRequest: requireSignedIn,
      schema: { tags: ['auth'], summary: 'The signed-in user', response: { 200: UserEnvelopeSchema } },
    },
    async (request) => ({ user: toUser(sessionOf(request).user) }),
  );

  r.patch(
    '/api/auth/me',
    {
      onRequest: requireSignedIn,
      schema: {
        tags: ['auth'],
        summary: 'Change your own name, locale or password (a new password needs currentPassword)',
        body: UpdateMeBodySchema,
        response: { 200: UserEnvelopeSchema },
      },
    },
    async (request) => {
      const session = sessionOf(request);
      const user = await updateMe(options.db, {
        userId: session.user.id,
        sessionId: session.id,
        body: request.body,
        now: now(),
      });
      return { user: toUser(user) };
    },
  );
}

function sessionOf(request: { authSession: ActiveSession | null }): ActiveSession {
  if (!request.authSession) {
    throw new AppError('SB_ERR_UNAUTHENTICATED', 'sign in to use this endpoint');
  }
  return request.authSession;
}
