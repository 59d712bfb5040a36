/**
 * The platform around the features: security headers, cookies, rate limiter, OpenAPI, the session + CSRF
 * hook, health, auth and users. `registerPlatform` runs before any feature route (the OpenAPI
 * generator and the hooks must see them), `registerWebApp` after.
 */
import type { FastifyInstance } from 'fastify';
import { authRoutes } from '../../auth/auth-routes.js';
import { registerSessionHook } from '../../auth/session-hook.js';
import type { Config } from '../../config/config.js';
import type { DatabaseHandle } from '../../db/database.js';
import { usersRoutes } from '../../users/users-routes.js';
import { trackAdminRoutes } from './admin-routes.js';
import { healthRoutes, serverVersion } from './health.js';
import { registerOpenApi } from './openapi.js';
import { isHttpsDeployment, registerSecurityPlugins } from './security.js';

/** Registers the platform plugins and routes. Why: src/routes.ts stays a short list of modules. */
export async function registerPlatform(
  app: FastifyInstance,
  deps: { readonly config: Config; readonly database: DatabaseHandle },
): Promise<void> {
  const https = isHttpsDeployment(deps.config.publicBaseUrl);
  const cookies = { alwaysSecure: https };
  const db = deps.database.db;
  trackAdminRoutes(app);
  await registerSecurityPlugins(app, { https });
  await registerOpenApi(app, { version: serverVersion(), https });
  registerSessionHook(app, { db, cookies });
  await app.register(healthRoutes, { dialect: deps.database.dialect, demo: deps.config.demo });
  await app.register(authRoutes, { db, cookies, loginAttemptsPerMinute: deps.config.loginAttemptsPerMinute });
  await app.register(usersRoutes, { database: deps.database });
}
