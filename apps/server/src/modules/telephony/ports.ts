/**
 * The telephony ports: what use cases need from storage, as interfaces. Kysely adapters live beside the feature
 * (`../*-repository.ts`); use cases and tests depend on these types only.
 */
import type { TWebhookEvent, ZadarmaClient } from '@switchboard/zadarma';
import type { Actor } from '../../platform/auth/actor.js';
import type { EventPublisher } from '../../platform/events/event-bus.js';
import type { NewCallerRule } from './domain/after-call-policy.js';
import type { CallEvent } from './domain/call-event.js';
import type { Freshness } from './domain/call-freshness.js';
import type { CallOutcome as ZadarmaCallOutcome } from './domain/call-outcome.js';
import type { CallerNameFormat } from './domain/caller-name-template.js';
import type { CallRecord } from './domain/fold-call.js';
import type { FollowUpCall } from './domain/missed-call-classification.js';
import type { RoutingStepSetting, RoutingTraceStep } from './domain/routing-policy.js';
import type { WorkingHours } from './domain/working-hours.js';

type InboxStatus = 'received' | 'processed' | 'failed' | 'rejected';

/** One webhook request as received, before (or after) it was processed. */
export interface InboxEntry {
  readonly id: string;
  readonly receivedAt: string;
  readonly remoteIp: string | null;
  /** The `event` field as sent, `''` when absent. */
  readonly event: string;
  readonly pbxCallId: string | null;
  readonly body: string;
  readonly contentType: string | null;
  readonly signatureValid: boolean;
  readonly status: InboxStatus;
  readonly error: string | null;
  readonly processedAt: string | null;
  /** Bytes received; `body` of a rejected entry is only a prefix of them. Null for entries older than this. */
  readonly bodySize?: number | null;
  /** Hex SHA-256 of the whole body received, kept for rejected entries. */
  readonly bodySha256?: string | null;
}

export interface NewInboxEntry {
  readonly receivedAt: string;
  readonly remoteIp: string | null;
  readonly event: string;
  readonly pbxCallId: string | null;
  readonly body: string;
  readonly contentType: string | null;
  readonly signatureValid: boolean;
  /** `received` for a verified request to process; `rejected` when refused (bad signature, IP, body). */
  readonly status: 'received' | 'rejected';
  readonly error?: string | null;
  /** Bytes received (the whole body's size, when `body` is only its prefix). */
  readonly bodySize?: number | null;
  /** Hex SHA-256 of the whole body, when `body` is only its prefix. */
  readonly bodySha256?: string | null;
}

export interface InboxListQuery {
  readonly limit?: number;
  readonly status?: InboxStatus;
  readonly pbxCallId?: string;
  /** Only entries received strictly before this instant (newest first paging). */
  readonly receivedBefore?: string;
  /** Oldest first, from `receivedAfter` (exclusive) on: a recovery walks the inbox in arrival order. */
  readonly oldestFirst?: boolean;
  /** With `oldestFirst`: only entries received strictly after this instant (or, at that instant, after `afterId`). */
  readonly receivedAfter?: { readonly at: string; readonly id: string };
}

/** The webhook inbox: every notification stored raw before any work, for audit and replay (ARCHITECTURE data flow 1). */
export interface InboxRepository {
  append(entry: NewInboxEntry): Promise<InboxEntry>;
  markProcessed(id: string, at: string): Promise<void>;
  markFailed(id: string, error: string, at: string): Promise<void>;
  /** Newest first. */
  list(query?: InboxListQuery): Promise<InboxEntry[]>;
  get(id: string): Promise<InboxEntry | null>;
}

/** A call record as stored: the fold plus links and bookkeeping. */
export interface StoredCall extends CallRecord {
  readonly id: string;
  /** The distinct events folded (one copy per content, the earliest received), in the order they were stored. */
  readonly events: readonly CallEvent[];
  readonly contactId: string | null;
  readonly agentUserId: string | null;
  readonly clientE164: string | null;
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface ApplyEventOptions {
  /**
   * The E.164 form of the folded client number (null: it does not normalise), stored as `clientE164` in the
   * same write. Why: a separate link write per call cost as much as the fold's own.
   */
  readonly clientE164?: (clientNumber: string) => string | null;
}

export interface ApplyEventResult {
  readonly call: StoredCall;
  /** True when the same notification (same content) was already folded: a re-delivery. */
  readonly duplicate: boolean;
  /** False when nothing changed (the usual re-delivery): no need to tell anyone. */
  readonly changed: boolean;
}

export interface CallLinks {
  readonly contactId?: string | null;
  readonly agentUserId?: string | null;
  readonly clientE164?: string | null;
}

export interface CallListQuery {
  readonly limit?: number;
  /** Only calls started strictly before this instant (newest first paging). */
  readonly startedBefore?: string;
  readonly contactId?: string;
  readonly agentUserId?: string;
}

/** Call records, each the fold of its notifications; safe under concurrent and repeated application. */
export interface CallRepository {
  /**
   * Folds a notification into its call (idempotent, order-independent). Rejects with `CallEventRefusedError`,
   * writing nothing, when the event contradicts the call's signed identity or the call holds too many versions.
   */
  applyEvent(event: CallEvent, now?: string, options?: ApplyEventOptions): Promise<ApplyEventResult>;
  get(pbxCallId: string): Promise<StoredCall | null>;
  getById(id: string): Promise<StoredCall | null>;
  /**
   * Sets the call's links and returns `call` with them and its new version (null when the call is gone).
   * Why the stored call goes in: the link follows `applyEvent`, whose result is the call as just written.
   */
  link(call: StoredCall, links: CallLinks, now?: string): Promise<StoredCall | null>;
  /** Newest first by start time. */
  list(query?: CallListQuery): Promise<StoredCall[]>;
}

export interface ExtensionAssignment {
  readonly extension: string;
  readonly userId: string;
  readonly createdAt: string;
}

/** An assignment with its holder's name: what the extensions list shows and a refusal names. */
interface ExtensionHolding {
  readonly extension: string;
  readonly userId: string;
  readonly userName: string;
}

/**
 * One extension per user and one user per extension. Which assignment may be made is decided by the one policy,
 * `decideExtensionAssignment` (domain/extension-assignment-policy.ts); this port only stores it.
 */
export interface ExtensionAssignmentRepository {
  /**
   * Stores the assignment when both the extension and the user are free; resolves null when either is taken
   * (never taking it from its holder). Why null and no throw: the table's two unique keys settle a race between
   * two admins, and the use case words the refusal.
   */
  assign(extension: string, userId: string, now?: string): Promise<ExtensionAssignment | null>;
  /** Every assignment with its holder's name, in extension order. */
  listHoldings(): Promise<ExtensionHolding[]>;
  unassign(extension: string): Promise<boolean>;
  findUserId(extension: string): Promise<string | null>;
  findExtension(userId: string): Promise<string | null>;
  list(): Promise<ExtensionAssignment[]>;
}

export interface TelephonySettings {
  readonly apiKey: string | null;
  /** Decrypted; null when not set. */
  readonly apiSecret: string | null;
  readonly timezone: string;
  readonly routeToResponsible: boolean;
  readonly callerName: boolean;
  readonly blacklistEnabled: boolean;
  readonly returnTimeout: number;
  readonly updatedAt: string | null;
}

export type TelephonySettingsPatch = Partial<Omit<TelephonySettings, 'updatedAt'>>;

export interface TelephonySettingsRepository {
  read(): Promise<TelephonySettings>;
  update(patch: TelephonySettingsPatch, now?: string): Promise<TelephonySettings>;
}

export interface BlacklistEntry {
  readonly id: string;
  /** The number (E.164), or for a prefix its first digits (`+7800`). */
  readonly e164: string;
  /** Every number starting with `e164` is blocked. */
  readonly isPrefix: boolean;
  readonly reason: string;
  readonly createdBy: string | null;
  /** The name of who added it, when known. */
  readonly createdByName?: string | null;
  readonly createdAt: string;
  /** After this instant the entry blocks nothing (null: never expires). */
  readonly expiresAt: string | null;
  /** Calls it refused (counted after each call, off the reply's path). */
  readonly blockedCalls: number;
  readonly lastBlockedAt: string | null;
}

export interface BlacklistRepository {
  /** Adds the number, or returns the existing entry unchanged when it is already listed. */
  add(
    entry: {
      e164: string;
      reason?: string;
      createdBy?: string | null;
      isPrefix?: boolean;
      expiresAt?: string | null;
    },
    now?: string,
  ): Promise<BlacklistEntry>;
  remove(e164: string): Promise<boolean>;
  /** Removes the entry with this id; resolves false when there is none. */
  removeById(id: string): Promise<boolean>;
  isBlacklisted(e164: string): Promise<boolean>;
  /** The entry (number or prefix) that blocks `e164` at `at`, null when none: one indexed read. */
  matchCaller(e164: string, at: string): Promise<string | null>;
  /** Counts a refused call against the entry. */
  countBlocked(entry: string, at: string): Promise<void>;
  /** The live entries (not expired at `at`) blocking this number, for the contact's page. */
  entriesBlocking(e164s: readonly string[], at: string): Promise<BlacklistEntry[]>;
  /** Calls refused by the blacklist, all entries together. */
  blockedCallsTotal(): Promise<number>;
  list(): Promise<BlacklistEntry[]>;
  /**
   * One page in E.164 order after `after`, optionally only numbers starting with the digits of `prefix`.
   * Why: the list can hold hundreds of thousands of numbers; a page is one range read, however deep.
   */
  listPage(query: BlacklistPageQuery): Promise<BlacklistPage>;
}

export interface BlacklistPageQuery {
  readonly limit: number;
  /** The `nextCursor` of the previous page. */
  readonly after?: string | undefined;
  /** Digits as typed (`+33 6`, `336`…). */
  readonly prefix?: string | undefined;
}

/** A page of the blacklist: `nextCursor` is the last number, to pass back as `after`; null on the last page. */
export interface BlacklistPage {
  readonly items: BlacklistEntry[];
  readonly nextCursor: string | null;
}

// ---- Telephony settings (the settings page and the runtime), as the use cases see them ----

interface TelephonyFeatures {
  readonly autoCreate: boolean;
  readonly routeToResponsible: boolean;
  readonly callerName: boolean;
  readonly missedCallTasks: boolean;
  readonly blacklist: boolean;
}

/** The IP allow-list as stored: whether `/zadarma` checks the source address, and against which CIDRs. */
interface StoredIpAllowList {
  readonly enabled: boolean;
  readonly cidrs: readonly string[];
}

/** The allow-list as shown and applied: with the trusted proxies of `TRUST_PROXY` (platform/config), read-only. */
interface IpAllowList extends StoredIpAllowList {
  readonly trustedProxies: readonly string[];
}

export interface WebhookStatus {
  readonly lastEventAt: string | null;
  readonly lastRejectedAt: string | null;
  readonly lastError: string | null;
  readonly registeredAt: string | null;
}

/** The `GET /api/telephony/settings` body (api-contract-telephony.md): never the secret itself. */
export interface TelephonySettingsView extends CallHandlingSettings {
  readonly mode: 'demo' | 'live';
  readonly configured: boolean;
  readonly apiKey: string | null;
  readonly secretSet: boolean;
  readonly secretHint: string | null;
  readonly apiBaseUrl: string;
  readonly webhookUrl: string;
  readonly webhook: WebhookStatus;
  readonly ipAllowList: IpAllowList;
  readonly defaultResponsibleUserId: string | null;
  readonly predictedCallback: boolean;
  readonly returnTimeout: number;
  readonly features: TelephonyFeatures;
  /** The secret before the last planned rotation, while it is still accepted (never the secret itself). */
  readonly previousSecretGrace: PreviousSecretGrace | null;
}

interface PreviousSecretGrace {
  readonly hint: string | null;
  /** Until when webhooks signed with it are accepted (ISO-8601). */
  readonly acceptedUntil: string;
  /** Webhooks verified with it since the rotation, all instances (counted off the hot path, ~1 s late). */
  readonly uses: number;
}

/** The routing chain's settings (issue 12 §7). */
export interface RoutingSettings {
  readonly steps: readonly RoutingStepSetting[];
  readonly lastAgentDays: number;
  /** User id → schedule; a user without one is always available. */
  readonly workingHours: Readonly<Record<string, WorkingHours>>;
}

/** How NOTIFY_START treats and names callers (issue 12 §7, §8, §10), as stored and shown. */
export interface CallHandlingSettings {
  readonly routing: RoutingSettings;
  readonly callerNameFormat: CallerNameFormat;
  readonly blacklistAction: 'busy' | 'hangup';
}

/** What is stored, with the secret decrypted (server-side only). */
export interface StoredTelephonySettings extends CallHandlingSettings {
  readonly apiKey: string | null;
  readonly apiSecret: string | null;
  /** Null: Zadarma's production API. */
  readonly apiBaseUrl: string | null;
  readonly timezone: string;
  readonly returnTimeout: number;
  readonly ipAllowList: StoredIpAllowList;
  readonly defaultResponsibleUserId: string | null;
  readonly predictedCallback: boolean;
  readonly features: TelephonyFeatures;
  readonly webhookRegisteredAt: string | null;
  /** Trusted proxies typed on the settings page before `TRUST_PROXY` was their only source (unused; warned about). */
  readonly legacyTrustedProxies: readonly string[];
  /** The secret replaced by the last planned rotation (decrypted), or null; valid until `previousSecretUntil`. */
  readonly previousSecret: string | null;
  readonly previousSecretUntil: string | null;
  readonly previousSecretUses: number;
}

export interface StoredTelephonySettingsPatch {
  readonly apiKey?: string | null;
  readonly apiSecret?: string | null;
  readonly apiBaseUrl?: string | null;
  readonly timezone?: string;
  readonly returnTimeout?: number;
  /** `trustedProxies` is accepted for the old API shape and ignored: `TRUST_PROXY` is their only source. */
  readonly ipAllowList?: Partial<IpAllowList>;
  readonly defaultResponsibleUserId?: string | null;
  readonly predictedCallback?: boolean;
  readonly features?: Partial<TelephonyFeatures>;
  readonly webhookRegisteredAt?: string | null;
  readonly routing?: Partial<RoutingSettings>;
  readonly callerNameFormat?: Partial<CallerNameFormat>;
  readonly blacklistAction?: 'busy' | 'hangup';
  /**
   * The admin says the current (old) secret leaked: no grace for it when `apiSecret` changes, and any previous
   * secret still in its grace is dropped at once.
   */
  readonly secretLeaked?: boolean;
}

/**
 * The telephony settings as stored, read and written through the one settings service (the runtime implements it).
 * Why a port: the settings use cases decide what to write; where and how it is cached is the adapter's business.
 */
export interface TelephonySettingsStore {
  /** The stored settings, the secret opened (server-side only). */
  stored(): Promise<StoredTelephonySettings>;
  /** Writes a patch in one transaction; a new secret keeps its predecessor for the rotation grace. */
  update(patch: StoredTelephonySettingsPatch, now?: string): Promise<StoredTelephonySettings>;
}

/** Where this server runs, as the settings page shows it beside the stored settings. */
export interface TelephonyDeployment {
  readonly mode: 'demo' | 'live';
  readonly publicBaseUrl: string;
  /** The URL Zadarma posts notifications to. */
  readonly webhookUrl: string;
  /** `TRUST_PROXY`: the one source of trusted proxies, read-only. */
  readonly trustedProxies: readonly string[];
}

/** The latest webhook arrivals, read from the inbox for the settings page. */
export interface WebhookActivity {
  status(registeredAt: string | null): Promise<WebhookStatus>;
}

/** The Zadarma account of the current credentials. */
export interface ZadarmaAccount {
  /** A client for the current key, secret and base URL; null while telephony is not configured. */
  client(): Promise<ZadarmaClient | null>;
}

/** The CRM's users as telephony needs them: who may be given an extension or be the default responsible. */
export interface UserDirectory {
  /** The user with this id if they exist and are not disabled, else null. */
  findActive(id: string): Promise<{ readonly id: string; readonly name: string } | null>;
}

// ── The webhook path's ports (issue 10 item 2): what receive-webhook, decide-call-routing, process-webhook-batch
// and the handle-call-* use cases need, each with a Kysely/SQLite adapter and an in-memory one (adapters/).

/**
 * The time. Why: use cases never read the system clock, so a test chooses the instant and the NOTIFY_START
 * budget is measured on the same clock the request's arrival was read on.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

/** What the call path knows of a caller's contact: enough to route and name the call. */
export interface CallerContact {
  readonly id: string;
  readonly displayName: string;
  readonly responsibleUserId: string | null;
  /** The contact's company name (for `caller_name`), null without a company. */
  readonly companyName: string | null;
  readonly doNotCall: boolean;
}

/** A caller normalised and looked up, once per call: carried from the NOTIFY_START decision into processing. */
export interface CallerLookup {
  /** The number as the PBX sent it. */
  readonly number: string;
  /** Its E.164 form with the company's default country, null when it is no phone number (an extension). */
  readonly e164: string | null;
  /** The contact owning `e164` (the oldest when several do), null when none. */
  readonly contact: CallerContact | null;
}

/**
 * Caller → contact and responsible user, by E.164 (the CRM's `contact_phones` index).
 * Why: the NOTIFY_START decision and the call's contact link need the same answer within microseconds.
 */
export interface ContactLookup {
  /** The E.164 form of a raw number (memoised: a call's events repeat its number), null for an extension. */
  e164Of(rawNumber: string, defaultCountry: string): string | null;
  /** The caller's E.164 and the contact owning it: one indexed lookup. */
  findCaller(rawNumber: string, defaultCountry: string): Promise<CallerLookup>;
  /** The contact with this id, null when there is none. Why: click-to-call names the contact the user chose. */
  findContact(contactId: string): Promise<CallerContact | null>;
}

/** The contact card of a call popup: who is calling, their company, responsible user, open deals and tasks, last calls. */
export interface ContactCard {
  readonly id: string;
  readonly displayName: string;
  readonly company: { id: string; name: string } | null;
  readonly responsibleUser: { id: string; name: string } | null;
  readonly doNotCall: boolean;
  readonly openDeals: { id: string; title: string; amount: number; currency: string; stageName: string }[];
  readonly openTasks: { id: string; title: string; dueAt: string | null }[];
  readonly lastCalls: {
    id: string;
    startedAt: string;
    direction: 'in' | 'out';
    status: string;
    duration: number | null;
  }[];
}

/**
 * Reads the CRM card shown in the ringing popup. Why: telephony shows CRM data without knowing the CRM's tables.
 */
export interface CrmCardReader {
  /** The card of a contact (its last calls without `excludeCallId`, the call ringing), null when it is gone. */
  cardOf(contactId: string, options?: { readonly excludeCallId?: string }): Promise<ContactCard | null>;
}

/**
 * Extension ↔ user, and the user's name. Why: popups go to the users behind the extensions a call rang, and
 * the routing decision sends a caller to their responsible user's extension.
 */
export interface ExtensionDirectory {
  userOf(extension: string): Promise<string | null>;
  /** The users behind several extensions at once (a call rings a handful): extension → user id. */
  usersOf(extensions: readonly string[]): Promise<ReadonlyMap<string, string>>;
  extensionOf(userId: string): Promise<string | null>;
  /** The user's display name, null for an unknown user. */
  nameOf(userId: string): Promise<string | null>;
}

/** Whether a number is blacklisted. Why: NOTIFY_START refuses blacklisted callers (`redirect: "blacklist"`). */
export interface Blacklist {
  /** The entry (the number or a prefix of it) blocking `e164` at `at`, null when none. */
  matchCaller(e164: string, at: string): Promise<string | null>;
}

/** The caller's open deal as routing and the caller name need it. */
export interface CallerDeal {
  readonly id: string;
  readonly responsibleUserId: string | null;
  readonly stageName: string;
  readonly amount: number;
}

/**
 * What the routing chain and the caller name read about a caller beyond their contact, each one indexed query
 * (deals and leads by contact, calls by contact and by number). Why: NOTIFY_START must answer within its budget.
 */
export interface CallerHistory {
  /** The contact's most recently updated deal in an open stage, null when none. */
  openDealOf(contactId: string): Promise<CallerDeal | null>;
  /** The contact's most recently updated lead not yet converted or lost, null when none. */
  openLeadOf(
    contactId: string,
  ): Promise<{ readonly id: string; readonly responsibleUserId: string | null } | null>;
  /** The agent of the contact's latest answered call started at or after `since`, null when none. */
  lastAgentOf(contactId: string, since: string): Promise<string | null>;
  /** Inbound calls from this number (no contact linked) started at or after `since` that nobody answered. */
  missedFrom(e164: string, since: string): Promise<number>;
}

/**
 * The extensions' registration state as last seen (Zadarma's `/v1/pbx/internal/{ext}/status/`, refreshed in the
 * background, and the PBX's own events). Why: the routing chain skips an offline extension without a network
 * call on the reply's path.
 */
export interface ExtensionPresence {
  /** True/false as last seen; null when never seen. */
  online(extension: string): boolean | null;
  /** An extension answered a call (NOTIFY_ANSWER `internal`): its phone is registered now. */
  noteAnswered(extension: string): void;
}

/**
 * Where use cases publish events: the platform's port (platform/events), the bus itself or a unit of work's
 * staging publisher that delivers only after its commit. Why: a handler need not know whether it runs inside
 * a transaction.
 */
export type { EventPublisher } from '../../platform/events/event-bus.js';

/** The switches and secrets the webhook path reads on every request (cached by the adapter). */
export interface WebhookSettings {
  readonly apiSecret: string | null;
  /** The secret before a planned rotation, while its grace lasts. */
  readonly previousSecret: string | null;
  readonly ipAllowList: {
    readonly enabled: boolean;
    readonly cidrs: readonly string[];
    readonly trustedProxies: readonly string[];
  };
  readonly features: {
    readonly routeToResponsible: boolean;
    readonly callerName: boolean;
    readonly blacklist: boolean;
    /** After the call (issue 12): an ended call's follow-up is queued while either is on (absent: off). */
    readonly autoCreate?: boolean;
    readonly missedCallTasks?: boolean;
  };
  readonly returnTimeout: number;
  readonly defaultResponsibleUserId: string | null;
  readonly routing: RoutingSettings;
  readonly callerNameFormat: CallerNameFormat;
  readonly blacklistAction: 'busy' | 'hangup';
}

/**
 * The telephony and company settings the webhook path reads. Why: verification, routing and processing read
 * them on every notification, from a cache the adapter keeps coherent (never a query per webhook).
 */
export interface TelephonySettingsReader {
  webhookSettings(): Promise<WebhookSettings>;
  /** The company's default country (phone normalisation). */
  defaultCountry(): Promise<string>;
  /** The account timezone label (`UTC+3`) Zadarma's `call_start` is written in; `UTC+0` until known. */
  timezone(): Promise<string>;
  /** Counts a webhook verified with the previous secret (shown on the settings page). */
  notePreviousSecretUse(): void;
}

/** A pending click-to-call request a callback's legs belong to. */
export interface CallbackRequest {
  readonly requestId: string;
  readonly userId: string;
  readonly extension: string;
  /** E.164. */
  readonly to: string;
  readonly contactId: string | null;
  /** ISO instant of the click. */
  readonly at: string;
}

/**
 * Matches a callback call to the click-to-call request that started it (Zadarma returns no call id, docs/zadarma-protocol.md
 * §4.2). Why: `callback.status` goes to the user who clicked, on any instance.
 */
interface CallbackMatcher {
  match(input: {
    readonly pbxCallId: string;
    readonly extension: string | null;
    readonly destinationE164: string | null;
    readonly firstSeenAt: string;
  }): Promise<CallbackRequest | null>;
}

/** One item of a contact's timeline for a finished call (replacing the call's previous item). */
export interface CallTimelineItem {
  readonly callId: string;
  readonly contactId: string;
  readonly actorId: string | null;
  readonly at: string;
  readonly title: string;
  readonly event: { readonly type: string; readonly params: Readonly<Record<string, string | number>> };
  readonly payload: unknown;
}

/** A routing decision on the call's trace. */
export interface RoutingTraceItem {
  readonly callId: string;
  readonly at: string;
  /** The decision in English (logs, the item's body). */
  readonly reason: string;
  readonly reply: unknown;
  /** Each step taken or skipped, as a code and parameters the web renders in the user's language. */
  readonly trace: readonly RoutingTraceStep[];
}

/**
 * What a user did on a call from its card (issue 13), on the call's trace: a kind code and its parameters, never
 * pre-rendered English (the web phrases it in the reader's language). `call.outcome` {outcome},
 * `call.linked` {contactId, name}.
 */
export interface CallTraceItem {
  readonly callId: string;
  readonly at: string;
  readonly actorId: string | null;
  readonly kind: string;
  readonly params: Readonly<Record<string, string | number>>;
}

/**
 * Writes what a call leaves on the CRM's timeline. Why: the contact page shows every call once, with its
 * outcome, and the call's trace says what NOTIFY_START decided and why.
 */
export interface CallTimeline {
  /** Writes (or rewrites) the call's item on its contact's timeline. */
  putCall(item: CallTimelineItem): Promise<void>;
  recordRoutingDecision(item: RoutingTraceItem): Promise<void>;
  /** Puts what a user did on the call from its card on the call's trace. */
  recordCallTrace(item: CallTraceItem): Promise<void>;
  /** Puts an after-call decision (a task opened or closed, a record created…) on the call's trace. */
  recordDecision(item: CallDecision): Promise<void>;
}

/**
 * A decision on the call's trace: a kind code and its parameters, never pre-rendered text.
 * Why: the web phrases it in the reader's language ("task closed — client answered our call at 14:03").
 */
export interface CallDecision {
  readonly callId: string;
  readonly at: string;
  /** e.g. `callback.task_opened`, `callback.task_closed`, `new_caller.created`. */
  readonly code: string;
  readonly params: Readonly<Record<string, string | number>>;
}

/** What processing one notification uses: every port bound to the unit of work it runs in. */
export interface CallProcessingPorts {
  readonly calls: CallRepository;
  readonly inbox: Pick<InboxRepository, 'markProcessed' | 'markFailed'>;
  readonly contacts: ContactLookup;
  readonly cards: CrmCardReader;
  readonly directory: ExtensionDirectory;
  readonly callbacks: CallbackMatcher;
  readonly timeline: CallTimeline;
  readonly publisher: EventPublisher;
  /** Where a call refused by the blacklist is counted (absent: not counted). */
  readonly blacklist?: Pick<BlacklistRepository, 'countBlocked'>;
  /** Queues the after-call work of an ended call inside the unit of work; absent: no after-call automation. */
  readonly afterCall?: AfterCallScheduler;
  /** NOTIFY_RECORD: the recording is registered and its fetch enqueued in the batch's transaction. */
  readonly recordings: RecordingNotices;
}

/**
 * Runs work atomically: `run(work)` hands `work` the ports bound to one transaction, commits, and only then
 * delivers the events `work` published; on a throw nothing is kept and nothing is told. While another process
 * holds the database's write lock it waits and runs `work` again (never a failure for someone else's lock).
 * Why: a batch of notifications is one commit, and the use case does not open a transaction itself.
 */
export interface UnitOfWork<Ports> {
  run<T>(work: (ports: Ports) => Promise<T>): Promise<T>;
  /**
   * Waits event-loop turns while `size()` still grows (never past `enough`). Why: a group commit takes in what
   * the sockets are delivering under load, and starts at once on a quiet server.
   */
  gather(size: () => number, enough: number): Promise<void>;
}

/** Parameters of a claim of stranded inbox entries (see `InboxClaims`). */
interface ClaimStrandedQuery {
  /** Entries of instances whose heartbeat is older than this are stranded. */
  readonly leaseExpiredBefore: string;
  /** Entries owned by nobody and received before this are stranded. */
  readonly receivedBefore: string;
  readonly limit: number;
}

/**
 * Takes over the inbox entries a dead instance (or a previous run) accepted but did not process.
 * Why: the inbox is the durable copy; any live instance must finish what a stopped one acknowledged.
 */
export interface InboxClaims {
  /** This instance's id (the owner stamped on the entries it receives). */
  readonly instanceId: string;
  /** Renews this instance's heartbeat. */
  beat(at: string): Promise<void>;
  /** Claims, atomically and oldest first, stranded `received` entries for this instance. */
  claim(query: ClaimStrandedQuery): Promise<InboxEntry[]>;
  /** How long an instance stays alive without a heartbeat. */
  readonly leaseMs: number;
}

/**
 * What the provider's notifications mean in the domain: Zadarma's verified wire events → `CallEvent`s, and
 * whether one is fresh. Why: the only code that knows Zadarma's field names is its adapter (adapters/zadarma).
 */
export interface ProviderEvents {
  /** The domain event of a call notification, null for events that are not about a call's progress. */
  toCallEvent(
    event: TWebhookEvent,
    context: { readonly timezone: string; readonly receivedAt: string },
  ): CallEvent | null;
  /** Whether the notification's signed `call_start` is within the window (domain/call-freshness.ts) at `now`. */
  freshness(
    event: TWebhookEvent,
    timezone: string,
    now: number,
    window: { readonly maxAgeMs?: number; readonly maxSkewMs?: number },
  ): Freshness;
}

// ── After the call (issue 12, items 6 and 9): what runs off the webhook path, in the after-call job.

/**
 * Queues the follow-up of an ended call in the batch's own transaction: one indexed insert, the job exists only
 * if the batch commits, and at most once per call. Why: creating tasks and records must never delay the webhook path.
 */
export interface AfterCallScheduler {
  schedule(callId: string): Promise<void>;
}

/** The switches and settings the after-call job reads. */
export interface AfterCallSettings {
  readonly missedCallTasks: boolean;
  readonly autoCreate: boolean;
  readonly defaultResponsibleUserId: string | null;
  readonly missedCallDueMinutes: number;
  readonly newCallerRules: readonly NewCallerRule[];
  readonly defaultCountry: string;
}

export interface AfterCallSettingsReader {
  read(): Promise<AfterCallSettings>;
}

/** What the CRM knows of a client number: its contact and who is responsible along the owner chain. */
export interface ClientOwners {
  readonly contactId: string | null;
  readonly contactName: string | null;
  /** Responsible of the contact's most recent open deal. */
  readonly dealOwnerId: string | null;
  /** Responsible of the contact's most recent open lead (new, contacted or qualified). */
  readonly leadOwnerId: string | null;
  readonly contactOwnerId: string | null;
}

/** Reads the CRM for the after-call job. Why: telephony decides who calls back without knowing CRM tables. */
export interface ClientDirectory {
  ownersOf(e164: string): Promise<ClientOwners>;
  /** The user's name and language, null for an unknown or disabled user. */
  userOf(userId: string): Promise<{ readonly name: string; readonly locale: 'en' | 'fr' | 'ru' } | null>;
  /** Whether the number is one of ours (a DID our calls use): never a new caller. */
  isOwnNumber(e164: string): Promise<boolean>;
}

/** A client's open missed-call loop: one callback task counting the missed calls. */
export interface CallbackLoop {
  readonly clientE164: string;
  readonly taskId: string;
  readonly missedCalls: number;
  readonly firstCallId: string;
  readonly lastCallId: string;
  readonly firstMissedAt: string;
  readonly dueAt: string;
  readonly assigneeId: string | null;
  readonly escalatedAt: string | null;
}

interface CountMissedCallInput {
  readonly callId: string;
  readonly clientE164: string;
  readonly at: string;
  /** For a new loop: the task's due time, assignee, subject and title. */
  readonly dueAt: string;
  readonly assigneeId: string | null;
  readonly contactId: string | null;
  /** The task's title for a count of missed calls (the task is retitled as the count grows). */
  readonly title: (missedCalls: number) => string;
  readonly actor: Actor;
}

/**
 * The missed-call loops and their tasks (created and changed through the CRM's task use cases, as the system).
 * Why one port: counting a call, creating the task and the "one open task per client" key are one transaction.
 */
export interface CallbackLoops {
  /**
   * Counts a missed call into the client's open loop, or opens one with a new task (a loop whose task a person
   * closed or deleted is finished first). Atomic and race-safe: two calls at once give one task counting both;
   * a call counted before (a retried job) changes nothing (`counted: false`).
   */
  countMissedCall(
    input: CountMissedCallInput,
  ): Promise<{ loop: CallbackLoop; opened: boolean; counted: boolean }>;
  /** The client's open loop, null when none (or its task is no longer open). */
  openFor(clientE164: string): Promise<CallbackLoop | null>;
  /** Closes the loop of `taskId`: the task done, the loop gone. False when it was already closed. */
  close(input: {
    readonly clientE164: string;
    readonly taskId: string;
    readonly at: string;
    readonly actor: Actor;
  }): Promise<boolean>;
  /** Hands the loop's open task to `toUserId`, once. False when closed or already escalated. */
  escalate(input: {
    readonly clientE164: string;
    readonly taskId: string;
    readonly toUserId: string;
    readonly title: string;
    readonly at: string;
    readonly actor: Actor;
  }): Promise<boolean>;
}

/** A number in the new-callers inbox (or decided about). */
export interface NewCaller {
  readonly clientE164: string;
  readonly status: 'pending' | 'created' | 'accepted' | 'merged' | 'declined';
  readonly calls: number;
  readonly shortCalls: number;
  readonly firstCallId: string;
  readonly lastCallId: string;
  readonly lastDirection: 'inbound' | 'outbound';
  readonly lastStatus: string;
  readonly agentUserId: string | null;
  readonly recordType: 'contact' | 'lead' | 'deal' | null;
  readonly recordId: string | null;
  readonly firstCallAt: string;
  readonly lastCallAt: string;
}

/** What to create for a new number, and for whom. */
export interface NewCallerRecordRequest {
  readonly clientE164: string;
  readonly kind: 'contact' | 'lead' | 'deal';
  readonly pipelineId: string | null;
  readonly stageId: string | null;
  readonly ownerId: string | null;
  readonly at: string;
  readonly actor: Actor;
}

/**
 * The new callers (issue 12, item 6): every number counted once per call, and the one claim that turns a number
 * into a record. Records are created through the CRM's own use cases, as the system actor.
 */
export interface NewCallers {
  /** Counts the call for its number (pending when new); a call counted before changes nothing. */
  noteCall(input: {
    readonly callId: string;
    readonly clientE164: string;
    readonly at: string;
    readonly direction: 'inbound' | 'outbound';
    readonly status: string;
    readonly short: boolean;
    readonly agentUserId: string | null;
  }): Promise<{ caller: NewCaller; counted: boolean }>;
  /**
   * Claims a pending number and creates its record (a contact named from the number; a lead or deal with it),
   * in one transaction; null when the number is no longer pending (another call or a person decided first).
   */
  createRecord(
    request: NewCallerRecordRequest,
  ): Promise<{ type: 'contact' | 'lead' | 'deal'; id: string } | null>;
}

/** The after-call settings an admin edits beside the two switches. */
export interface AfterCallOptions {
  readonly missedCallDueMinutes: number;
  readonly newCallerRules: NewCallerRule[];
}

/** Where the after-call options are stored (the one settings service). */
export interface AfterCallOptionsStore {
  read(): Promise<AfterCallOptions>;
  update(patch: Partial<AfterCallOptions>): Promise<AfterCallOptions>;
}

/** The pipelines and stages a deal rule may name. */
export interface PipelineStages {
  /** Whether `stageId` (when given) is an open stage of `pipelineId` (when given), which exists. */
  exists(pipelineId: string | null, stageId: string | null): Promise<boolean>;
}

/**
 * The new-callers inbox (the Kommo model): people accept a number (a record is created), merge it into an
 * existing contact, or decline it — each once, whoever is first.
 */
export interface NewCallerInbox {
  /** Pending numbers, most recent call first. */
  listPending(limit: number): Promise<NewCaller[]>;
  /** Claims the pending number and creates its record as `actor`; null when it is no longer pending. */
  accept(input: {
    readonly clientE164: string;
    readonly kind: 'contact' | 'lead' | 'deal';
    readonly name: string | null;
    readonly actor: Actor;
    readonly at: string;
  }): Promise<{ type: 'contact' | 'lead' | 'deal'; id: string } | null>;
  /** Claims the pending number and adds it to the contact's phones as `actor`; false when no longer pending. */
  merge(input: {
    readonly clientE164: string;
    readonly contactId: string;
    readonly actor: Actor;
    readonly at: string;
  }): Promise<boolean>;
  /** Declines the pending number (later calls from it are not asked about again); false when not pending. */
  decline(input: {
    readonly clientE164: string;
    readonly actor: Actor;
    readonly at: string;
  }): Promise<boolean>;
}

// ── The recordings vault (issue 11 part B): NOTIFY_RECORD → a fetch job → our copy (or link only) → playback
// through our endpoint, audited.

/**
 * Where a recording's NOTIFY_RECORD goes inside the webhook batch. Why: the recording row and its fetch job exist
 * if and only if the batch commits (idempotent per call and recording).
 */
export interface RecordingNotices {
  recordingReady(input: {
    readonly callId: string;
    readonly pbxCallId: string;
    readonly recordingId: string;
    readonly at: string;
  }): Promise<void>;
}

/** `copy`: the audio is fetched into our `RecordingStore`; `link`: a fresh Zadarma link is asked for at each play. */
export type RecordingMode = 'copy' | 'link';

type RecordingState = 'pending' | 'stored' | 'linked' | 'failed' | 'deleted';

/** One recording of a call, as the vault keeps it. */
export interface CallRecording {
  readonly id: string;
  readonly callId: string | null;
  readonly pbxCallId: string;
  /** Zadarma's recording id (`call_id_with_rec`). */
  readonly recordingId: string;
  readonly status: RecordingState;
  readonly storageKey: string | null;
  readonly sizeBytes: number | null;
  readonly sha256: string | null;
  readonly contentType: string | null;
  readonly legalHold: boolean;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly createdAt: string;
  readonly storedAt: string | null;
}

/** One line of the listening audit. */
interface RecordingAuditEntry {
  readonly at: string;
  readonly userId: string | null;
  readonly callId: string;
  readonly recordingId: string | null;
  readonly action: 'play' | 'download';
  /** `denied`: the user may not hear that call; `missing`: the call has no playable recording. */
  readonly outcome: 'allowed' | 'denied' | 'missing';
}

interface RecordingAuditLine extends RecordingAuditEntry {
  readonly id: string;
  readonly userName: string | null;
}

/** The vault's records: recordings by call, their fetch outcome, the audit. */
export interface RecordingRepository {
  get(id: string): Promise<CallRecording | null>;
  /** The call's most recent recording that is not erased, or null. */
  latestForCall(callId: string): Promise<CallRecording | null>;
  markStored(
    id: string,
    copy: { storageKey: string; sizeBytes: number; sha256: string; contentType: string },
    at: string,
  ): Promise<void>;
  markLinked(id: string, at: string): Promise<void>;
  /** Counts a failed fetch attempt; `final` marks the recording failed (the job gave up). */
  noteFailure(id: string, error: string, final: boolean): Promise<void>;
  audit(entry: RecordingAuditEntry, id: string): Promise<void>;
  /** The recordings (not yet erased) of the calls linked to a contact. */
  listForContact(contactId: string): Promise<readonly CallRecording[]>;
  /** The copies to delete for retention: stored, not on legal hold, older than `before` — oldest first. */
  listExpired(before: string, limit: number): Promise<readonly CallRecording[]>;
  /** The stored copies not on legal hold, oldest first (the size cap deletes from the front). */
  listOldestStored(limit: number): Promise<readonly CallRecording[]>;
  /** Bytes of every stored copy. */
  storedBytes(): Promise<number>;
  /** Our copy is gone (retention); the row stays, Zadarma's file may still exist (then it plays through a link). */
  markCopyDeleted(id: string, at: string): Promise<void>;
  /** Erased everywhere: the row stays as the record that it was erased. */
  markErased(id: string, at: string): Promise<void>;
  setLegalHold(id: string, hold: boolean): Promise<void>;
  /** Whether the same user already has an `allowed` line of this action on this call at or after `since`. */
  auditedSince(
    entry: Pick<RecordingAuditEntry, 'userId' | 'callId' | 'action'>,
    since: string,
  ): Promise<boolean>;
  /** Newest first. */
  listAudit(query: { readonly limit: number; readonly offset: number }): Promise<{
    readonly total: number;
    readonly items: readonly RecordingAuditLine[];
  }>;
}

/** A byte range, both ends included (HTTP `Range: bytes=start-end`). */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/** Audio read back: the bytes of `range` (or all), and the file's whole size. */
interface RecordingAudio {
  readonly body: AsyncIterable<Uint8Array>;
  readonly sizeBytes: number;
  readonly contentType: string;
}

/**
 * Where our copies of the audio live (on disk under DATA_DIR by default). Why a port: an object store can replace
 * the disk without touching the use cases.
 */
export interface RecordingStore {
  /**
   * Stores `body` under `key` all or nothing: written aside and moved into place only when complete (and, when
   * `expectedBytes` is known, exactly that long). Rejects, keeping nothing, on a short or failed body.
   */
  save(
    key: string,
    body: AsyncIterable<Uint8Array>,
    expectedBytes: number | null,
  ): Promise<{ sizeBytes: number; sha256: string }>;
  /** The stored size, or null when there is no such file. */
  size(key: string): Promise<number | null>;
  /** Reads `range` (or the whole file). */
  read(key: string, range: ByteRange | null): AsyncIterable<Uint8Array>;
  /** Deletes the copy; false when there was none. */
  remove(key: string): Promise<boolean>;
}

/** Zadarma's side of a recording: a fresh download link, and the download. */
export interface RecordingSource {
  /** A fresh link for the recording (within the API's rate limit); rejects with the API's error. */
  link(recordingId: string): Promise<string>;
  /** Deletes Zadarma's file (`DELETE /v1/pbx/record/request/`); `absent` when Zadarma has none (already gone). */
  remove(recordingId: string): Promise<'deleted' | 'absent'>;
  /** The recording's transcript as Zadarma has it now (a speech recognition of the recording, if any). */
  transcript(recordingId: string): Promise<TranscriptResult>;
  /** Downloads a link; rejects on an expired link (403) or any non-200. */
  download(link: string): Promise<RecordingAudio & { readonly declaredBytes: number | null }>;
}

/** One phrase of a transcript: who spoke (the recording's channel), when (seconds into the recording), what. */
export interface TranscriptPhrase {
  readonly channel: number;
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

interface CallTranscript {
  readonly recordingId: string;
  readonly callId: string | null;
  readonly lang: string | null;
  readonly phrases: readonly TranscriptPhrase[];
}

/** Zadarma's answer for a recording's transcript (`GET /v1/speech_recognition/`, §4.11). */
type TranscriptResult =
  | {
      readonly status: 'recognized';
      readonly lang: string | null;
      readonly phrases: readonly TranscriptPhrase[];
    }
  | { readonly status: 'in progress' }
  | { readonly status: 'unavailable' };

/** Where transcripts come from and are kept. */
export interface TranscriptRepository {
  save(transcript: CallTranscript, at: string): Promise<void>;
  /** The transcript of the call's latest recording, or null. */
  forCall(callId: string): Promise<CallTranscript | null>;
}

/**
 * Calls whose transcript contains a text: for the call log's search (a filter on `calls.id`).
 * Why a port: the call log's query asks "which calls said this", without knowing how transcripts are stored.
 * @public the call log's search (issue 11 part A) takes it.
 */
export interface CallTranscriptSearch {
  /** Ids of calls whose transcript contains `text` (case-insensitive), at most `limit`, newest first. */
  callIdsSaying(text: string, limit: number): Promise<readonly string[]>;
}

/** The outcomes an agent records after a call (Pipedrive's call logging). */
export const CALL_OUTCOMES = ['connected', 'no_answer', 'left_message', 'wrong_number', 'busy'] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

/** The after-call work recorded on a call. */
export interface CallWrapUp {
  readonly outcome: CallOutcome | null;
  readonly outcomeBy: string | null;
  readonly outcomeAt: string | null;
}

/**
 * What the agent's call workspace reads and writes beyond the call's fold (issue 13): the calls in progress a
 * user's tab restores, the missed calls still to return, and the wrap-up. Everything is derived from the calls
 * table or stored beside it, never held in one instance's memory. Why: a reload or a second tab, on any
 * instance, brings the call back.
 */
export interface CallWorkspaceStore {
  /**
   * Ids of the calls in the user's audience (their extension rang, answered or placed it, or they are its
   * agent) that still ring (started since `ringingSince`) or are in progress (since `inProgressSince`).
   */
  inProgressFor(query: {
    readonly userId: string;
    readonly extension: string | null;
    readonly ringingSince: string;
    readonly inProgressSince: string;
  }): Promise<string[]>;
  /**
   * Ids of the missed inbound calls since `since` that rang the user's extension or whose contact the user is
   * responsible for, not returned (no answered call with the same number after it) nor dismissed; newest first.
   */
  missedFor(query: {
    readonly userId: string;
    readonly extension: string | null;
    readonly since: string;
    readonly limit: number;
  }): Promise<string[]>;
  /** Whether `userId` is responsible for the call's contact. */
  isResponsibleFor(contactId: string, userId: string): Promise<boolean>;
  /** Whether the contact has this number (E.164) among its phones. */
  contactHasNumber(contactId: string, e164: string): Promise<boolean>;
  wrapUpOf(callId: string): Promise<CallWrapUp>;
  setOutcome(callId: string, outcome: CallOutcome | null, userId: string | null, at: string): Promise<void>;
  dismissMissed(callId: string, userId: string | null, at: string): Promise<void>;
}

/**
 * Click-to-call requests awaiting their call (`callback.requested`). Why: Zadarma returns no call id for a
 * callback, so the request is remembered — on every instance — before the PBX is asked, and its legs matched later.
 */
export interface CallbackRequestLog extends CallbackMatcher {
  remember(request: CallbackRequest): Promise<void>;
}

/** Asks the PBX to place calls for the CRM (Zadarma's `/v1/request/callback/`, adapters/zadarma). */
export interface TelephonyProvider {
  /** The dialler of the current credentials; null while telephony is not configured. */
  callbackDialer(): Promise<CallbackDialer | null>;
}

interface CallbackDialer {
  /**
   * Rings `from` (an extension) first, then `to` (E.164). Never retried: a retry would ring twice. Rejects
   * with the catalogue's Zadarma errors (refused, unreachable, balance…).
   */
  requestCallback(request: { readonly from: string; readonly to: string }): Promise<void>;
}

// ── The call read models: what the call log, a call's page and the chart read, and who may read it.

/**
 * Whose calls an actor reads (use-cases/call-visibility.ts decides it; adapters apply it as a query condition):
 * every call, none, or an agent's — the calls they handled and those of contacts they are responsible for.
 */
export type CallReadScope =
  | { readonly kind: 'all' }
  | { readonly kind: 'none' }
  | { readonly kind: 'agent'; readonly userId: string };

/** Whether an actor may read one call. Why: single-call routes and notes on calls answer 404 alike for both. */
export interface CallVisibility {
  canRead(actor: Actor, callId: string): Promise<boolean>;
}

/** The names and notes a list of calls is shown with, read in batches (never a query per call). */
interface CallDetails {
  /** Contact id → display name. */
  readonly contactNames: ReadonlyMap<string, string>;
  /** User id → name. */
  readonly userNames: ReadonlyMap<string, string>;
  /** Call id → the latest note written on the call. */
  readonly notes: ReadonlyMap<string, string>;
}

/** Calls of a scope counted per day and status. */
interface CallCountQuery {
  readonly scope: CallReadScope;
  /**
   * Ascending ISO instants: day `i` runs from `boundaries[i]` (inclusive) to `boundaries[i + 1]` (exclusive);
   * calls outside the first and last boundary are not counted.
   */
  readonly boundaries: readonly string[];
  readonly statuses: readonly string[];
}

export interface CallCount {
  readonly dayIndex: number;
  readonly status: string;
  readonly count: number;
}

/** Reads calls as the API shows them. Why: the call log and the chart read in SQL, the use cases decide. */
export interface CallReadModel {
  detailsOf(calls: readonly StoredCall[]): Promise<CallDetails>;
  /** Counts in the store (one grouped query), only days and statuses that have calls. */
  countByDay(query: CallCountQuery): Promise<CallCount[]>;
}

/** One page of the admin's webhook inbox, newest first. */
export interface InboxPageQuery {
  readonly status?: InboxStatus | undefined;
  readonly event?: string | undefined;
  readonly page: number;
  readonly pageSize: number;
}

/** Browses the webhook inbox for the admin. Why: the list filters and counts, which the hot path never does. */
export interface InboxBrowser {
  page(query: InboxPageQuery): Promise<{ readonly items: InboxEntry[]; readonly total: number }>;
}

/** A position in the call log: the last row's start time and id (keyset paging). */
export interface CallLogCursor {
  readonly startedAt: string;
  readonly id: string;
}

/** What the call log can be filtered by; every field optional, all combined with AND. */
export interface CallLogFilter {
  /** Calls started at or after this instant. */
  readonly from?: string;
  /** Calls started before this instant. */
  readonly to?: string;
  /** The attributed extension (domain/call-attribution.ts). */
  readonly extension?: string;
  /** The linked agent. */
  readonly userId?: string;
  readonly direction?: 'in' | 'out';
  /** An outcome (domain/call-outcome.ts), or `missed`: any missed inbound outcome. */
  readonly outcome?: ZadarmaCallOutcome | 'missed';
  readonly contactId?: string;
  /** The client's number in E.164. */
  readonly clientE164?: string;
  readonly hasRecording?: boolean;
  /** Missed inbound calls with no connected call with the same client after them. */
  readonly notReturned?: boolean;
}

export interface CallLogQuery extends CallLogFilter {
  readonly order: 'newest' | 'oldest';
  /** Rows strictly after this position in `order`. */
  readonly after?: CallLogCursor;
  readonly limit: number;
}

/** An item of a call's trace (decisions taken on the call): a kind code and its parameters, never prose. */
export interface CallTraceEntry {
  readonly at: string;
  readonly type: string;
  readonly params: Readonly<Record<string, string | number>>;
  /** The English line written at the time (logs, older items): shown only when the kind is unknown. */
  readonly text: string | null;
}

/**
 * The call log's reading side. Why a port: the log's paging, filters and the checks behind "missed and not
 * returned" are queries the use cases describe and the adapter answers from its indexes.
 */
export interface CallLogReader {
  /** The calls `reader` may read that match, in `order`, at most `limit`. Calls with no start time are left out. */
  page(reader: Actor, query: CallLogQuery): Promise<StoredCall[]>;
  /** Calls with this client that started after `after`, oldest first, at most `limit`. */
  followUps(clientE164: string, after: string, limit: number): Promise<FollowUpCall[]>;
  /** The call's trace, oldest first. */
  trace(callId: string): Promise<CallTraceEntry[]>;
}

/** Sums of rollup cells over a range of hours, grouped as the query asked. */
interface RollupSums {
  readonly calls: number;
  readonly talkSeconds: number;
  readonly waitSeconds: number;
}

/** A missed inbound call as the statistics classify it: who it is attributed to, and its first return. */
interface MissedCallRow {
  readonly extension: string;
  readonly startedAt: string;
  readonly hasClient: boolean;
  /** The first connected call with the same client after it, if any. */
  readonly firstReturn: {
    readonly startedAt: string;
    readonly direction: 'inbound' | 'outbound' | 'unknown';
  } | null;
}

/** A range of whole UTC hours since the epoch, `[fromHour, toHour)`, and the extensions to count (null: all). */
export interface StatisticsRange {
  readonly fromHour: number;
  readonly toHour: number;
  readonly extensions: readonly string[] | null;
}

/**
 * The statistics' reading side: sums over the rollups (domain/call-rollup.ts), never over the call log, and
 * the missed calls of a period with their first return. Why a port: the use case composes the figures; the
 * adapter answers each question from the table and index made for it.
 */
export interface CallStatisticsReader {
  /** Per extension × direction × outcome. */
  byAgent(
    range: StatisticsRange,
  ): Promise<(RollupSums & { extension: string; direction: 'in' | 'out'; outcome: string })[]>;
  /** Per hour × direction × outcome (for days, the heatmap and trends in the reader's time zone). */
  byHour(
    range: StatisticsRange,
  ): Promise<(RollupSums & { hour: number; direction: 'in' | 'out'; outcome: string })[]>;
  /** The missed inbound calls started in the range. */
  missedCalls(range: StatisticsRange): Promise<MissedCallRow[]>;
}
