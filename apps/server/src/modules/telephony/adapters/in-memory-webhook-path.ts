/** The webhook path's ports in memory: what the use-case unit tests run on. Same semantics as the Kysely adapters (ARCHITECTURE.md: every port has a real adapter and an in-memory one). */
import type { BusEvent } from '../../../platform/events/event-bus.js';
import { newId } from '../../../platform/ids.js';
import { normalizePhone } from '../../crm/phones/normalize-phone.js';
import { callbackFits } from '../domain/callback-match.js';
import { isTimezoneConfirmed } from '../domain/zadarma-date-time.js';
import type {
  CallbackRequest,
  CallbackRequestLog,
  CallDecision,
  CallerContact,
  CallerDeal,
  CallerHistory,
  CallTimeline,
  CallTimelineItem,
  Clock,
  ContactCard,
  ContactLookup,
  CrmCardReader,
  EventPublisher,
  ExtensionDirectory,
  ExtensionPresence,
  InboxClaims,
  InboxRepository,
  RecordingNotices,
  RoutingTraceItem,
  TelephonyProvider,
  TelephonySettingsReader,
  TranscriptNotice,
  TranscriptRepository,
  UnitOfWork,
  WebhookSettings,
} from '../ports.js';
import type { Checkpointed } from './in-memory-call-store.js';
import {
  createInMemoryRecordingRepository,
  createInMemoryTranscriptRepository,
  type InMemoryRecordingRepository,
} from './in-memory-recordings.js';
import { createInMemoryExtensionAssignmentRepository } from './in-memory-settings.js';
import { callHandlingDefaults } from './telephony-settings-store.js';

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
    readonly decisions: () => CallDecision[];
  } {
  let items = new Map<string, CallTimelineItem>();
  let routing: RoutingTraceItem[] = [];
  let decisions: CallDecision[] = [];
  return {
    checkpoint() {
      const saved = {
        items: new Map(items),
        routing: [...routing],
        decisions: [...decisions],
      };
      return () => {
        items = saved.items;
        routing = saved.routing;
        decisions = saved.decisions;
      };
    },
    async putCall(item) {
      items.delete(item.callId);
      items.set(item.callId, item);
    },
    async recordRoutingDecision(item) {
      routing.push(item);
    },
    async recordDecision(item) {
      decisions.push(item);
    },
    calls: () => [...items.values()],
    routing: () => [...routing],
    decisions: () => [...decisions],
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
  features: {
    routeToResponsible: true,
    callerName: true,
    blacklist: true,
    autoCreate: false,
    missedCallTasks: false,
  },
  returnTimeout: 20,
  defaultResponsibleUserId: null,
  routing: callHandlingDefaults.routing,
  callerNameFormat: callHandlingDefaults.callerNameFormat,
  blacklistAction: callHandlingDefaults.blacklistAction,
};

/** An in-memory CallerHistory: deals, leads and calls a test sets by contact or number. */
export function createInMemoryCallerHistory(): CallerHistory & {
  deals: Map<string, CallerDeal>;
  leads: Map<string, { id: string; responsibleUserId: string | null }>;
  /** Contact id → answered calls (agent, ISO start). */
  answered: Map<string, { agentUserId: string; startedAt: string }[]>;
  /** E.164 → starts of missed calls from it (no contact). */
  missed: Map<string, string[]>;
} {
  const deals = new Map<string, CallerDeal>();
  const leads = new Map<string, { id: string; responsibleUserId: string | null }>();
  const answered = new Map<string, { agentUserId: string; startedAt: string }[]>();
  const missed = new Map<string, string[]>();
  return {
    deals,
    leads,
    answered,
    missed,
    async openDealOf(contactId) {
      return deals.get(contactId) ?? null;
    },
    async openLeadOf(contactId) {
      return leads.get(contactId) ?? null;
    },
    async lastAgentOf(contactId, since) {
      const calls = (answered.get(contactId) ?? []).filter((c) => c.startedAt >= since);
      calls.sort((a, b) => (a.startedAt < b.startedAt ? 1 : -1));
      return calls[0]?.agentUserId ?? null;
    },
    async missedFrom(e164, since) {
      return (missed.get(e164) ?? []).filter((at) => at >= since).length;
    },
  };
}

/** An in-memory ExtensionPresence: `set` what the PBX would say. */
export function createInMemoryExtensionPresence(): ExtensionPresence & {
  set(extension: string, online: boolean | null): void;
} {
  const states = new Map<string, boolean>();
  return {
    online: (extension) => states.get(extension) ?? null,
    noteAnswered(extension) {
      states.set(extension, true);
    },
    set(extension, online) {
      if (online === null) {
        states.delete(extension);
      } else {
        states.set(extension, online);
      }
    },
  };
}

/**
 * An in-memory TelephonySettingsReader; `previousSecretUses` counts `notePreviousSecretUse`, `timezoneTold`
 * stores a label as Zadarma's answer does (stamped, so confirmed even when it is the default UTC+0).
 */
export function createInMemoryTelephonySettingsReader(
  initial: {
    readonly settings?: Partial<WebhookSettings>;
    readonly defaultCountry?: string;
    readonly timezone?: string;
    /** When Zadarma told `timezone` (null: never, as the stored settings say it). */
    readonly timezoneLearnedAt?: string | null;
  } = {},
): TelephonySettingsReader & {
  previousSecretUses: number;
  update(patch: Partial<WebhookSettings>): void;
  timezoneTold(label: string, at?: string): void;
} {
  let settings: WebhookSettings = { ...TEST_WEBHOOK_SETTINGS, ...initial.settings };
  let zone = { timezone: initial.timezone ?? 'UTC+3', timezoneLearnedAt: initial.timezoneLearnedAt ?? null };
  return {
    previousSecretUses: 0,
    update(patch) {
      settings = { ...settings, ...patch };
    },
    timezoneTold(label, at = new Date().toISOString()) {
      zone = { timezone: label, timezoneLearnedAt: at };
    },
    webhookSettings: async () => settings,
    defaultCountry: async () => initial.defaultCountry ?? 'FR',
    accountTimezone: async () => ({ label: zone.timezone, confirmed: isTimezoneConfirmed(zone) }),
    notePreviousSecretUse() {
      this.previousSecretUses += 1;
    },
  };
}

/**
 * NOTIFY_RECORD and SPEECH_RECOGNITION notices over an in-memory vault (same semantics as
 * `createKyselyRecordingNotices`, minus the fetch job): a notice registers a pending recording once per call and
 * recording; a transcript is saved on the recording it names (both ids when it names both, else the call's latest
 * recording), parked until that recording is registered, or ignored for an erased one.
 */
export function createInMemoryRecordingNotices(
  vault: {
    readonly recordings: InMemoryRecordingRepository;
    readonly transcripts: TranscriptRepository;
  } = inMemoryVault(),
): RecordingNotices & typeof vault {
  const { recordings, transcripts } = vault;
  /** The rows registered, as the lookup by Zadarma's ids needs them. */
  const registered: (Parameters<RecordingNotices['recordingReady']>[0] & { readonly id: string })[] = [];
  /** Transcripts waiting for their recording, by `rec:<recording id>` or `pbx:<call id>`. */
  const parked = new Map<string, TranscriptNotice>();
  const newest = <T extends { readonly at: string; readonly id: string }>(a: T, b: T) =>
    a.at !== b.at ? (a.at < b.at ? 1 : -1) : a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
  return {
    recordings,
    transcripts,
    async transcriptReady(notice) {
      const row = registered
        .filter(
          (r) =>
            (notice.recordingId === null || r.recordingId === notice.recordingId) &&
            (notice.pbxCallId === null || r.pbxCallId === notice.pbxCallId),
        )
        .sort(newest)[0];
      if (!row) {
        parked.set(
          notice.recordingId !== null ? `rec:${notice.recordingId}` : `pbx:${notice.pbxCallId}`,
          notice,
        );
        return 'parked';
      }
      if ((await recordings.get(row.id))?.status === 'deleted') {
        return 'ignored';
      }
      await transcripts.save(
        { recordingId: row.id, callId: row.callId, lang: notice.lang, phrases: notice.phrases },
        notice.receivedAt,
      );
      return 'saved';
    },
    async recordingReady(input) {
      if (registered.some((r) => r.pbxCallId === input.pbxCallId && r.recordingId === input.recordingId)) {
        return;
      }
      const id = newId();
      registered.push({ ...input, id });
      recordings.add({
        id,
        callId: input.callId,
        pbxCallId: input.pbxCallId,
        recordingId: input.recordingId,
        createdAt: input.at,
      });
      const keys = [`rec:${input.recordingId}`, `pbx:${input.pbxCallId}`];
      const waiting = keys
        .map((key) => parked.get(key))
        .filter((n): n is TranscriptNotice => n !== undefined)
        .sort((a, b) => (a.receivedAt < b.receivedAt ? 1 : a.receivedAt > b.receivedAt ? -1 : 0))[0];
      if (waiting) {
        await transcripts.save(
          { recordingId: id, callId: input.callId, lang: waiting.lang, phrases: waiting.phrases },
          waiting.receivedAt,
        );
        for (const key of keys) {
          parked.delete(key);
        }
      }
    },
  };
}

/** A fresh in-memory recordings vault: the rows and their transcripts. */
function inMemoryVault() {
  const recordings = createInMemoryRecordingRepository();
  return { recordings, transcripts: createInMemoryTranscriptRepository(recordings) };
}

/** What the in-memory call read model knows besides the calls: contacts (with their responsible), users, notes. */
