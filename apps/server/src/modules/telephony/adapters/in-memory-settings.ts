/** Telephony settings, extension assignments, the blacklist and the user directory in memory. Same semantics as the Kysely adapters (ARCHITECTURE.md: every port has a real adapter and an in-memory one). */
import { randomUUID } from 'node:crypto';
import {
  TELEPHONY_SETTINGS,
  type TelephonySettingValues,
} from '../../../platform/settings/setting-definitions.js';
import { SettingValueError } from '../../../platform/settings/settings-storage.js';
import type {
  BlacklistEntry,
  BlacklistRepository,
  ExtensionAssignment,
  ExtensionAssignmentRepository,
  InboxRepository,
  TelephonySettings,
  TelephonySettingsRepository,
  TelephonySettingsStore,
  UserDirectory,
  WebhookActivity,
} from '../ports.js';
import {
  DEFAULT_TELEPHONY_SETTINGS,
  validateTelephonySettingsPatch,
} from './kysely-telephony-settings-repository.js';
import { storedFromValues, telephonyChange } from './telephony-settings-store.js';

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
  // Longest match first, as the Kysely adapter answers.
  const blocking = (e164s: readonly string[], at: string) =>
    [...entries.values()]
      .filter((e) => e164s.some((n) => (e.isPrefix ? n.startsWith(e.e164) : n === e.e164)))
      .filter((e) => e.expiresAt === null || e.expiresAt > at)
      .sort((a, b) => b.e164.length - a.e164.length);
  return {
    async add(entry, now = new Date().toISOString()) {
      const existing = entries.get(entry.e164);
      if (existing) {
        return existing;
      }
      const created: BlacklistEntry = {
        id: randomUUID(),
        e164: entry.e164,
        isPrefix: entry.isPrefix ?? false,
        reason: entry.reason ?? '',
        createdBy: entry.createdBy ?? null,
        createdAt: now,
        expiresAt: entry.expiresAt ?? null,
        blockedCalls: 0,
        lastBlockedAt: null,
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
      return (await this.matchCaller(e164, new Date().toISOString())) !== null;
    },
    async matchCaller(e164, at) {
      return blocking([e164], at)[0]?.e164 ?? null;
    },
    async countBlocked(key, at) {
      const entry = entries.get(key);
      if (entry) {
        entries.set(key, { ...entry, blockedCalls: entry.blockedCalls + 1, lastBlockedAt: at });
      }
    },
    async entriesBlocking(e164s, at) {
      return blocking(e164s, at);
    },
    async blockedCallsTotal() {
      return [...entries.values()].reduce((sum, e) => sum + e.blockedCalls, 0);
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
 * `telephonyChange` as the real store (a new secret keeps its predecessor for the grace), each value checked by its
 * definition as the settings service checks it. Nothing is sealed.
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
      const change = Object.entries(telephonyChange(values, patch, now))
        .filter(([, v]) => v !== undefined)
        .map(([name, value]) => {
          // Every value checked before any is kept, as the settings service refuses a whole write.
          const definition = TELEPHONY_SETTINGS[name as keyof TelephonySettingValues];
          const parsed = definition.schema.safeParse(value);
          if (!parsed.success) {
            throw new SettingValueError(definition.key, parsed.error.issues.map((i) => i.message).join('; '));
          }
          return [name, parsed.data] as const;
        });
      values = { ...values, ...Object.fromEntries(change) };
      return storedFromValues(values);
    },
  };
}

/**
 * An in-memory WebhookActivity over a webhook inbox (none: no webhook ever arrived), read as
 * `createWebhookActivity` reads the table: the newest accepted and rejected arrivals and the newest error.
 */
export function createInMemoryWebhookActivity(
  inbox: Pick<InboxRepository, 'list'> = { list: async () => [] },
): WebhookActivity {
  return {
    async status(registeredAt) {
      const newest = await inbox.list({ limit: Number.MAX_SAFE_INTEGER });
      return {
        lastEventAt: newest.find((e) => e.status !== 'rejected')?.receivedAt ?? null,
        lastRejectedAt: newest.find((e) => e.status === 'rejected')?.receivedAt ?? null,
        lastError: newest.find((e) => e.error !== null)?.error ?? null,
        registeredAt,
      };
    },
  };
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
      validateTelephonySettingsPatch(patch);
      // A field left out (or undefined) keeps its value, as the settings service's change does.
      const given = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
      settings = { ...settings, ...given, updatedAt: now };
      return settings;
    },
  };
}
