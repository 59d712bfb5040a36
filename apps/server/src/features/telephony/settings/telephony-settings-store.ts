/**
 * The telephony settings as the settings page and the runtime see them: `telephony_settings` (credentials,
 * secret sealed, timezone, return timeout) merged with `telephony_options` (base URL, IP allow-list, default
 * responsible, click-to-call mode, feature switches, webhook registration). Feature switches are off by
 * default (issue 5); they are mirrored into `telephony_settings` so its repository agrees once written.
 */
import { ZADARMA_BASE_URL } from '@switchboard/zadarma';
import type { Kysely, Selectable } from 'kysely';
import type { SecretBox } from '../../../crypto/secret-box.js';
import type { TelephonyOptionsTable } from '../../../db/schema/telephony-options.js';
import type { Database } from '../../../db/schema.js';
import { createTelephonySettingsRepository } from '../telephony-settings-repository.js';

const ROW_ID = 1;

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
  return {
    apiKey: base.apiKey,
    apiSecret: base.apiSecret,
    timezone: base.timezone,
    returnTimeout: base.returnTimeout,
    ...fromOptionsRow(options),
  };
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
  const next: StoredTelephonySettings = {
    ...current,
    ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)),
    features,
    ipAllowList,
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
  };
  const { id: _id, ...changes } = row;
  await db
    .insertInto('telephony_options')
    .values(row)
    .onConflict((oc) => oc.column('id').doUpdateSet(changes))
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

/** Builds the public view of stored settings. Why: the one place that decides what may leave the server. */
export function toSettingsView(
  stored: StoredTelephonySettings,
  context: { mode: 'demo' | 'live'; publicBaseUrl: string; webhook: WebhookStatus },
): TelephonySettingsView {
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
  };
}
