/**
 * The telephony settings as the settings page and the runtime see them: `telephony_settings` (credentials,
 * secret sealed, timezone, return timeout) merged with `telephony_options` (base URL, IP allow-list, default
 * responsible, click-to-call mode, feature switches, webhook registration). Feature switches are off by
 * default (issue 5); they are mirrored into `telephony_settings` so its repository agrees once written.
 * Every write increments `telephony_options.version`, which every instance polls (issue 9: a change made through
 * one instance reaches the others); a planned secret rotation keeps the previous secret, sealed, for a grace.
 */
import { ZADARMA_BASE_URL } from '@switchboard/zadarma';
import type { Kysely, Selectable } from 'kysely';
import type { SecretBox } from '../../../crypto/secret-box.js';
import type { TelephonyOptionsTable } from '../../../db/schema/telephony-options.js';
import type { Database } from '../../../db/schema.js';
import { createTelephonySettingsRepository } from '../telephony-settings-repository.js';

const ROW_ID = 1;

/**
 * How long the previous API secret is still accepted after a planned rotation. Why: Zadarma may still sign
 * notifications of calls in progress (and its retries) with the old secret for a few minutes.
 */
export const PREVIOUS_SECRET_GRACE_MS = 10 * 60 * 1000;

export interface TelephonyFeatures {
  readonly autoCreate: boolean;
  readonly routeToResponsible: boolean;
  readonly callerName: boolean;
  readonly missedCallTasks: boolean;
  readonly blacklist: boolean;
}

export interface IpAllowList {
  readonly enabled: boolean;
  readonly cidrs: readonly string[];
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

export interface PreviousSecretGrace {
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
  readonly ipAllowList: IpAllowList;
  readonly defaultResponsibleUserId: string | null;
  readonly predictedCallback: boolean;
  readonly features: TelephonyFeatures;
  readonly webhookRegisteredAt: string | null;
  /** The secret replaced by the last planned rotation (decrypted), or null; valid until `previousSecretUntil`. */
  readonly previousSecret: string | null;
  readonly previousSecretUntil: string | null;
  readonly previousSecretUses: number;
  /** Incremented by every write: the cheap "did anything change" every instance polls. */
  readonly version: number;
}

export interface StoredTelephonySettingsPatch {
  readonly apiKey?: string | null;
  readonly apiSecret?: string | null;
  readonly apiBaseUrl?: string | null;
  readonly timezone?: string;
  readonly returnTimeout?: number;
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

export const DEFAULT_FEATURES: TelephonyFeatures = Object.freeze({
  autoCreate: false,
  routeToResponsible: false,
  callerName: false,
  missedCallTasks: false,
  blacklist: false,
});

const DEFAULT_OPTIONS = {
  apiBaseUrl: null,
  ipAllowList: { enabled: false, cidrs: [] as string[], trustedProxies: [] as string[] },
  defaultResponsibleUserId: null,
  predictedCallback: false,
  features: DEFAULT_FEATURES,
  webhookRegisteredAt: null,
  previousSecretSealed: null,
  previousSecretUntil: null,
  previousSecretUses: 0,
  version: 0,
} as const;

function parseList(text: string): string[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

function fromOptionsRow(row: Selectable<TelephonyOptionsTable> | undefined) {
  if (!row) {
    return DEFAULT_OPTIONS;
  }
  return {
    apiBaseUrl: row.api_base_url,
    ipAllowList: {
      enabled: row.ip_allow_enabled === 1,
      cidrs: parseList(row.ip_allow_cidrs),
      trustedProxies: parseList(row.trusted_proxies),
    },
    defaultResponsibleUserId: row.default_responsible_user_id,
    predictedCallback: row.predicted_callback === 1,
    features: {
      autoCreate: row.auto_create === 1,
      routeToResponsible: row.route_to_responsible === 1,
      callerName: row.caller_name === 1,
      missedCallTasks: row.missed_call_tasks === 1,
      blacklist: row.blacklist === 1,
    },
    webhookRegisteredAt: row.webhook_registered_at,
    previousSecretSealed: row.previous_secret_sealed,
    previousSecretUntil: row.previous_secret_until,
    previousSecretUses: row.previous_secret_uses,
    version: row.version,
  };
}

/** Reads the stored settings, secret decrypted. Why: one read for the runtime and the settings routes. */
export async function readStoredTelephonySettings(
  db: Kysely<Database>,
  box: SecretBox,
): Promise<StoredTelephonySettings> {
  const base = await createTelephonySettingsRepository(db, box).read();
  const options = await db
    .selectFrom('telephony_options')
    .selectAll()
    .where('id', '=', ROW_ID)
    .executeTakeFirst();
  const { previousSecretSealed, ...rest } = fromOptionsRow(options);
  return {
    apiKey: base.apiKey,
    apiSecret: base.apiSecret,
    timezone: base.timezone,
    returnTimeout: base.returnTimeout,
    ...rest,
    previousSecret: previousSecretSealed === null ? null : box.open(previousSecretSealed),
  };
}

/**
 * The settings version (incremented by every write), 0 before the first. Why: one indexed single-row read that
 * every instance can afford once a second to learn that another instance changed the settings.
 */
export async function readTelephonySettingsVersion(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('telephony_options')
    .select('version')
    .where('id', '=', ROW_ID)
    .executeTakeFirst();
  return row?.version ?? 0;
}

/**
 * Adds `count` webhooks verified with the previous secret. Why: batched by the runtime off the hot path, and
 * not a settings change (the version stays), so no instance reloads for it.
 */
export async function addPreviousSecretUses(db: Kysely<Database>, count: number): Promise<void> {
  await db
    .updateTable('telephony_options')
    .set((eb) => ({ previous_secret_uses: eb('previous_secret_uses', '+', count) }))
    .where('id', '=', ROW_ID)
    .where('previous_secret_sealed', 'is not', null)
    .execute();
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
 * Applies a partial change to both rows and returns the result.
 * Why: the settings page, demo seeding and webhook registration all write through one validated path.
 */
export async function updateStoredTelephonySettings(
  db: Kysely<Database>,
  box: SecretBox,
  patch: StoredTelephonySettingsPatch,
  now: string = new Date().toISOString(),
): Promise<StoredTelephonySettings> {
  const current = await readStoredTelephonySettings(db, box);
  const features = { ...current.features, ...patch.features };
  const ipAllowList = { ...current.ipAllowList, ...patch.ipAllowList };
  const previous = previousAfter(current, patch, now);
  const { secretLeaked: _leaked, ...values } = patch;
  const next: StoredTelephonySettings = {
    ...current,
    ...Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)),
    features,
    ipAllowList,
    previousSecret: previous.secret,
    previousSecretUntil: previous.until,
    previousSecretUses: previous.uses,
    version: current.version + 1,
  };
  await createTelephonySettingsRepository(db, box).update(
    {
      apiKey: next.apiKey,
      apiSecret: next.apiSecret,
      timezone: next.timezone,
      returnTimeout: next.returnTimeout,
      routeToResponsible: features.routeToResponsible,
      callerName: features.callerName,
      blacklistEnabled: features.blacklist,
    },
    now,
  );
  const row: Selectable<TelephonyOptionsTable> = {
    id: ROW_ID,
    api_base_url: next.apiBaseUrl,
    ip_allow_enabled: ipAllowList.enabled ? 1 : 0,
    ip_allow_cidrs: JSON.stringify(ipAllowList.cidrs),
    trusted_proxies: JSON.stringify(ipAllowList.trustedProxies),
    default_responsible_user_id: next.defaultResponsibleUserId,
    predicted_callback: next.predictedCallback ? 1 : 0,
    auto_create: features.autoCreate ? 1 : 0,
    route_to_responsible: features.routeToResponsible ? 1 : 0,
    caller_name: features.callerName ? 1 : 0,
    missed_call_tasks: features.missedCallTasks ? 1 : 0,
    blacklist: features.blacklist ? 1 : 0,
    webhook_registered_at: next.webhookRegisteredAt,
    updated_at: now,
    version: 1,
    previous_secret_sealed: previous.secret === null ? null : box.seal(previous.secret),
    previous_secret_until: previous.until,
    previous_secret_uses: previous.uses,
  };
  const { id: _id, version: _version, previous_secret_uses: uses, ...changes } = row;
  await db
    .insertInto('telephony_options')
    .values(row)
    .onConflict((oc) =>
      oc.column('id').doUpdateSet((eb) => ({
        ...changes,
        // Incremented in the database, not read-modify-written: two instances writing at once still both
        // bump it, so every other instance notices.
        version: eb(eb.ref('telephony_options.version'), '+', 1),
        // Only a rotation resets the count; otherwise concurrent additions are kept.
        ...(previous.uses === 0 && previous.secret !== current.previousSecret
          ? { previous_secret_uses: uses }
          : {}),
      })),
    )
    .execute();
  return next;
}

/** `••••••3f9a`: enough for an admin to recognise the secret, never enough to use it. */
export function secretHint(secret: string | null): string | null {
  if (!secret) {
    return null;
  }
  return `••••••${secret.length > 8 ? secret.slice(-4) : ''}`;
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
  context: { mode: 'demo' | 'live'; publicBaseUrl: string; webhook: WebhookStatus; now?: number },
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
      trustedProxies: [...stored.ipAllowList.trustedProxies],
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
