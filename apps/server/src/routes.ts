/**
 * Registers the platform's and every module's routes: wiring only, so it lives beside `app.ts` and
 * `main.ts` rather than in `platform/` (the platform never imports a module). Each module exports one
 * Fastify plugin; add yours here. The platform (security, OpenAPI, sessions, health, auth, users) comes
 * first so its hooks and the OpenAPI generator see every route; the SPA's catch-all comes last.
 */
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { settingsRoutes } from './modules/crm/settings/company-settings-routes.js';
import { registerCrmRoutes } from './modules/crm/shared/crm-routes.js';
import { demoRoutes } from './modules/demo/demo-routes.js';
import type { TelephonyRuntimeControl } from './modules/telephony/adapters/zadarma/telephony-runtime.js';
import { telephonySettingsRoutes } from './modules/telephony/http/telephony-settings-routes.js';
import { registerTelephonyLive } from './modules/telephony/telephony-module.js';
import { createTelephonySettingsPorts } from './modules/telephony/telephony-settings-ports.js';
import type { Config } from './platform/config/config.js';
import type { DatabaseHandle } from './platform/db/database.js';
import type { EventBus } from './platform/events/event-bus.js';
import { registerPlatform } from './platform/http/plugins/platform.js';
import { registerWebApp } from './platform/http/plugins/web-app.js';
import type { RawRoutes } from './platform/http/raw-routes.js';
import type { JobQueueDriver } from './platform/jobs/job-queue.js';
import { jobsRoutes } from './platform/jobs/jobs-routes.js';
import { createSqliteJobQueue } from './platform/jobs/sqlite-job-queue.js';

/** What the routes are registered with: `buildApp` (app.ts) assembles it. */
export interface AppDependencies {
  readonly config: Config;
  readonly database: DatabaseHandle;
  /** Where log lines go (default stdout); tests pass a collector to assert what is logged. */
  readonly logStream?: { write(line: string): void };
  /** Telephony settings, Zadarma client, timezone, demo simulator (modules/telephony/adapters/zadarma/telephony-runtime.ts). */
  readonly telephony: TelephonyRuntimeControl;
  /** Live events: in-process on SQLite, PostgreSQL LISTEN/NOTIFY when DATABASE_URL is set. */
  readonly bus: EventBus;
  /** The job queue (platform/jobs); without one, the SQLite table queue serves the admin routes (not run). */
  readonly jobs?: JobQueueDriver;
  /** Routes served from node:http before Fastify (raw-routes.ts); set by `buildApp`. */
  readonly rawRoutes?: RawRoutes;
}

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
