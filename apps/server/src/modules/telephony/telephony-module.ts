/**
 * The telephony module's composition root: builds its adapters once per app and registers its routes —
 * `/zadarma` (own context with raw-body parsers), the SSE stream, the calls routes and the admin inbox — each
 * given the ports it needs, all sharing one ingest.
 */
import type { FastifyInstance } from 'fastify';
import type { DatabaseHandle } from '../../platform/db/database.js';
import type { EventBus } from '../../platform/events/event-bus.js';
import type { RawRoutes } from '../../platform/http/raw-routes.js';
import { liveRoutes } from '../../platform/live/live-routes.js';
import type { SseHub } from '../../platform/live/sse-hub.js';
import { createCallbackRequests } from './adapters/callback-requests.js';
import { createDurableInbox } from './adapters/journal-inbox.js';
import { createBlacklistRepository } from './adapters/kysely-blacklist-repository.js';
import { createKyselyCallReadModel } from './adapters/kysely-call-read-model.js';
import { createCallRepository } from './adapters/kysely-call-repository.js';
import { createKyselyCallVisibility } from './adapters/kysely-call-visibility.js';
import { createKyselyContactLookup } from './adapters/kysely-contact-lookup.js';
import { createKyselyExtensionDirectory } from './adapters/kysely-extension-directory.js';
import { createGroupCommitInbox, createKyselyInboxBrowser } from './adapters/kysely-inbox-repository.js';
import { systemClock } from './adapters/system-clock.js';
import { createTelephonySettingsReader } from './adapters/telephony-settings-reader.js';
import type { TelephonyRuntime } from './adapters/zadarma/telephony-runtime.js';
import { createZadarmaTelephonyProvider } from './adapters/zadarma/zadarma-telephony-provider.js';
import { callLogRoutes } from './http/call-log-routes.js';
import { callsRoutes } from './http/calls-routes.js';
import { inboxRoutes } from './http/inbox-routes.js';
import { statisticsRoutes } from './http/statistics-routes.js';
import { rawWebhookHandler, WEBHOOK_PATH, webhookRoutes } from './http/webhook-routes.js';
import type { BlacklistRepository, InboxRepository } from './ports.js';
import { createIngest, type Ingest } from './use-cases/receive-webhook.js';
import { createWebhookPorts, type TelephonyAdapters } from './webhook-ports.js';

export interface TelephonyAdaptersOptions {
  readonly database: DatabaseHandle;
  readonly runtime: TelephonyRuntime;
  readonly bus: EventBus;
  /** Replaces the inbox (the group-committing writer, or a test double). */
  readonly inbox?: InboxRepository;
  readonly blacklist?: BlacklistRepository;
  /** Where the inbox's journal reports trouble (a busy database, a failed journal write). */
  readonly onError?: (error: unknown, context: string) => void;
}

/** Builds the module's adapters of one app. Why: one composition point for ingest, routes and tests. */
export function createTelephonyAdapters(options: TelephonyAdaptersOptions): TelephonyAdapters {
  const { database, runtime, bus } = options;
  const db = database.db;
  // The group-committing inbox, journaled to a file while the database cannot take its writes.
  const durable = options.inbox
    ? null
    : createDurableInbox(createGroupCommitInbox(database, { instanceId: runtime.instanceId }), database, {
        instanceId: runtime.instanceId,
        ...(options.onError ? { onError: options.onError } : {}),
      });
  const settings = createTelephonySettingsReader(runtime, db);
  return {
    database,
    runtime,
    bus,
    inbox: durable ?? (options.inbox as InboxRepository),
    ...(durable ? { inboxStored: () => durable.stored() } : {}),
    calls: createCallRepository(db, { sqlite: database.sqlite }),
    blacklist: options.blacklist ?? createBlacklistRepository(db),
    callbacks: createCallbackRequests({ database, bus }),
    settings,
  };
}

export interface TelephonyLiveOptions {
  readonly database: DatabaseHandle;
  readonly telephony: TelephonyRuntime;
  readonly bus: EventBus;
  readonly startBudgetMs?: number;
  readonly ssePingMs?: number;
  /** Tests: replace the adapters (e.g. a slow blacklist for the budget test). */
  readonly adapters?: TelephonyAdapters;
  /** Where `/zadarma` is also served straight from node:http (the app's raw routes), if given. */
  readonly rawRoutes?: RawRoutes;
}

export interface TelephonyLive {
  readonly adapters: TelephonyAdapters;
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
  const adapters =
    options.adapters ??
    createTelephonyAdapters({
      database: options.database,
      runtime: options.telephony,
      bus: options.bus,
      onError: (error, context) => app.log.error({ err: error }, `telephony: ${context}`),
    });
  const ingest = createIngest(createWebhookPorts(adapters), {
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
  const { db, sqlite } = options.database;
  await app.register(callsRoutes, {
    db,
    calls: adapters.calls,
    readModel: createKyselyCallReadModel(db),
    visibility: createKyselyCallVisibility(db),
    clickToCall: {
      directory: createKyselyExtensionDirectory(db, sqlite),
      settings: adapters.settings,
      contacts: createKyselyContactLookup(db, sqlite),
      callbacks: adapters.callbacks,
      provider: createZadarmaTelephonyProvider(adapters.runtime),
      clock: systemClock,
    },
  });
  await app.register(callLogRoutes, { db });
  await app.register(statisticsRoutes, { db });
  await app.register(inboxRoutes, { inbox: adapters.inbox, browser: createKyselyInboxBrowser(db), ingest });
  // Webhooks a previous run stored but did not get to process (a stop or crash in between) are processed
  // once the app is ready, in the background: start-up does not wait for them.
  let recovery: Promise<void> = Promise.resolve();
  app.addHook('onReady', async () => {
    // A journal a stopped process left (webhooks it acknowledged while the database was busy) goes into the
    // inbox first, so that the recovery below finds its entries.
    recovery = (adapters.inboxStored?.() ?? Promise.resolve())
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
  built.set(app, { adapters, ingest, hub });
}
