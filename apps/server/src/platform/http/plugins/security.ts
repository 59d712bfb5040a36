/**
 * Cookies and security headers (helmet's, computed once), registered on the root instance before any route.
 * (The sign-in throttle is the auth feature's own: it counts failures only, `platform/auth/login-throttle.ts`.)
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import cookie from '@fastify/cookie';
import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

/** True when the CRM is published over https, which turns on HSTS, Secure cookies and upgrade-insecure-requests. */
export function isHttpsDeployment(publicBaseUrl: string): boolean {
  return publicBaseUrl.startsWith('https:');
}

/**
 * The SPA's Content-Security-Policy: Vite emits module scripts and CSS files from our own origin; Mantine
 * sets inline `style` attributes, hence 'unsafe-inline' for styles only. Recordings play from blob: URLs.
 */
function contentSecurityPolicy(https: boolean): Record<string, string[] | null> {
  return {
    'default-src': ["'self'"],
    'base-uri': ["'self'"],
    'script-src': ["'self'"],
    'script-src-attr': ["'none'"],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'"],
    'media-src': ["'self'", 'blob:'],
    'worker-src': ["'self'", 'blob:'],
    'object-src': ["'none'"],
    'frame-ancestors': ["'none'"],
    'form-action': ["'self'"],
    // Over plain http (a LAN install) upgrading would send every asset to an https port that does not exist.
    'upgrade-insecure-requests': https ? [] : null,
  };
}

/**
 * The headers helmet sets for these options, computed once by running its middleware against a recording
 * response. Why: @fastify/helmet rebuilds helmet's middleware on every request (about 10 µs each, a tenth of a
 * webhook's whole budget); the headers never change while the server runs.
 */
function securityHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => {
    if (error) {
      throw error;
    }
  });
  return headers;
}

/** Registers cookie parsing, the security headers and the (opt-in, per route) rate limiter. */
export async function registerSecurityPlugins(
  app: FastifyInstance,
  options: { https: boolean },
): Promise<void> {
  await app.register(cookie);
  const headers = securityHeaders({
    contentSecurityPolicy: { useDefaults: false, directives: contentSecurityPolicy(options.https) },
    strictTransportSecurity: options.https ? { maxAge: 31_536_000, includeSubDomains: false } : false,
    crossOriginEmbedderPolicy: false,
  });
  // Set first; a route may still replace one (Swagger UI sends its own CSP).
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers);
    done();
  });
}
