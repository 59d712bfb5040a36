/**
 * The telephony module's composition root: builds its adapters once per app and registers its routes —
 * `/zadarma` (own context with raw-body parsers), the SSE stream, the calls routes and the admin inbox — each
 * given the ports it needs, all sharing one ingest.
 */
import type { FastifyInstance } from 'fastify';
import type { DatabaseHandle } from '../../platform/db/database.js';
import type { EventBus } from '../../platform/events/event-bus.js';
import type { RawRoutes } from '../../platform/http/raw-routes.js';
import type { JobQueueDriver } from '../../platform/jobs/job-queue.js';
import { liveRoutes } from '../../platform/live/live-routes.js';
import type { SseHub } from '../../platform/live/sse-hub.js';
import { createAfterCallOptionsStore } from './adapters/after-call-settings-store.js';
import { createCallbackRequests } from './adapters/callback-requests.js';
import { createDurableInbox } from './adapters/journal-inbox.js';
import { createBlacklistRepository } from './adapters/kysely-blacklist-repository.js';
import { createCallRepository } from './adapters/kysely-call-repository.js';
import { createPostgresCallerFacts } from './adapters/kysely-caller-facts.js';
import { createKyselyContactLookup } from './adapters/kysely-contact-lookup.js';
import { createExtensionAssignmentRepository } from './adapters/kysely-extension-assignment-repository.js';
import { createKyselyExtensionDirectory } from './adapters/kysely-extension-directory.js';
import { createGroupCommitInbox, createKyselyInboxBrowser } from './adapters/kysely-inbox-repository.js';
import {
  createKyselyNewCallerInbox,
  createKyselyPipelineStages,
} from './adapters/kysely-new-caller-inbox.js';
import { systemClock } from './adapters/system-clock.js';
import { createTelephonySettingsReader } from './adapters/telephony-settings-reader.js';
import {
  createExtensionPresence,
  type ExtensionPresenceCache,
} from './adapters/zadarma/extension-presence.js';
import type { TelephonyRuntime } from './adapters/zadarma/telephony-runtime.js';
import { createZadarmaTelephonyProvider } from './adapters/zadarma/zadarma-telephony-provider.js';
import { createAfterCallPacing } from './after-call-pacing.js';
import {
  createAfterCallPorts,
  createAfterCallSettingsService,
  handleAfterCallJobs,
} from './after-call-ports.js';
import { createCallReadingPorts } from './call-reading-ports.js';
import { createCallVisibilitySettingsService } from './call-visibility-settings.js';
import { createCallWorkspacePorts } from './call-workspace-ports.js';
import { createCallHistory } from './history-ports.js';
import { afterCallRoutes } from './http/after-call-routes.js';
import { callLogRoutes } from './http/call-log-routes.js';
import { callVisibilityRoutes } from './http/call-visibility-routes.js';
import { callWorkspaceRoutes } from './http/call-workspace-routes.js';
import { callsRoutes } from './http/calls-routes.js';
import { historyRoutes } from './http/history-routes.js';
import { inboxRoutes } from './http/inbox-routes.js';
import { recordingsRoutes } from './http/recordings-routes.js';
import { statisticsRoutes } from './http/statistics-routes.js';
import { statisticsSettingsRoutes } from './http/statistics-settings-routes.js';
import { rawWebhookHandler, WEBHOOK_PATH, webhookRoutes } from './http/webhook-routes.js';
import type { BlacklistRepository, InboxRepository } from './ports.js';
import { createRecordingsVault, type RecordingsVault } from './recordings-vault.js';
import { createStatisticsSettingsService } from './statistics-settings.js';
import { createIngest, type Ingest } from './use-cases/receive-webhook.js';
import { liveCallFramesFor } from './use-cases/restore-live-calls.js';
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
  const grouped = options.inbox ? null : createGroupCommitInbox(database, { instanceId: runtime.instanceId });
  const durable = grouped
    ? createDurableInbox(grouped, database, {
        instanceId: runtime.instanceId,
        ...(options.onError ? { onError: options.onError } : {}),
      })
    : null;
  const commitQueuedAppends = grouped?.commitQueued;
  const settings = createTelephonySettingsReader(runtime, db);
  return {
    database,
    runtime,
    bus,
    inbox: durable ?? (options.inbox as InboxRepository),
    ...(durable ? { inboxStored: () => durable.stored() } : {}),
    ...(commitQueuedAppends ? { commitQueuedAppends } : {}),
    calls: createCallRepository(db, { sqlite: database.sqlite }),
    // Its `matchCaller` is read while the phone rings: on PostgreSQL through the reply pool.
    blacklist: options.blacklist ?? createBlacklistRepository(database.replyDb ?? db, database.sqlite),
    // On PostgreSQL the decision's reads go out as one statement (one round trip); on SQLite each is a prepared
    // statement run in-process, cheaper than any batching. A blacklist given in its place (tests) is read alone.
    ...(database.replyPrepared && !options.blacklist
      ? { facts: createPostgresCallerFacts(database.replyPrepared) }
      : {}),
    callbacks: createCallbackRequests({ database, bus }),
    settings,
  };
}

/**
 * How long webhook processing must have been idle before an after-call job starts. Why: under a flood the jobs
 * wait (durable) instead of taking the event loop and SQLite's connection from the webhooks; at real traffic
 * there are gaps of this length between calls all the time.
 */
const AFTER_CALL_QUIET_MS = 20;
/** The part of the event loop the after-call jobs may take while webhooks keep coming (after-call-pacing.ts). */
const AFTER_CALL_SHARE = 0.15;
/**
 * On SQLite a processing batch is one synchronous stretch of the event loop holding the one connection: a
 * NOTIFY_START arriving meanwhile waits for it, to store its inbox entry and to be answered (≤ 2 ms, issue 12).
 * Batches are cut to about this much work (process-webhook-batch.ts `sliceMs`). Not 1 ms: each commit rewrites
 * the hot index pages into the WAL, and at 1 ms the flood of `telephony-ingest.bench.ts` cost ~60 % more server
 * CPU per event than with whole batches, at 3 ms ~10 % (measured 4 Dec 2026, busy machine).
 */
const SQLITE_BATCH_SLICE_MS = 3;

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
  /** The job queue the after-call work runs on (platform/jobs); without one there is no after-call automation. */
  readonly jobs?: JobQueueDriver | null;
  /** Where the recordings vault keeps its copies (DATA_DIR/recordings). */
  readonly recordingsDirectory: string;
}

export interface TelephonyLive {
  readonly adapters: TelephonyAdapters;
  readonly vault: RecordingsVault;
  readonly ingest: Ingest;
  readonly hub: SseHub | null;
  /** The extensions' registration state the routing chain reads (refreshed in the background). */
  readonly presence: ExtensionPresenceCache;
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
  const runtime = adapters.runtime;
  const assignments = createExtensionAssignmentRepository(options.database.db);
  const presence = createExtensionPresence({
    client: () => runtime.client(),
    extensions: async () => (await assignments.list()).map((a) => a.extension),
    wanted: async () => (await runtime.settings()).features.routeToResponsible,
    onError: (error, context) => app.log.warn({ err: error }, `telephony: ${context}`),
  });
  const jobs = options.jobs ?? null;
  const afterCallSettings = createAfterCallSettingsService(adapters);
  const vault = createRecordingsVault({
    db: options.database.db,
    runtime: options.telephony,
    directory: options.recordingsDirectory,
    jobs,
    onError: (error, context) => app.log.error({ err: error }, `recordings: ${context}`),
    warn: (message) => app.log.warn(message),
  });
  const ingest = createIngest(createWebhookPorts(adapters, { presence, jobs }), {
    ...(options.startBudgetMs !== undefined ? { startBudgetMs: options.startBudgetMs } : {}),
    ...(options.database.dialect === 'sqlite' ? { batchSliceMs: SQLITE_BATCH_SLICE_MS } : {}),
    onError: (error, context) => app.log.error({ err: error }, `telephony: ${context}`),
  });
  if (jobs) {
    // The webhook path goes first: an after-call job starts once this instance's processing has been quiet a moment.
    handleAfterCallJobs(jobs, createAfterCallPorts(adapters, { jobs, settings: afterCallSettings }), {
      pacing: createAfterCallPacing(ingest, { quietMs: AFTER_CALL_QUIET_MS, share: AFTER_CALL_SHARE }),
    });
  }
  const workspace = createCallWorkspacePorts(options.database, adapters.calls);
  let hub: SseHub | null = null;
  await app.register(webhookRoutes, { ingest });
  options.rawRoutes?.add(WEBHOOK_PATH, rawWebhookHandler(ingest, app.log));
  await app.register(liveRoutes, {
    bus: options.bus,
    ...(options.ssePingMs !== undefined ? { pingMs: options.ssePingMs } : {}),
    // A tab that connects during a call gets its card back (a reload, a second tab, another instance).
    currentState: (userId) => liveCallFramesFor(workspace, userId, Date.now()),
    onHub: (h) => {
      hub = h;
    },
  });
  const { db, sqlite } = options.database;
  const reading = createCallReadingPorts(db, adapters.calls);
  await app.register(callsRoutes, {
    ...reading,
    clickToCall: {
      directory: createKyselyExtensionDirectory(db, sqlite),
      settings: adapters.settings,
      contacts: createKyselyContactLookup(db, sqlite),
      callbacks: adapters.callbacks,
      provider: createZadarmaTelephonyProvider(adapters.runtime),
      clock: systemClock,
    },
  });
  await app.register(callWorkspaceRoutes, { readModel: reading.readModel, ports: workspace });
  const statisticsSettings = createStatisticsSettingsService({ db, instanceId: adapters.runtime.instanceId });
  const returnWithinMinutes = async () => {
    await statisticsSettings.checkForChanges();
    return (await statisticsSettings.read()).returnWithinMinutes;
  };
  await app.register(callLogRoutes, { ...reading, returnWithinMinutes });
  await app.register(statisticsRoutes, { ...reading, returnWithinMinutes });
  await app.register(statisticsSettingsRoutes, { settings: statisticsSettings });
  await app.register(inboxRoutes, { inbox: adapters.inbox, browser: createKyselyInboxBrowser(db), ingest });
  await app.register(afterCallRoutes, {
    options: createAfterCallOptionsStore(afterCallSettings),
    pipelines: createKyselyPipelineStages(db),
    inbox: createKyselyNewCallerInbox(db, () => adapters.settings.defaultCountry()),
  });
  await app.register(recordingsRoutes, { vault });
  // History import and reconciliation (issue 11): Zadarma's statistics folded into the calls the webhooks build.
  const history = createCallHistory({
    db,
    runtime: adapters.runtime,
    calls: adapters.calls,
    bus: options.bus,
    sqlite,
    settings: adapters.settings,
    jobs,
    onError: (error, context) => app.log.error({ err: error }, `telephony: ${context}`),
  });
  await app.register(historyRoutes, { history });
  await app.register(callVisibilityRoutes, {
    settings: createCallVisibilitySettingsService({ db, instanceId: options.telephony.instanceId }),
  });
  // Webhooks a previous run stored but did not get to process (a stop or crash in between) are processed
  // once the app is ready, in the background: start-up does not wait for them.
  let recovery: Promise<void> = Promise.resolve();
  app.addHook('onReady', async () => {
    presence.start();
    vault.startSchedule();
    history.startSchedule();
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
    presence.stop();
    vault.stopSchedule();
    history.stopSchedule();
    vault.settings.close();
    await recovery;
    await ingest.idle();
  });
  built.set(app, { adapters, vault, ingest, hub, presence });
}
