/**
 * The telephony ports: what use cases need from storage, as interfaces. Kysely adapters live beside the feature
 * (`../*-repository.ts`); use cases and tests depend on these types only.
 */
import type { ZadarmaClient } from '@switchboard/zadarma';
import type { CallEvent } from './domain/call-event.js';
import type { CallRecord } from './domain/fold-call.js';

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
  readonly e164: string;
  readonly reason: string;
  readonly createdBy: string | null;
  readonly createdAt: string;
}

export interface BlacklistRepository {
  /** Adds the number, or returns the existing entry unchanged when it is already listed. */
  add(
    entry: { e164: string; reason?: string; createdBy?: string | null },
    now?: string,
  ): Promise<BlacklistEntry>;
  remove(e164: string): Promise<boolean>;
  /** Removes the entry with this id; resolves false when there is none. */
  removeById(id: string): Promise<boolean>;
  isBlacklisted(e164: string): Promise<boolean>;
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
export interface TelephonySettingsView {
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

/** What is stored, with the secret decrypted (server-side only). */
export interface StoredTelephonySettings {
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
