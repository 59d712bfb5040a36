/**
 * Builds the Fastify application from already-opened dependencies; `main.ts` opens them and listens.
 * Tests build the same app on a test database and drive it with `app.inject()` or a real port.
 */
import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { createTelephonyRuntime } from './modules/telephony/adapters/zadarma/telephony-runtime.js';
import { createSecretBox } from './platform/crypto/secret-box.js';
import { registerErrorHandler } from './platform/errors/error-handler.js';
import type { EventBus } from './platform/events/event-bus.js';
import { createInProcessEventBus } from './platform/events/in-process-event-bus.js';
import { createRawRoutes } from './platform/http/raw-routes.js';
import {
  legacyTrustedProxiesWarning,
  readLegacyTrustedProxies,
} from './platform/settings/trusted-proxies.js';
import { type AppDependencies, registerRoutes } from './routes.js';

/**
 * What `buildApp` needs: `telephony` and `bus` default to a runtime with a throwaway encryption key and an
 * in-process bus (closed with the app) so tests of other features need not build them.
 */
export type BuildAppOptions = Omit<AppDependencies, 'telephony' | 'bus' | 'rawRoutes'> &
  Partial<Pick<AppDependencies, 'telephony' | 'bus'>>;

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
  '*.currentPassword',
  '*.*.password',
  '*.*.currentPassword',
  'password',
  'currentPassword',
];

export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const ownBus = options.bus
    ? null
    : createInProcessEventBus({ db: options.database.db, sqlite: options.database.sqlite });
  const deps: AppDependencies = {
    ...options,
    telephony:
      options.telephony ??
      createTelephonyRuntime({
        db: options.database.db,
        box: createSecretBox(randomBytes(32)),
        config: options.config,
      }),
    bus: options.bus ?? (ownBus as EventBus),
  };
  const raw = createRawRoutes();
  const app = Fastify({
    serverFactory: raw.serverFactory,
    logger: {
      level: deps.config.logLevel,
      redact: { paths: LOG_REDACTIONS, censor: '[redacted]' },
      ...(deps.logStream ? { stream: deps.logStream } : {}),
    },
    // The one source of trusted proxies (TRUST_PROXY): the telephony runtime gives /zadarma the same list.
    trustProxy: deps.config.trustProxy === false ? false : [...deps.config.trustProxy],
    bodyLimit: 5 * 1024 * 1024,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);
  if (ownBus) {
    app.addHook('onClose', async () => {
      await ownBus.close();
    });
  }
  await registerRoutes(app, { ...deps, rawRoutes: raw.routes });
  const proxyWarning = legacyTrustedProxiesWarning(
    await readLegacyTrustedProxies(options.database.db),
    deps.config.trustProxy,
  );
  if (proxyWarning) {
    app.log.warn(proxyWarning);
  }
  return app;
}
