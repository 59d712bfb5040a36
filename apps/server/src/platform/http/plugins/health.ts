/**
 * `GET /api/health` (public): status, version (from the server's package.json), database dialect, mode.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { serverPackage } from '../../config/server-package.js';
import type { Dialect } from '../../db/database.js';

/**
 * The server package's version. Why: health and the OpenAPI document report what is running.
 */
export function serverVersion(): string {
  return serverPackage().version;
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
