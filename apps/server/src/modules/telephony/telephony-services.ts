/**
 * What webhook ingest, the calls routes and click-to-call share: repositories, the runtime, the bus, the
 * click-to-call registry, and small caches for values read on every notification.
 */
import type SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { DatabaseHandle } from '../../platform/db/database.js';
import type { Database } from '../../platform/db/schema.js';
import type { EventBus, EventPublisher } from '../../platform/events/event-bus.js';
import { readSettings } from '../crm/settings/company-settings-store.js';
import { createDurableInbox } from './adapters/journal-inbox.js';
import { createBlacklistRepository } from './adapters/kysely-blacklist-repository.js';
import { createCallRepository } from './adapters/kysely-call-repository.js';
import { createExtensionAssignmentRepository } from './adapters/kysely-extension-assignment-repository.js';
import { createGroupCommitInbox, createInboxRepository } from './adapters/kysely-inbox-repository.js';
import type { TelephonyRuntime } from './adapters/zadarma/telephony-runtime.js';
import type {
  BlacklistRepository,
  CallRepository,
  ExtensionAssignmentRepository,
  InboxRepository,
} from './ports.js';
import { type CallbackRequests, createCallbackRequests } from './use-cases/callback-requests.js';

const TIMEZONE_MEMO_MS = 60_000;

export interface TelephonyServices {
  readonly database: DatabaseHandle;
  readonly db: Kysely<Database>;
  readonly runtime: TelephonyRuntime;
  readonly bus: EventBus;
  /** Where call processing publishes live events: the bus, or a batch transaction's staging publisher. */
  readonly publisher: EventPublisher;
  readonly inbox: InboxRepository;
  /**
   * Resolves once every webhook acknowledged so far is in `webhook_inbox` (a busy database's journal drained,
   * journal-inbox.ts); absent when the inbox has no journal. Why: processing marks the row's status.
   */
  readonly inboxStored?: () => Promise<void>;
  readonly calls: CallRepository;
  readonly assignments: ExtensionAssignmentRepository;
  readonly blacklist: BlacklistRepository;
  readonly callbacks: CallbackRequests;
  /** The company's default country (phone normalisation), cached by the settings store. */
  defaultCountry(): Promise<string>;
  /** The account timezone label; a failed lookup is not retried for a minute (never on every webhook). */
  timezone(): Promise<string>;
  /** User ids behind extensions (one query). */
  usersOfExtensions(extensions: readonly string[]): Promise<Map<string, string>>;
  /**
   * These services bound to `trx`, an open transaction: every query goes through it, live events go to
   * `publisher` (staged until the commit), and the country and timezone are the values given.
   * Why: a batch of webhooks is processed in one transaction (one commit instead of five per event); inside
   * it, a query through the app's own handle would wait for the very connection the batch holds (SQLite).
   */
  within(trx: Kysely<Database>, publisher: EventPublisher, context: ProcessingContext): TelephonyServices;
}

/** What processing reads once per batch instead of once per webhook. */
export interface ProcessingContext {
  readonly defaultCountry: string;
  readonly timezone: string;
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

/** `usersOfExtensions` on SQLite: one prepared statement per list length (a call rings a handful). */
function preparedUsersOfExtensions(
  database: DatabaseHandle,
): ((extensions: readonly string[]) => Map<string, string>) | null {
  const sqlite = database.sqlite;
  if (!sqlite) {
    return null;
  }
  const byLength = new Map<number, SQLite.Statement<string[], { extension: string; user_id: string }>>();
  return (extensions) => {
    let statement = byLength.get(extensions.length);
    if (!statement) {
      statement = sqlite.prepare<string[], { extension: string; user_id: string }>(
        `select extension, user_id from extension_assignments where extension in (${extensions.map(() => '?').join(', ')})`,
      );
      byLength.set(extensions.length, statement);
    }
    return new Map(statement.all(...extensions).map((r) => [r.extension, r.user_id]));
  };
}

/** Creates the shared services of one app. Why: one composition point for ingest, calls and tests. */
export function createTelephonyServices(options: TelephonyServicesOptions): TelephonyServices {
  const { database, runtime, bus } = options;
  const db = database.db;
  let zone: { value: Promise<string>; at: number } | null = null;
  const assignments = withPreparedLookups(createExtensionAssignmentRepository(db), database);
  const usersOf = preparedUsersOfExtensions(database);
  const calls = createCallRepository(db, { sqlite: database.sqlite });
  const callbacks = createCallbackRequests({ database, bus });
  const blacklist = options.blacklist ?? createBlacklistRepository(db);
  // The group-committing inbox, journaled to a file while the database cannot take its writes.
  const durable = options.inbox
    ? null
    : createDurableInbox(createGroupCommitInbox(database, { instanceId: runtime.instanceId }), database, {
        instanceId: runtime.instanceId,
        ...(options.onError ? { onError: options.onError } : {}),
      });

  function usersOfExtensionsWith(executor: Kysely<Database>) {
    return async (extensions: readonly string[]): Promise<Map<string, string>> => {
      if (extensions.length === 0) {
        return new Map();
      }
      if (usersOf) {
        return usersOf(extensions);
      }
      const rows = await executor
        .selectFrom('extension_assignments')
        .select(['extension', 'user_id'])
        .where('extension', 'in', [...extensions])
        .execute();
      return new Map(rows.map((r) => [r.extension, r.user_id]));
    };
  }

  const services: TelephonyServices = {
    database,
    db,
    runtime,
    bus,
    publisher: bus,
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
    usersOfExtensions: usersOfExtensionsWith(db),
    within(trx, publisher, context) {
      // SQLite's prepared lookups stay as they are: the same connection, so they read inside the transaction.
      const scopedAssignments = database.sqlite ? assignments : createExtensionAssignmentRepository(trx);
      return {
        ...services,
        database: { ...database, db: trx },
        db: trx,
        publisher,
        inbox: createInboxRepository(trx, { sqlite: database.sqlite }),
        calls: calls.within(trx),
        assignments: scopedAssignments,
        blacklist: createBlacklistRepository(trx),
        callbacks: { ...callbacks, match: (input) => callbacks.match(input, trx) },
        defaultCountry: async () => context.defaultCountry,
        timezone: async () => context.timezone,
        usersOfExtensions: usersOfExtensionsWith(trx),
        within: () => {
          throw new Error('telephony services: already bound to a transaction');
        },
      };
    },
  };
  return services;
}
