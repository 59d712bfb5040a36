/**
 * Cookies, security headers (helmet) and the rate limiter, registered on the root instance before any route.
 */
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';

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

/** Registers cookie parsing, helmet and the (opt-in, per route) rate limiter. */
export async function registerSecurityPlugins(
  app: FastifyInstance,
  options: { https: boolean },
): Promise<void> {
  await app.register(cookie);
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: contentSecurityPolicy(options.https) },
    strictTransportSecurity: options.https ? { maxAge: 31_536_000, includeSubDomains: false } : false,
    crossOriginEmbedderPolicy: false,
  });
  // Only routes that ask for it (`config.rateLimit`) are limited: today the sign-in.
  await app.register(rateLimit, { global: false });
}
