/**
 * Wires the webhook path's ports (ports.ts) to their Kysely/SQLite and Zadarma adapters: what
 * receive-webhook, decide-call-routing and process-webhook-batch run on in the app. The batch's ports are
 * bound to its transaction by the unit of work.
 */
import type { Kysely } from 'kysely';
import type { DatabaseHandle } from '../../platform/db/database.js';
import type { Database } from '../../platform/db/schema.js';
import type { EventBus, EventPublisher } from '../../platform/events/event-bus.js';
import type { JobQueue } from '../../platform/jobs/job-queue.js';
import type { CallbackRequests } from './adapters/callback-requests.js';
import { afterCallScheduler } from './adapters/kysely-after-call-scheduler.js';
import { createBlacklistRepository } from './adapters/kysely-blacklist-repository.js';
import type { TransactionalCallRepository } from './adapters/kysely-call-repository.js';
import { createKyselyCallTimeline } from './adapters/kysely-call-timeline.js';
import { createKyselyCallerHistory } from './adapters/kysely-caller-history.js';
import { createKyselyContactLookup } from './adapters/kysely-contact-lookup.js';
import { createKyselyCrmCardReader } from './adapters/kysely-crm-card-reader.js';
import { createKyselyExtensionDirectory } from './adapters/kysely-extension-directory.js';
import { createInboxRepository } from './adapters/kysely-inbox-repository.js';
import { createKyselyRecordingNotices } from './adapters/kysely-recording-repository.js';
import { createKyselyUnitOfWork } from './adapters/kysely-unit-of-work.js';
import { createKyselyInboxClaims } from './adapters/server-instances.js';
import { systemClock } from './adapters/system-clock.js';
import type { TelephonyRuntime } from './adapters/zadarma/telephony-runtime.js';
import { zadarmaProviderEvents } from './adapters/zadarma/zadarma-call-event.js';
import type {
  BlacklistRepository,
  CallerFactsReader,
  CallProcessingPorts,
  Clock,
  ExtensionPresence,
  InboxRepository,
  TelephonySettingsReader,
} from './ports.js';
import type { WebhookPorts } from './use-cases/receive-webhook.js';

/**
 * The module's adapters built once per app (telephony-module.ts `createTelephonyAdapters`): what the webhook
 * ports and the routes' ports are made of. Only the wiring and tests see this object; routes and use cases
 * get ports.
 */
export interface TelephonyAdapters {
  readonly database: DatabaseHandle;
  readonly runtime: TelephonyRuntime;
  readonly bus: EventBus;
  readonly inbox: InboxRepository;
  /**
   * Resolves once every webhook acknowledged so far is in `webhook_inbox` (a busy database's journal drained,
   * journal-inbox.ts); absent when the inbox has no journal. Why: processing marks the row's status.
   */
  readonly inboxStored?: () => Promise<void>;
  /** Commits the inbox writes waiting for their turn's group commit if a NOTIFY_START is among them (SQLite). */
  readonly commitQueuedAppends?: () => Promise<void>;
  readonly calls: TransactionalCallRepository;
  readonly blacklist: BlacklistRepository;
  /**
   * The NOTIFY_START decision's reads in one round trip (PostgreSQL's reply pool, kysely-caller-facts.ts); absent
   * on SQLite, where each read is an in-process prepared statement.
   */
  readonly facts?: CallerFactsReader;
  /** Click-to-call requests: remembered by click-to-call, matched by the batch (one registry per app). */
  readonly callbacks: CallbackRequests;
  /** Webhook settings, the company's default country and the account timezone, cached. */
  readonly settings: TelephonySettingsReader;
}

/** Replacements for tests (a failing lookup inside a batch, a slow blacklist, a chosen clock). */
export interface WebhookPortsOverrides {
  readonly clock?: Clock;
  /** Wraps the ports of every unit of work (tests: a failure on demand inside a batch). */
  readonly processing?: (ports: CallProcessingPorts) => CallProcessingPorts;
  /** The extensions' registration state (the module's background-refreshed cache); unknown without it. */
  readonly presence?: ExtensionPresence;
  /** The job queue an ended call's follow-up is queued on (after-call-ports.ts); none: no after-call automation. */
  readonly jobs?: JobQueue | null;
}

const UNKNOWN_PRESENCE: ExtensionPresence = { online: () => null, noteAnswered: () => {} };

/** The webhook path's ports over the app's adapters. Why: one composition point for the module and tests. */
export function createWebhookPorts(
  adapters: TelephonyAdapters,
  overrides: WebhookPortsOverrides = {},
): WebhookPorts {
  const { database, runtime, bus, settings } = adapters;
  const { db, sqlite } = database;
  // What the PBX waits on reads through PostgreSQL's reply pool (platform/db/database.ts `replyDb`).
  const replyDb = database.replyDb ?? db;
  const wrap = overrides.processing ?? ((ports: CallProcessingPorts) => ports);
  const bind = (
    trx: Kysely<Database>,
    publisher: EventPublisher,
    beforeCommit: (flush: () => Promise<void>) => void,
  ): CallProcessingPorts =>
    wrap({
      // On SQLite the prepared statements run on the one connection, so they read inside the transaction.
      calls: adapters.calls.within(trx, beforeCommit),
      inbox: createInboxRepository(trx, { sqlite, beforeCommit }),
      contacts: createKyselyContactLookup(trx, sqlite),
      cards: createKyselyCrmCardReader(trx),
      directory: createKyselyExtensionDirectory(trx, sqlite),
      callbacks: { match: (input) => adapters.callbacks.match(input, trx) },
      timeline: createKyselyCallTimeline(trx),
      recordings: createKyselyRecordingNotices(trx, overrides.jobs ?? null),
      publisher,
      blacklist: createBlacklistRepository(trx),
      ...(overrides.jobs ? { afterCall: afterCallScheduler(overrides.jobs, trx) } : {}),
    });
  const instanceId = runtime.instanceId;
  return {
    inbox: adapters.inbox,
    ...(adapters.inboxStored ? { inboxStored: adapters.inboxStored } : {}),
    ...(adapters.commitQueuedAppends ? { commitQueuedAppends: adapters.commitQueuedAppends } : {}),
    claims: createKyselyInboxClaims(db, instanceId),
    settings,
    provider: zadarmaProviderEvents,
    clock: overrides.clock ?? systemClock,
    // The PBX's clock: the simulator's virtual one in demo mode (it may run faster than real time).
    pbxClock: { now: () => (runtime.simulator ? runtime.simulator.now() : Date.now()) },
    contacts: createKyselyContactLookup(replyDb, sqlite),
    directory: createKyselyExtensionDirectory(replyDb, sqlite),
    blacklist: adapters.blacklist,
    history: createKyselyCallerHistory(replyDb, sqlite),
    ...(adapters.facts ? { facts: adapters.facts } : {}),
    presence: overrides.presence ?? UNKNOWN_PRESENCE,
    // A batch's writes are all derived from inbox entries committed (flushed) before their replies, and a batch
    // marks its entries processed in the same transaction: lost to a crash, they are processed again. So on
    // PostgreSQL its commit does not wait for a WAL flush of its own (database.ts `derivedCommitsUnflushed`).
    unitOfWork: createKyselyUnitOfWork({
      db,
      bus,
      bind,
      commitWithoutFlush: database.derivedCommitsUnflushed === true,
    }),
  };
}
