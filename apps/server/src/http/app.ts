/**
 * Builds the Fastify application from already-opened dependencies; `main.ts` opens them and listens.
 * Tests build the same app on a test database and drive it with `app.inject()` or a real port.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from '../config.js';
import type { DatabaseHandle } from '../db/database.js';
import { registerErrorHandler } from './error-handler.js';
import { registerRoutes } from './routes.js';

export interface AppDependencies {
  readonly config: Config;
  readonly database: DatabaseHandle;
}

/** Secrets and credentials never reach a log line. */
export const LOG_REDACTIONS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers.signature',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.secret',
  '*.apiSecret',
];

export async function buildApp(deps: AppDependencies): Promise<FastifyInstance> {
  const app = Fastify({
    logger: { level: deps.config.logLevel, redact: { paths: LOG_REDACTIONS, censor: '[redacted]' } },
    trustProxy: deps.config.trustProxy === false ? false : deps.config.trustProxy,
    bodyLimit: 5 * 1024 * 1024,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);
  await registerRoutes(app, deps);
  return app;
}
