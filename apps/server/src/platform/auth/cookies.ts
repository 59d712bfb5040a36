/**
 * The two auth cookies (REST contract): `sb_session` (HttpOnly) and `sb_csrf` (readable by the SPA, which
 * echoes it in `x-csrf-token`). Both SameSite=Lax; Secure when the public URL or the request is https.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SESSION_ABSOLUTE_MS } from './session-repository.js';

export const SESSION_COOKIE = 'sb_session';
export const CSRF_COOKIE = 'sb_csrf';
export const CSRF_HEADER = 'x-csrf-token';

export interface CookiePolicy {
  /** True when the server is published over https (PUBLIC_BASE_URL), whatever the hop to us. */
  readonly alwaysSecure: boolean;
}

function baseOptions(request: FastifyRequest, policy: CookiePolicy) {
  return {
    path: '/',
    sameSite: 'lax' as const,
    secure: policy.alwaysSecure || request.protocol === 'https',
  };
}

/** Sets both cookies for a new session. Why: sign-in. */
export function setSessionCookies(
  request: FastifyRequest,
  reply: FastifyReply,
  policy: CookiePolicy,
  session: { token: string; csrfToken: string },
): void {
  // The server enforces the idle expiry; the cookie only needs to outlive the absolute cap.
  const maxAge = Math.floor(SESSION_ABSOLUTE_MS / 1000);
  reply.setCookie(SESSION_COOKIE, session.token, { ...baseOptions(request, policy), httpOnly: true, maxAge });
  reply.setCookie(CSRF_COOKIE, session.csrfToken, {
    ...baseOptions(request, policy),
    httpOnly: false,
    maxAge,
  });
}

/** Removes both cookies. Why: sign-out, or a cookie that names no live session. */
export function clearSessionCookies(
  request: FastifyRequest,
  reply: FastifyReply,
  policy: CookiePolicy,
): void {
  reply.clearCookie(SESSION_COOKIE, { ...baseOptions(request, policy), httpOnly: true });
  reply.clearCookie(CSRF_COOKIE, { ...baseOptions(request, policy), httpOnly: false });
}
