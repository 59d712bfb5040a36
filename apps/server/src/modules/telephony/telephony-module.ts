/**
 * Registers Server B's telephony routes on the app: `/zadarma` (own context with raw-body parsers), the SSE
 * stream, the calls routes and the admin inbox — all sharing one set of services and one ingest.
 */
import type { FastifyInstance } from 'fastify';
import type { DatabaseHandle } from '../../platform/db/database.js';
import type { EventBus } from '../../platform/events/event-bus.js';
import type { RawRoutes } from '../../platform/http/raw-routes.js';
import { liveRoutes } from '../../platform/live/live-routes.js';
import type { SseHub } from '../../platform/live/sse-hub.js';
import type { TelephonyRuntime } from './adapters/zadarma/telephony-runtime.js';
import { callLogRoutes } from './http/call-log-routes.js';
import { callsRoutes } from './http/calls-routes.js';
import { inboxRoutes } from './http/inbox-routes.js';
import { statisticsRoutes } from './http/statistics-routes.js';
import { rawWebhookHandler, WEBHOOK_PATH, webhookRoutes } from './http/webhook-routes.js';
import { createTelephonyServices, type TelephonyServices } from './telephony-services.js';
import { createIngest, type Ingest } from './use-cases/receive-webhook.js';
import { createWebhookPorts } from './webhook-ports.js';

export interface TelephonyLiveOptions {
  readonly database: DatabaseHandle;
  readonly telephony: TelephonyRuntime;
  readonly bus: EventBus;
  readonly startBudgetMs?: number;
  readonly ssePingMs?: number;
  /** Tests: replace services (e.g. a slow blacklist for the budget test). */
  readonly services?: TelephonyServices;
  /** Where `/zadarma` is also served straight from node:http (the app's raw routes), if given. */
  readonly rawRoutes?: RawRoutes;
}

export interface TelephonyLive {
  readonly services: TelephonyServices;
  readonly ingest: Ingest;
  readonly hub: SseHub | null;
}

const built = new WeakMap<FastifyInstance, TelephonyLive>();

/** What `registerTelephonyLive` built for this app (tests and benchmarks), or undefined. */
export function telephonyLiveOf(app: FastifyInstance): TelephonyLive | undefined {
  return built.get(app);
}

/** Registers `/zadarma`, `/api/events`, `/api/calls*` and `/api/telephony/inbox*`. */
export async function registerTelephonyLive(
  app: FastifyInstance,
  options: TelephonyLiveOptions,
): Promise<void> {
  const services =
    options.services ??
    createTelephonyServices({
      database: options.database,
      runtime: options.telephony,
      bus: options.bus,
      onError: (error, context) => app.log.error({ err: error }, `telephony: ${context}`),
    });
  const ingest = createIngest(createWebhookPorts(services), {
    ...(options.startBudgetMs !== undefined ? { startBudgetMs: options.startBudgetMs } : {}),
    onError: (error, context) => app.log.error({ err: error }, `telephony: ${context}`),
  });
  let hub: SseHub | null = null;
  await app.register(webhookRoutes, { ingest });
  options.rawRoutes?.add(WEBHOOK_PATH, rawWebhookHandler(ingest, app.log));
  await app.register(liveRoutes, {
    bus: options.bus,
    ...(options.ssePingMs !== undefined ? { pingMs: options.ssePingMs } : {}),
    onHub: (h) => {
      hub = h;
    },
  });
  await app.register(callsRoutes, { services });
  await app.register(callLogRoutes, { db: services.db });
  await app.register(statisticsRoutes, { db: services.db });
  await app.register(inboxRoutes, { services, ingest });
  // Webhooks a previous run stored but did not get to process (a stop or crash in between) are processed
  // once the app is ready, in the background: start-up does not wait for them.
  let recovery: Promise<void> = Promise.resolve();
  app.addHook('onReady', async () => {
    // A journal a stopped process left (webhooks it acknowledged while the database was busy) goes into the
    // inbox first, so that the recovery below finds its entries.
    recovery = (services.inboxStored?.() ?? Promise.resolve())
      .then(() => ingest.recover(new Date().toISOString()))
      .then(
        (count) => {
          if (count > 0) {
            app.log.info(
              `telephony: processed ${count} webhook(s) the previous run had stored but not processed`,
            );
          }
        },
        (error: unknown) =>
          app.log.error({ err: error }, 'telephony: recovery of unprocessed webhooks failed'),
      );
  });
  app.addHook('onClose', async () => {
    await recovery;
    await ingest.idle();
  });
  built.set(app, { services, ingest, hub });
}
