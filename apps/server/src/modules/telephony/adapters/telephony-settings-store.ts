/**
 * The telephony settings as the settings page and the runtime see them, over their definitions
 * (platform/settings/setting-definitions.ts): rows of the one `settings` table since migration 0009 folded
 * `telephony_settings` and `telephony_options` into it — the secret sealed, feature switches off by default,
 * every write one transaction with the settings version every instance polls (issue 9); a planned secret
 * rotation keeps the previous secret, sealed, for a grace. Trusted proxies are not here: `TRUST_PROXY` only.
 */
import { ZADARMA_BASE_URL } from '@switchboard/zadarma';
import type { Kysely } from 'kysely';
import type { SecretBox } from '../../../platform/crypto/secret-box.js';
import type { Database } from '../../../platform/db/schema.js';
import {
  TELEPHONY_SETTINGS,
  type TelephonySettingValues,
} from '../../../platform/settings/setting-definitions.js';
import { sensitiveHint } from '../../../platform/settings/settings-service.js';
import { readSettingValues } from '../../../platform/settings/settings-storage.js';

/**
 * How long the previous API secret is still accepted after a planned rotation. Why: Zadarma may still sign
 * notifications of calls in progress (and its retries) with the old secret for a few minutes.
 */
export const PREVIOUS_SECRET_GRACE_MS = 10 * 60 * 1000;

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

/** The allow-list as shown and applied: with the trusted proxies of `TRUST_PROXY` (config.ts), read-only. */
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

/** The stored settings of definition values. Why: the runtime's cache and the uncached reads share one mapping. */
export function storedFromValues(values: TelephonySettingValues): StoredTelephonySettings {
  return {
    apiKey: values.apiKey,
    apiSecret: values.apiSecret,
    apiBaseUrl: values.apiBaseUrl,
    timezone: values.timezone,
    returnTimeout: values.returnTimeout,
    ipAllowList: { enabled: values.ipAllowEnabled, cidrs: values.ipAllowCidrs },
    defaultResponsibleUserId: values.defaultResponsibleUserId,
    predictedCallback: values.predictedCallback,
    features: {
      autoCreate: values.autoCreate,
      routeToResponsible: values.routeToResponsible,
      callerName: values.callerName,
      missedCallTasks: values.missedCallTasks,
      blacklist: values.blacklist,
    },
    webhookRegisteredAt: values.webhookRegisteredAt,
    legacyTrustedProxies: values.legacyTrustedProxies,
    previousSecret: values.previousSecret,
    previousSecretUntil: values.previousSecretUntil,
    previousSecretUses: values.previousSecretUses,
  };
}

/** Reads the stored settings, secret decrypted, uncached. Why: tools and tests that need no runtime. */
export async function readStoredTelephonySettings(
  db: Kysely<Database>,
  box: SecretBox,
): Promise<StoredTelephonySettings> {
  return storedFromValues(await readSettingValues(db, box, TELEPHONY_SETTINGS));
}

/** The previous secret after `patch`: kept through a planned rotation, dropped when the admin says it leaked. */
function previousAfter(
  current: StoredTelephonySettings,
  patch: StoredTelephonySettingsPatch,
  now: string,
): { secret: string | null; until: string | null; uses: number } {
  const kept = {
    secret: current.previousSecret,
    until: current.previousSecretUntil,
    uses: current.previousSecretUses,
  };
  if (patch.secretLeaked) {
    return { secret: null, until: null, uses: 0 };
  }
  const nextSecret = patch.apiSecret === undefined ? current.apiSecret : patch.apiSecret;
  if (nextSecret === current.apiSecret) {
    return kept;
  }
  if (!current.apiSecret || !nextSecret) {
    // A first secret has no predecessor; a cleared one turns telephony off, grace included.
    return { secret: null, until: null, uses: 0 };
  }
  const until = new Date((Date.parse(now) || Date.now()) + PREVIOUS_SECRET_GRACE_MS).toISOString();
  return { secret: current.apiSecret, until, uses: 0 };
}

/**
 * The definition values a patch changes, given what is stored at that instant.
 * Why: the settings service runs it inside its write transaction, so a rotation reads the secret it replaces.
 */
export function telephonyChange(
  currentValues: TelephonySettingValues,
  patch: StoredTelephonySettingsPatch,
  now: string,
): Partial<TelephonySettingValues> {
  const current = storedFromValues(currentValues);
  const previous = previousAfter(current, patch, now);
  const change: { -readonly [K in keyof TelephonySettingValues]?: TelephonySettingValues[K] } = {
    apiKey: patch.apiKey,
    apiSecret: patch.apiSecret,
    apiBaseUrl: patch.apiBaseUrl,
    timezone: patch.timezone,
    returnTimeout: patch.returnTimeout,
    ipAllowEnabled: patch.ipAllowList?.enabled,
    ipAllowCidrs: patch.ipAllowList?.cidrs ? [...patch.ipAllowList.cidrs] : undefined,
    defaultResponsibleUserId: patch.defaultResponsibleUserId,
    predictedCallback: patch.predictedCallback,
    autoCreate: patch.features?.autoCreate,
    routeToResponsible: patch.features?.routeToResponsible,
    callerName: patch.features?.callerName,
    missedCallTasks: patch.features?.missedCallTasks,
    blacklist: patch.features?.blacklist,
    webhookRegisteredAt: patch.webhookRegisteredAt,
  };
  if (previous.secret !== current.previousSecret || previous.until !== current.previousSecretUntil) {
    change.previousSecret = previous.secret;
    change.previousSecretUntil = previous.until;
    // Only a rotation resets the count; otherwise uses added meanwhile by other instances are kept.
    change.previousSecretUses = previous.uses;
  }
  return change;
}

/** `••••••3f9a`: enough for an admin to recognise the secret, never enough to use it. */
function secretHint(secret: string | null): string | null {
  return sensitiveHint(secret);
}

/** Latest accepted and rejected webhook arrivals and the last error, from the inbox. */
export async function readWebhookStatus(
  db: Kysely<Database>,
  registeredAt: string | null,
): Promise<WebhookStatus> {
  const [accepted, rejected, failed] = await Promise.all([
    db
      .selectFrom('webhook_inbox')
      .select('received_at')
      .where('status', '!=', 'rejected')
      .orderBy('received_at', 'desc')
      .limit(1)
      .executeTakeFirst(),
    db
      .selectFrom('webhook_inbox')
      .select('received_at')
      .where('status', '=', 'rejected')
      .orderBy('received_at', 'desc')
      .limit(1)
      .executeTakeFirst(),
    db
      .selectFrom('webhook_inbox')
      .select('error')
      .where('error', 'is not', null)
      .orderBy('received_at', 'desc')
      .limit(1)
      .executeTakeFirst(),
  ]);
  return {
    lastEventAt: accepted?.received_at ?? null,
    lastRejectedAt: rejected?.received_at ?? null,
    lastError: failed?.error ?? null,
    registeredAt,
  };
}

/** The previous secret if it is still accepted at `now` (ms), else null. Why: expiry needs no write. */
export function validPreviousSecret(stored: StoredTelephonySettings, now: number): string | null {
  if (!stored.previousSecret || !stored.previousSecretUntil) {
    return null;
  }
  return Date.parse(stored.previousSecretUntil) > now ? stored.previousSecret : null;
}

/** Builds the public view of stored settings. Why: the one place that decides what may leave the server. */
export function toSettingsView(
  stored: StoredTelephonySettings,
  context: {
    mode: 'demo' | 'live';
    publicBaseUrl: string;
    webhook: WebhookStatus;
    /** `TRUST_PROXY` (config.ts): the one source of trusted proxies, shown read-only. */
    trustedProxies: readonly string[];
    now?: number;
  },
): TelephonySettingsView {
  const previous = validPreviousSecret(stored, context.now ?? Date.now());
  return {
    mode: context.mode,
    configured: Boolean(stored.apiKey && stored.apiSecret),
    apiKey: stored.apiKey,
    secretSet: stored.apiSecret !== null && stored.apiSecret !== '',
    secretHint: secretHint(stored.apiSecret),
    apiBaseUrl: stored.apiBaseUrl ?? ZADARMA_BASE_URL,
    webhookUrl: `${context.publicBaseUrl.replace(/\/+$/, '')}/zadarma`,
    webhook: context.webhook,
    ipAllowList: {
      enabled: stored.ipAllowList.enabled,
      cidrs: [...stored.ipAllowList.cidrs],
      trustedProxies: [...context.trustedProxies],
    },
    defaultResponsibleUserId: stored.defaultResponsibleUserId,
    predictedCallback: stored.predictedCallback,
    returnTimeout: stored.returnTimeout,
    features: { ...stored.features },
    previousSecretGrace:
      previous === null
        ? null
        : {
            hint: secretHint(previous),
            acceptedUntil: new Date(Date.parse(stored.previousSecretUntil as string)).toISOString(),
            uses: stored.previousSecretUses,
          },
  };
}
