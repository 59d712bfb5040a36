/**
 * CSRF protection by double submit: every state-changing request must carry the `sb_csrf` cookie's value in
 * the `x-csrf-token` header; with a session, it must also match the token stored with that session.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors/errors.js';
import { CSRF_COOKIE, CSRF_HEADER } from './cookies.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Routes that cannot carry a CSRF token, and why:
 * - `POST /api/auth/login`: there is no session (and so no token) yet; SameSite=Lax covers login CSRF.
 * - `/zadarma` (prefix): Zadarma's webhooks, authenticated by their own signature (docs/zadarma-protocol.md §5).
 */
export const CSRF_EXEMPT: readonly {
  readonly method: string;
  readonly path: string;
  readonly prefix: boolean;
}[] = [
  { method: 'POST', path: '/api/auth/login', prefix: false },
  { method: '*', path: '/zadarma', prefix: true },
];

function isExempt(method: string, path: string): boolean {
  return CSRF_EXEMPT.some(
    (e) =>
      (e.method === '*' || e.method === method) &&
      (e.prefix ? path === e.path || path.startsWith(`${e.path}/`) : path === e.path),
  );
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Throws SB_ERR_CSRF unless the request is safe, exempt, or carries a matching token. Why: a session cookie
 * alone must never be enough to change anything.
 */
export function checkCsrf(request: FastifyRequest, sessionCsrfToken: string | null): void {
  const path = request.url.split('?')[0] ?? '';
  if (SAFE_METHODS.has(request.method) || isExempt(request.method, path)) {
    return;
  }
  const header = request.headers[CSRF_HEADER];
  const cookie = request.cookies[CSRF_COOKIE];
  const expected = sessionCsrfToken ?? cookie;
  if (
    typeof header !== 'string' ||
    header.length === 0 ||
    !cookie ||
    !expected ||
    !sameToken(header, cookie) ||
    !sameToken(header, expected)
  ) {
    throw new AppError(
      'SB_ERR_CSRF',
      `missing or wrong CSRF token: send the ${CSRF_COOKIE} cookie's value in the ${CSRF_HEADER} header`,
    );
  }
}
