/**
 * Registers the platform's and every module's routes: wiring only, so it lives beside `app.ts` and
 * `main.ts` rather than in `platform/` (the platform never imports a module). Each module exports one
 * Fastify plugin; add yours here. The platform (security, OpenAPI, sessions, health, auth, users) comes
 * first so its hooks and the OpenAPI generator see every route; the SPA's catch-all comes last.
 */
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { AppDependencies } from './app.js';
import { settingsRoutes } from './modules/crm/settings/company-settings-routes.js';
import { registerCrmRoutes } from './modules/crm/shared/crm-routes.js';
import { demoRoutes } from './modules/demo/demo-routes.js';
import { telephonySettingsRoutes } from './modules/telephony/http/telephony-settings-routes.js';
import { registerTelephonyLive } from './modules/telephony/telephony-module.js';
import { createTelephonySettingsPorts } from './modules/telephony/telephony-settings-ports.js';
import { registerPlatform } from './platform/http/plugins/platform.js';
import { registerWebApp } from './platform/http/plugins/web-app.js';
import { jobsRoutes } from './platform/jobs/jobs-routes.js';
import { createSqliteJobQueue } from './platform/jobs/sqlite-job-queue.js';

export async function registerRoutes(app: FastifyInstance, deps: AppDependencies): Promise<void> {
  await registerPlatform(app, deps);
  // Module routes go here.
  await app.register(settingsRoutes, { db: deps.database.db });
  await registerCrmRoutes(app, { database: deps.database });
  await app.register(telephonySettingsRoutes, {
    ports: createTelephonySettingsPorts(deps.database.db, deps.telephony),
  });
  await app.register(demoRoutes, { db: deps.database.db, telephony: deps.telephony });
  const jobs = deps.jobs ?? (deps.database.sqlite ? createSqliteJobQueue({ database: deps.database }) : null);
  await registerTelephonyLive(app, {
    database: deps.database,
    telephony: deps.telephony,
    bus: deps.bus,
    ...(deps.rawRoutes ? { rawRoutes: deps.rawRoutes } : {}),
    jobs,
    recordingsDirectory: join(deps.config.dataDir, 'recordings'),
  });
  await app.register(jobsRoutes, { jobs });
  await registerWebApp(app, { root: deps.config.webDistDir });
}
