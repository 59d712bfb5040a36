/**
 * In-memory adapters of the telephony ports, for use-case unit tests (ARCHITECTURE.md: every port has a real
 * adapter and an in-memory one). Same semantics as the Kysely adapters: idempotent `applyEvent`, newest-first lists.
 */
import { randomUUID } from 'node:crypto';
import {
  TELEPHONY_SETTINGS,
  type TelephonySettingValues,
} from '../../../platform/settings/setting-definitions.js';
import { addToEventLog, type CallEvent, CallEventRefusedError } from '../domain/call-event.js';
import { identityConflict } from '../domain/call-identity.js';
import { foldCall } from '../domain/fold-call.js';
import type {
  BlacklistEntry,
  BlacklistRepository,
  CallRepository,
  ExtensionAssignment,
  ExtensionAssignmentRepository,
  InboxEntry,
  InboxRepository,
  StoredCall,
  TelephonySettings,
  TelephonySettingsRepository,
  TelephonySettingsStore,
  UserDirectory,
  WebhookActivity,
  WebhookStatus,
} from '../ports.js';
import { DEFAULT_TELEPHONY_SETTINGS } from './kysely-telephony-settings-repository.js';
import { storedFromValues, telephonyChange } from './telephony-settings-store.js';

interface CallState {
  id: string;
  events: CallEvent[];
  contactId: string | null;
  agentUserId: string | null;
  clientE164: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

function toStored(pbxCallId: string, s: CallState): StoredCall {
  return { ...foldCall(s.events), pbxCallId, ...s, events: [...s.events] };
}

/** An in-memory CallRepository. Why: use-case tests without a database. */
export function createInMemoryCallRepository(): CallRepository {
  const calls = new Map<string, CallState>();
  const sortKey = (c: StoredCall) => c.startedAt ?? c.createdAt;
  return {
    async applyEvent(event, now = new Date().toISOString(), options = {}) {
      let state = calls.get(event.pbxCallId);
      const conflict = identityConflict(state?.events ?? [], event);
      if (conflict !== null) {
        throw new CallEventRefusedError(conflict);
      }
      const log = addToEventLog(state?.events ?? [], event);
      if (state && !log.changed) {
        return { call: toStored(event.pbxCallId, state), duplicate: log.duplicate, changed: false };
      }
      state ??= {
        id: randomUUID(),
        events: [],
        contactId: null,
        agentUserId: null,
        clientE164: null,
        version: 0,
        createdAt: now,
        updatedAt: now,
      };
      const clientNumber = foldCall(log.events).clientNumber;
      const e164 = clientNumber && options.clientE164 ? options.clientE164(clientNumber) : null;
      state = {
        ...state,
        events: [...log.events],
        clientE164: e164 ?? state.clientE164,
        version: state.version + 1,
        updatedAt: now,
      };
      calls.set(event.pbxCallId, state);
      return { call: toStored(event.pbxCallId, state), duplicate: log.duplicate, changed: true };
    },
    async get(pbxCallId) {
      const state = calls.get(pbxCallId);
      return state ? toStored(pbxCallId, state) : null;
    },
    async getById(id) {
      for (const [pbxCallId, state] of calls) {
        if (state.id === id) {
          return toStored(pbxCallId, state);
        }
      }
      return null;
    },
    async link(call, links, now = new Date().toISOString()) {
      const pbxCallId = call.pbxCallId;
      const state = calls.get(pbxCallId);
      if (!state) {
        return null;
      }
      const next: CallState = {
        ...state,
        contactId: links.contactId === undefined ? state.contactId : links.contactId,
        agentUserId: links.agentUserId === undefined ? state.agentUserId : links.agentUserId,
        clientE164: links.clientE164 === undefined ? state.clientE164 : links.clientE164,
        version: state.version + 1,
        updatedAt: now,
      };
      calls.set(pbxCallId, next);
      return toStored(pbxCallId, next);
    },
    async list(query = {}) {
      return [...calls.entries()]
        .map(([pbxCallId, state]) => toStored(pbxCallId, state))
        .filter((c) => !query.contactId || c.contactId === query.contactId)
        .filter((c) => !query.agentUserId || c.agentUserId === query.agentUserId)
        .filter((c) => !query.startedBefore || sortKey(c) < query.startedBefore)
        .sort((a, b) =>
          sortKey(a) === sortKey(b) ? (a.id < b.id ? 1 : -1) : sortKey(a) < sortKey(b) ? 1 : -1,
        )
        .slice(0, query.limit ?? 50);
    },
  };
}

/** An in-memory InboxRepository. Why: webhook use-case tests without a database. */
export function createInMemoryInboxRepository(): InboxRepository {
  const entries = new Map<string, InboxEntry>();
  const update = (id: string, patch: Partial<InboxEntry>) => {
    const entry = entries.get(id);
    if (entry) {
      entries.set(id, { ...entry, ...patch });
    }
  };
  return {
    async append(entry) {
      const stored: InboxEntry = {
        ...entry,
        id: randomUUID(),
        error: entry.error ?? null,
        processedAt: null,
      };
      entries.set(stored.id, stored);
      return stored;
    },
    async markProcessed(id, at) {
      update(id, { status: 'processed', processedAt: at, error: null });
    },
    async markFailed(id, error, at) {
      update(id, { status: 'failed', processedAt: at, error });
    },
    async list(query = {}) {
      return [...entries.values()]
        .filter((e) => !query.status || e.status === query.status)
        .filter((e) => !query.pbxCallId || e.pbxCallId === query.pbxCallId)
        .filter((e) => !query.receivedBefore || e.receivedAt < query.receivedBefore)
        .filter((e) => {
          const after = query.receivedAfter;
          return !after || e.receivedAt > after.at || (e.receivedAt === after.at && e.id > after.id);
        })
        .sort((a, b) => {
          const order =
            a.receivedAt === b.receivedAt ? (a.id < b.id ? -1 : 1) : a.receivedAt < b.receivedAt ? -1 : 1;
          return query.oldestFirst ? order : -order;
        })
        .slice(0, query.limit ?? 100);
    },
    async get(id) {
      return entries.get(id) ?? null;
    },
  };
}

/**
 * An in-memory ExtensionAssignmentRepository; `userName` names holders (default: the user id).
 * Same keys as the table: an extension or a user already assigned refuses the write.
 */
export function createInMemoryExtensionAssignmentRepository(
  userName: (userId: string) => string = (userId) => userId,
): ExtensionAssignmentRepository {
  const byExtension = new Map<string, ExtensionAssignment>();
  return {
    async assign(extension, userId, now = new Date().toISOString()) {
      if (byExtension.has(extension) || [...byExtension.values()].some((a) => a.userId === userId)) {
        return null;
      }
      const assignment = { extension, userId, createdAt: now };
      byExtension.set(extension, assignment);
      return assignment;
    },
    async listHoldings() {
      return [...byExtension.values()]
        .sort((a, b) => (a.extension < b.extension ? -1 : 1))
        .map((a) => ({ extension: a.extension, userId: a.userId, userName: userName(a.userId) }));
    },
    async unassign(extension) {
      return byExtension.delete(extension);
    },
    async findUserId(extension) {
      return byExtension.get(extension)?.userId ?? null;
    },
    async findExtension(userId) {
      return [...byExtension.values()].find((a) => a.userId === userId)?.extension ?? null;
    },
    async list() {
      return [...byExtension.values()].sort((a, b) => (a.extension < b.extension ? -1 : 1));
    },
  };
}

/** An in-memory BlacklistRepository. */
export function createInMemoryBlacklistRepository(): BlacklistRepository {
  const entries = new Map<string, BlacklistEntry>();
  return {
    async add(entry, now = new Date().toISOString()) {
      const existing = entries.get(entry.e164);
      if (existing) {
        return existing;
      }
      const created = {
        id: randomUUID(),
        e164: entry.e164,
        reason: entry.reason ?? '',
        createdBy: entry.createdBy ?? null,
        createdAt: now,
      };
      entries.set(entry.e164, created);
      return created;
    },
    async remove(e164) {
      return entries.delete(e164);
    },
    async removeById(id) {
      for (const [e164, entry] of entries) {
        if (entry.id === id) {
          return entries.delete(e164);
        }
      }
      return false;
    },
    async isBlacklisted(e164) {
      return entries.has(e164);
    },
    async list() {
      return [...entries.values()].reverse();
    },
    async listPage(query) {
      const prefix = query.prefix?.replace(/\D/g, '') ? `+${query.prefix.replace(/\D/g, '')}` : null;
      const limit = Math.max(1, Math.trunc(query.limit));
      const sorted = [...entries.values()]
        .filter((e) => !prefix || e.e164.startsWith(prefix))
        .filter((e) => !query.after || e.e164 > query.after)
        .sort((a, b) => (a.e164 < b.e164 ? -1 : 1));
      const items = sorted.slice(0, limit);
      return { items, nextCursor: sorted.length > limit ? (items.at(-1)?.e164 ?? null) : null };
    },
  };
}

/** An in-memory UserDirectory over a fixed list of users. */
export function createInMemoryUserDirectory(
  users: readonly { readonly id: string; readonly name: string; readonly disabled?: boolean }[],
): UserDirectory {
  return {
    async findActive(id) {
      const user = users.find((u) => u.id === id && !u.disabled);
      return user ? { id: user.id, name: user.name } : null;
    },
  };
}

/**
 * An in-memory TelephonySettingsStore: stored values over the definitions' defaults, changed by the same
 * `telephonyChange` as the real store (a new secret keeps its predecessor for the grace). Nothing is sealed.
 */
export function createInMemoryTelephonySettingsStore(
  initial: Partial<TelephonySettingValues> = {},
): TelephonySettingsStore {
  const defaults = Object.fromEntries(
    Object.entries(TELEPHONY_SETTINGS).map(([name, definition]) => [name, definition.default]),
  ) as unknown as TelephonySettingValues;
  let values: TelephonySettingValues = { ...defaults, ...initial };
  return {
    async stored() {
      return storedFromValues(values);
    },
    async update(patch, now = new Date().toISOString()) {
      const change = Object.entries(telephonyChange(values, patch, now)).filter(([, v]) => v !== undefined);
      values = { ...values, ...Object.fromEntries(change) };
      return storedFromValues(values);
    },
  };
}

/** An in-memory WebhookActivity: no webhook ever arrived unless `status` says otherwise. */
export function createInMemoryWebhookActivity(
  status: Omit<WebhookStatus, 'registeredAt'> = { lastEventAt: null, lastRejectedAt: null, lastError: null },
): WebhookActivity {
  return { status: async (registeredAt) => ({ ...status, registeredAt }) };
}

/** An in-memory TelephonySettingsRepository (no encryption: nothing is persisted). */
export function createInMemoryTelephonySettingsRepository(
  initial: Partial<TelephonySettings> = {},
): TelephonySettingsRepository {
  let settings: TelephonySettings = { ...DEFAULT_TELEPHONY_SETTINGS, ...initial };
  return {
    async read() {
      return settings;
    },
    async update(patch, now = new Date().toISOString()) {
      settings = { ...settings, ...patch, updatedAt: now };
      return settings;
    },
  };
}
