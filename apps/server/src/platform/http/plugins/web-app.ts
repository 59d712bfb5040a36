/**
 * Serves the built SPA (`apps/web/dist`) with history fallback: a GET that is not under `/api` or `/zadarma`
 * and names no file gets `index.html`, so deep links like `/contacts/123` load the app. Hashed assets are
 * cached for a year; `index.html` is revalidated on every load so a deploy takes effect at once.
 */
import { stat } from 'node:fs/promises';
import { join, normalize, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** Path prefixes that never fall back to the SPA (their unknown routes are coded 404s). */
const NON_SPA_PREFIXES = ['/api', '/zadarma'] as const;

export const MISSING_BUILD_MESSAGE =
  'The web app has not been built yet.\n\n' +
  'Run `npm run build -w @switchboard/web` (or `npm run build` at the repository root), then reload this page.\n' +
  'The API is up: see /api/health and /api/docs.\n';

function isNonSpa(path: string): boolean {
  return NON_SPA_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`));
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** Registers the static SPA. Why: one process serves the API and the app in production. */
export async function registerWebApp(app: FastifyInstance, options: { root: string }): Promise<void> {
  const root = normalize(options.root);
  await app.register(fastifyStatic, { root, serve: false });

  app.get('/*', { schema: { hide: true } }, async (request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    if (isNonSpa(path)) {
      return reply.callNotFound();
    }
    let relative: string;
    try {
      relative = normalize(decodeURIComponent(path)).replace(/^[/\\]+/, '');
    } catch {
      relative = '';
    }
    const candidate = join(root, relative);
    // normalize() resolved any `..`; refuse anything that would still leave the root.
    if (relative && candidate.startsWith(root + sep) && (await isFile(candidate))) {
      const immutable = relative.startsWith(`assets${sep}`);
      return reply.sendFile(relative, { maxAge: immutable ? 31_536_000_000 : 0, immutable });
    }
    if (!(await isFile(join(root, 'index.html')))) {
      return reply.status(503).type('text/plain; charset=utf-8').send(MISSING_BUILD_MESSAGE);
    }
    return reply.header('cache-control', 'no-cache').sendFile('index.html', { cacheControl: false });
  });
}
