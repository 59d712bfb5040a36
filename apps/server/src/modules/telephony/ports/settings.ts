/** Telephony settings, extension assignments, the blacklist store and the deployment. (Part of the telephony ports; import them from `../ports.js`.) */
import type { ZadarmaClient } from '@switchboard/zadarma';
import type { CallerNameFormat } from '../domain/caller-name-template.js';
import type { RoutingStepSetting } from '../domain/routing-policy.js';
import type { WorkingHours } from '../domain/working-hours.js';

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
  /**
   * The account's timezone label (`UTC+3`) call times are read in; null while Zadarma has not told it (the stored
   * label is still the default, read as UTC+0) or did not answer when these credentials were saved.
   */
  readonly timezone: string | null;
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
  /** When Zadarma last told `timezone`; null while it never has (the label is then the default, UTC+0). */
  readonly timezoneLearnedAt: string | null;
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
  /** Another key than the stored one (another account) also forgets the timezone: default label, unconfirmed. */
  readonly apiKey?: string | null;
  readonly apiSecret?: string | null;
  readonly apiBaseUrl?: string | null;
  /** The label Zadarma told: stored with the write's time as `timezoneLearnedAt`, even when the label is the same. */
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
