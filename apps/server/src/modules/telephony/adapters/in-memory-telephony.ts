/**
 * In-memory adapters of the telephony ports, for use-case unit tests (ARCHITECTURE.md: every port has a real
 * adapter and an in-memory one). Same semantics as the Kysely adapters: idempotent `applyEvent`, newest-first lists.
 */
import { randomUUID } from 'node:crypto';
import type { BusEvent } from '../../../platform/events/event-bus.js';
import {
  TELEPHONY_SETTINGS,
  type TelephonySettingValues,
} from '../../../platform/settings/setting-definitions.js';
import { normalizePhone } from '../../crm/phones/normalize-phone.js';
import { addToEventLog, type CallEvent, CallEventRefusedError } from '../domain/call-event.js';
import { identityConflict } from '../domain/call-identity.js';
import { callbackFits } from '../domain/callback-match.js';
import { foldCall } from '../domain/fold-call.js';
import type {
  BlacklistEntry,
  BlacklistRepository,
  CallbackRequest,
  CallbackRequestLog,
  CallCount,
  CallerContact,
  CallReadModel,
  CallReadScope,
  CallRepository,
  CallTimeline,
  CallTimelineItem,
  CallVisibility,
  Clock,
  ContactCard,
  ContactLookup,
  CrmCardReader,
  EventPublisher,
  ExtensionAssignment,
  ExtensionAssignmentRepository,
  ExtensionDirectory,
  InboxBrowser,
  InboxClaims,
  InboxEntry,
  InboxRepository,
  RoutingTraceItem,
  StoredCall,
  TelephonyProvider,
  TelephonySettings,
  TelephonySettingsReader,
  TelephonySettingsRepository,
  TelephonySettingsStore,
  UnitOfWork,
  UserDirectory,
  WebhookActivity,
  WebhookSettings,
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

/**
 * An in-memory store a unit of work can roll back: `checkpoint()` returns what restores the store as it was.
 * Why: the in-memory `UnitOfWork` keeps nothing of a unit that threw, like a transaction.
 */
export interface Checkpointed {
  checkpoint(): () => void;
}

/** An in-memory CallRepository. Why: use-case tests without a database. */
export function createInMemoryCallRepository(): CallRepository & Checkpointed {
  let calls = new Map<string, CallState>();
  const sortKey = (c: StoredCall) => c.startedAt ?? c.createdAt;
  return {
    checkpoint() {
      const saved = new Map(calls);
      return () => {
        calls = saved;
      };
    },
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
export function createInMemoryInboxRepository(): InboxRepository & Checkpointed {
  let entries = new Map<string, InboxEntry>();
  const update = (id: string, patch: Partial<InboxEntry>) => {
    const entry = entries.get(id);
    if (entry) {
      entries.set(id, { ...entry, ...patch });
    }
  };
  return {
    checkpoint() {
      const saved = new Map(entries);
      return () => {
        entries = saved;
      };
    },
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

// ── The webhook path's ports in memory (ports.ts): what the use-case unit tests run on.

/** A clock that moves only when told. Why: tests choose the instant, and the time a port "takes". */
export interface ManualClock extends Clock {
  advance(ms: number): void;
  set(ms: number): void;
}

/** A `ManualClock` starting at `start` (ms since the epoch). */
export function createManualClock(start = Date.parse('2026-01-15T09:00:00.000Z')): ManualClock {
  let now = start;
  return {
    now: () => now,
    advance(ms) {
      now += ms;
    },
    set(ms) {
      now = ms;
    },
  };
}

/** A contact the in-memory lookup knows, with its numbers in E.164. */
export interface InMemoryContact extends CallerContact {
  readonly phones: readonly string[];
}

/** An in-memory ContactLookup (normalisation by the CRM's own pure `normalizePhone`), and `add` to fill it. */
export function createInMemoryContactLookup(
  contacts: readonly InMemoryContact[] = [],
): ContactLookup & { add(contact: InMemoryContact): void; readonly lookups: string[] } {
  const all = [...contacts];
  const lookups: string[] = [];
  return {
    lookups,
    add(contact) {
      all.push(contact);
    },
    e164Of: (raw, country) => normalizePhone(raw, country),
    async findCaller(rawNumber, defaultCountry) {
      lookups.push(rawNumber);
      const e164 = normalizePhone(rawNumber, defaultCountry);
      // The oldest contact wins, as in the database (ids sort by creation).
      const owner = e164
        ? ([...all].sort((a, b) => (a.id < b.id ? -1 : 1)).find((c) => c.phones.includes(e164)) ?? null)
        : null;
      return { number: rawNumber, e164, contact: owner ? callerContact(owner) : null };
    },
    async findContact(contactId) {
      const found = all.find((c) => c.id === contactId);
      return found ? callerContact(found) : null;
    },
  };
}

function callerContact(contact: InMemoryContact): CallerContact {
  return {
    id: contact.id,
    displayName: contact.displayName,
    responsibleUserId: contact.responsibleUserId,
    companyName: contact.companyName,
    doNotCall: contact.doNotCall,
  };
}

/** An in-memory CrmCardReader over cards given whole; `excludeCallId` drops that call from `lastCalls`. */
export function createInMemoryCrmCardReader(cards: readonly ContactCard[] = []): CrmCardReader {
  const byId = new Map(cards.map((card) => [card.id, card]));
  return {
    async cardOf(contactId, options = {}) {
      const card = byId.get(contactId);
      if (!card) {
        return null;
      }
      return { ...card, lastCalls: card.lastCalls.filter((c) => c.id !== options.excludeCallId) };
    },
  };
}

/** An in-memory ExtensionDirectory: `assign(extension, userId, name)` fills it (one extension per user). */
export function createInMemoryExtensionDirectory(): ExtensionDirectory & {
  assign(extension: string, userId: string, name?: string): void;
} {
  const assignments = createInMemoryExtensionAssignmentRepository();
  const names = new Map<string, string>();
  return {
    assign(extension, userId, name) {
      void assignments.assign(extension, userId);
      if (name !== undefined) {
        names.set(userId, name);
      }
    },
    userOf: (extension) => assignments.findUserId(extension),
    extensionOf: (userId) => assignments.findExtension(userId),
    nameOf: async (userId) => names.get(userId) ?? null,
    async usersOf(extensions) {
      const users = new Map<string, string>();
      for (const extension of extensions) {
        const userId = await assignments.findUserId(extension);
        if (userId) {
          users.set(extension, userId);
        }
      }
      return users;
    },
  };
}

/** An in-memory CallTimeline: the call items by call id (one each) and the routing trace, in order. */
export function createInMemoryCallTimeline(): CallTimeline &
  Checkpointed & {
    readonly calls: () => CallTimelineItem[];
    readonly routing: () => RoutingTraceItem[];
  } {
  let items = new Map<string, CallTimelineItem>();
  let routing: RoutingTraceItem[] = [];
  return {
    checkpoint() {
      const saved = { items: new Map(items), routing: [...routing] };
      return () => {
        items = saved.items;
        routing = saved.routing;
      };
    },
    async putCall(item) {
      items.delete(item.callId);
      items.set(item.callId, item);
    },
    async recordRoutingDecision(item) {
      routing.push(item);
    },
    calls: () => [...items.values()],
    routing: () => [...routing],
  };
}

/** An in-memory EventPublisher: what was published, with increasing ids. */
export function createInMemoryEventPublisher(): EventPublisher & { readonly events: BusEvent[] } {
  const events: BusEvent[] = [];
  return {
    events,
    async publish<T>(topic: string, payload: T): Promise<BusEvent<T>> {
      const event: BusEvent<T> = {
        id: events.length + 1,
        topic,
        payload,
        createdAt: new Date(0).toISOString(),
      };
      events.push(event);
      return event;
    },
  };
}

/**
 * An in-memory CallbackRequestLog: requests given whole or remembered, matched by the same rule as the real
 * one (domain/callback-match.ts); a call once matched stays matched.
 */
export function createInMemoryCallbackRequests(
  initial: readonly CallbackRequest[] = [],
): CallbackRequestLog & { readonly requests: readonly CallbackRequest[] } {
  const requests = [...initial];
  const matched = new Map<string, CallbackRequest>();
  return {
    requests,
    async remember(request) {
      requests.push(request);
    },
    async match({ pbxCallId, extension, destinationE164, firstSeenAt }) {
      const found =
        matched.get(pbxCallId) ??
        requests.findLast((r) => callbackFits(r, extension, destinationE164, Date.parse(firstSeenAt))) ??
        null;
      if (found) {
        matched.set(pbxCallId, found);
      }
      return found;
    },
  };
}

/**
 * An in-memory TelephonyProvider: `placed` lists the callbacks asked for; `configured: false` has no dialler,
 * `failWith` makes every request reject.
 */
export function createInMemoryTelephonyProvider(
  options: { readonly configured?: boolean; readonly failWith?: Error } = {},
): TelephonyProvider & { readonly placed: { from: string; to: string }[] } {
  const placed: { from: string; to: string }[] = [];
  return {
    placed,
    async callbackDialer() {
      if (options.configured === false) {
        return null;
      }
      return {
        async requestCallback(request) {
          if (options.failWith) {
            throw options.failWith;
          }
          placed.push({ ...request });
        },
      };
    },
  };
}

/**
 * An in-memory UnitOfWork: `run(work)` gives `work` the ports with a staging publisher, then delivers what it
 * published to `publisher`; when `work` throws, every `stores` entry is rolled back and nothing is delivered.
 * Why: the batch processor's unit tests see the same all-or-nothing behaviour as a transaction.
 */
export function createInMemoryUnitOfWork<Ports>(options: {
  readonly publisher: EventPublisher;
  readonly stores: readonly Checkpointed[];
  readonly bind: (publisher: EventPublisher) => Ports;
}): UnitOfWork<Ports> & { readonly runs: () => number } {
  let runs = 0;
  return {
    runs: () => runs,
    async run(work) {
      runs += 1;
      const restore = options.stores.map((store) => store.checkpoint());
      const staged: [string, unknown][] = [];
      const staging: EventPublisher = {
        async publish<T>(topic: string, payload: T) {
          staged.push([topic, payload]);
          return { id: 0, topic, payload, createdAt: new Date(0).toISOString() };
        },
      };
      let result: Awaited<ReturnType<typeof work>>;
      try {
        result = await work(options.bind(staging));
      } catch (error) {
        for (const undo of restore) {
          undo();
        }
        throw error;
      }
      for (const [topic, payload] of staged) {
        await options.publisher.publish(topic, payload);
      }
      return result;
    },
    async gather() {},
  };
}

/** In-memory InboxClaims over an in-memory inbox: every `received` entry received before the cut-off, once. */
export function createInMemoryInboxClaims(inbox: InboxRepository, instanceId = 'instance-1'): InboxClaims {
  const claimed = new Set<string>();
  return {
    instanceId,
    leaseMs: 30_000,
    async beat() {},
    async claim(query) {
      const entries = await inbox.list({ status: 'received', oldestFirst: true, limit: 10_000 });
      const page = entries
        .filter((e) => !claimed.has(e.id) && e.receivedAt < query.receivedBefore)
        .slice(0, query.limit);
      for (const entry of page) {
        claimed.add(entry.id);
      }
      return page;
    },
  };
}

/** The webhook settings an in-memory reader starts from: a secret, every routing switch on, no IP list. */
const TEST_WEBHOOK_SETTINGS: WebhookSettings = {
  apiSecret: 'in-memory-secret',
  previousSecret: null,
  ipAllowList: { enabled: false, cidrs: [], trustedProxies: [] },
  features: { routeToResponsible: true, callerName: true, blacklist: true },
  returnTimeout: 20,
};

/** An in-memory TelephonySettingsReader; `previousSecretUses` counts `notePreviousSecretUse`. */
export function createInMemoryTelephonySettingsReader(
  initial: {
    readonly settings?: Partial<WebhookSettings>;
    readonly defaultCountry?: string;
    readonly timezone?: string;
  } = {},
): TelephonySettingsReader & { previousSecretUses: number; update(patch: Partial<WebhookSettings>): void } {
  let settings: WebhookSettings = { ...TEST_WEBHOOK_SETTINGS, ...initial.settings };
  return {
    previousSecretUses: 0,
    update(patch) {
      settings = { ...settings, ...patch };
    },
    webhookSettings: async () => settings,
    defaultCountry: async () => initial.defaultCountry ?? 'FR',
    timezone: async () => initial.timezone ?? 'UTC+3',
    notePreviousSecretUse() {
      this.previousSecretUses += 1;
    },
  };
}

/** What the in-memory call read model knows besides the calls: contacts (with their responsible), users, notes. */
export interface InMemoryCallWorld {
  readonly calls: Pick<CallRepository, 'list' | 'getById'>;
  readonly contacts?: readonly { id: string; displayName: string; responsibleUserId: string | null }[];
  readonly users?: readonly { id: string; name: string }[];
  /** Notes on calls, oldest first. */
  readonly notes?: readonly { callId: string; body: string }[];
}

function inScope(scope: CallReadScope, call: StoredCall, world: InMemoryCallWorld): boolean {
  switch (scope.kind) {
    case 'all':
      return true;
    case 'none':
      return false;
    case 'agent':
      return (
        call.agentUserId === scope.userId ||
        (world.contacts ?? []).some((c) => c.id === call.contactId && c.responsibleUserId === scope.userId)
      );
  }
}

/** An in-memory CallReadModel over a call repository and the names given. */
export function createInMemoryCallReadModel(world: InMemoryCallWorld): CallReadModel {
  return {
    async detailsOf(calls) {
      const ids = new Set(calls.map((c) => c.id));
      return {
        contactNames: new Map((world.contacts ?? []).map((c) => [c.id, c.displayName])),
        userNames: new Map((world.users ?? []).map((u) => [u.id, u.name])),
        notes: new Map((world.notes ?? []).filter((n) => ids.has(n.callId)).map((n) => [n.callId, n.body])),
      };
    },
    async countByDay({ scope, boundaries, statuses }) {
      const counts = new Map<string, CallCount>();
      for (const call of await world.calls.list({ limit: Number.MAX_SAFE_INTEGER })) {
        const at = call.startedAt;
        if (!at || !statuses.includes(call.status) || !inScope(scope, call, world)) {
          continue;
        }
        const dayIndex = boundaries.findLastIndex((b) => Date.parse(b) <= Date.parse(at));
        if (dayIndex < 0 || dayIndex >= boundaries.length - 1) {
          continue;
        }
        const key = `${dayIndex}|${call.status}`;
        const seen = counts.get(key);
        counts.set(key, { dayIndex, status: call.status, count: (seen?.count ?? 0) + 1 });
      }
      return [...counts.values()];
    },
  };
}

/** An in-memory CallVisibility: the scope of `use-cases/call-visibility.ts` over the world's calls and contacts. */
export function createInMemoryCallVisibility(
  world: InMemoryCallWorld,
  scopeOf: (actor: Parameters<CallVisibility['canRead']>[0]) => CallReadScope,
): CallVisibility {
  return {
    async canRead(actor, callId) {
      const call = await world.calls.getById(callId);
      return call !== null && inScope(scopeOf(actor), call, world);
    },
  };
}

/** An in-memory InboxBrowser over an in-memory inbox. */
export function createInMemoryInboxBrowser(inbox: Pick<InboxRepository, 'list'>): InboxBrowser {
  return {
    async page({ status, event, page, pageSize }) {
      const all = (
        await inbox.list({ limit: Number.MAX_SAFE_INTEGER, ...(status ? { status } : {}) })
      ).filter((e) => !event || e.event === event);
      return { items: all.slice((page - 1) * pageSize, page * pageSize), total: all.length };
    },
  };
}
