/**
 * `GET /api/health` (public): status, version (from the server's package.json), database dialect, mode.
 */
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Dialect } from '../../db/database.js';

let cachedVersion: string | null = null;

/**
 * The server package's version. Why: health and the OpenAPI document report what is running.
 * Found by walking up from this module, so it works from src/, dist/ and the single-file bundle alike.
 */
export function serverVersion(): string {
  if (cachedVersion) {
    return cachedVersion;
  }
  for (let dir = new URL('.', import.meta.url); ; dir = new URL('..', dir)) {
    try {
      const pkg = JSON.parse(readFileSync(new URL('package.json', dir), 'utf8')) as {
        name?: string;
        version: string;
      };
      if (pkg.name === '@switchboard/server') {
        cachedVersion = pkg.version;
        return pkg.version;
      }
    } catch {
      // No package.json at this level: keep walking up.
    }
    if (dir.pathname === '/') {
      throw new Error('cannot find the @switchboard/server package.json above the server code');
    }
  }
}

const HealthSchema = z.object({
  status: z.literal('ok'),
  version: z.string(),
  dialect: z.enum(['sqlite', 'postgres']),
  mode: z.enum(['demo', 'live']),
});

/** Registers the health route. */
export async function healthRoutes(app: FastifyInstance, options: { dialect: Dialect; demo: boolean }) {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/health',
    {
      schema: {
        tags: ['platform'],
        summary: 'Liveness, version, database dialect and mode',
        response: { 200: HealthSchema },
      },
    },
    async () => ({
      status: 'ok' as const,
      version: serverVersion(),
      dialect: options.dialect,
      mode: options.demo ? ('demo' as const) : ('live' as const),
    }),
  );
}
