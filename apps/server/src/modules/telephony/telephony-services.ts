/**
 * What the calls routes, the inbox routes and click-to-call share: repositories, the runtime, the bus, the
 * click-to-call registry, and small caches for values read on every notification. The webhook path does not
 * take these: its use cases take ports (ports.ts), wired over these services in webhook-ports.ts.
 */
import type { Kysely } from 'kysely';
import type { DatabaseHandle } from '../../platform/db/database.js';
import type { Database } from '../../platform/db/schema.js';
import type { EventBus } from '../../platform/events/event-bus.js';
import { readSettings } from '../crm/settings/company-settings-store.js';
import { createDurableInbox } from './adapters/journal-inbox.js';
import { createBlacklistRepository } from './adapters/kysely-blacklist-repository.js';
import { createCallRepository, type TransactionalCallRepository } from './adapters/kysely-call-repository.js';
import { createExtensionAssignmentRepository } from './adapters/kysely-extension-assignment-repository.js';
import { createGroupCommitInbox } from './adapters/kysely-inbox-repository.js';
import type { TelephonyRuntime } from './adapters/zadarma/telephony-runtime.js';
import type { BlacklistRepository, ExtensionAssignmentRepository, InboxRepository } from './ports.js';
import { type CallbackRequests, createCallbackRequests } from './use-cases/callback-requests.js';

const TIMEZONE_MEMO_MS = 60_000;

export interface TelephonyServices {
  readonly database: DatabaseHandle;
  readonly db: Kysely<Database>;
  readonly runtime: TelephonyRuntime;
  readonly bus: EventBus;
  readonly inbox: InboxRepository;
  /**
   * Resolves once every webhook acknowledged so far is in `webhook_inbox` (a busy database's journal drained,
   * journal-inbox.ts); absent when the inbox has no journal. Why: processing marks the row's status.
   */
  readonly inboxStored?: () => Promise<void>;
  readonly calls: TransactionalCallRepository;
  readonly assignments: ExtensionAssignmentRepository;
  readonly blacklist: BlacklistRepository;
  readonly callbacks: CallbackRequests;
  /** The company's default country (phone normalisation), cached by the settings store. */
  defaultCountry(): Promise<string>;
  /** The account timezone label; a failed lookup is not retried for a minute (never on every webhook). */
  timezone(): Promise<string>;
}

export interface TelephonyServicesOptions {
  readonly database: DatabaseHandle;
  readonly runtime: TelephonyRuntime;
  readonly bus: EventBus;
  /** Replaces the inbox (the group-committing writer, or a test double). */
  readonly inbox?: InboxRepository;
  readonly blacklist?: BlacklistRepository;
  /** Where the inbox's journal reports trouble (a busy database, a failed journal write). */
  readonly onError?: (error: unknown, context: string) => void;
}

/**
 * On SQLite, the extension → user read of every notification as a prepared statement (a plain indexed read:
 * no query building per webhook). Writes stay with the repository, so nothing is cached that could go stale.
 */
function withPreparedLookups(
  repository: ExtensionAssignmentRepository,
  database: DatabaseHandle,
): ExtensionAssignmentRepository {
  const sqlite = database.sqlite;
  if (!sqlite) {
    return repository;
  }
  const byExtension = sqlite.prepare<[string], { user_id: string }>(
    'select user_id from extension_assignments where extension = ?',
  );
  return { ...repository, findUserId: async (extension) => byExtension.get(extension)?.user_id ?? null };
}

/** Creates the shared services of one app. Why: one composition point for ingest, calls and tests. */
export function createTelephonyServices(options: TelephonyServicesOptions): TelephonyServices {
  const { database, runtime, bus } = options;
  const db = database.db;
  let zone: { value: Promise<string>; at: number } | null = null;
  const assignments = withPreparedLookups(createExtensionAssignmentRepository(db), database);
  const calls = createCallRepository(db, { sqlite: database.sqlite });
  const callbacks = createCallbackRequests({ database, bus });
  const blacklist = options.blacklist ?? createBlacklistRepository(db, database.sqlite);
  // The group-committing inbox, journaled to a file while the database cannot take its writes.
  const durable = options.inbox
    ? null
    : createDurableInbox(createGroupCommitInbox(database, { instanceId: runtime.instanceId }), database, {
        instanceId: runtime.instanceId,
        ...(options.onError ? { onError: options.onError } : {}),
      });

  const services: TelephonyServices = {
    database,
    db,
    runtime,
    bus,
    inbox: durable ?? (options.inbox as InboxRepository),
    ...(durable ? { inboxStored: () => durable.stored() } : {}),
    calls,
    assignments,
    blacklist,
    callbacks,
    async defaultCountry() {
      return (await readSettings(db)).defaultCountry;
    },
    timezone() {
      const now = Date.now();
      if (!zone || now - zone.at > TIMEZONE_MEMO_MS) {
        zone = { value: runtime.timezone().catch(() => 'UTC+0'), at: now };
      }
      return zone.value;
    },
  };
  return services;
}
