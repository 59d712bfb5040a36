/**
 * The telephony settings as the settings page and the runtime see them, over their definitions
 * (platform/settings/setting-definitions.ts): rows of the one `settings` table since migration 0009 folded
 * `telephony_settings` and `telephony_options` into it — the secret sealed, feature switches off by default,
 * every write one transaction with the settings version every instance polls (issue 9); a planned secret
 * rotation keeps the previous secret, sealed, for a grace. Trusted proxies are not here: `TRUST_PROXY` only.
 */
import type { Kysely } from 'kysely';
import type { SecretBox } from '../../../platform/crypto/secret-box.js';
import type { Database } from '../../../platform/db/schema.js';
import {
  TELEPHONY_SETTINGS,
  type TelephonySettingValues,
} from '../../../platform/settings/setting-definitions.js';
import { readSettingValues } from '../../../platform/settings/settings-storage.js';
import type {
  CallHandlingSettings,
  StoredTelephonySettings,
  StoredTelephonySettingsPatch,
  WebhookActivity,
  WebhookStatus,
} from '../ports.js';

/**
 * How long the previous API secret is still accepted after a planned rotation. Why: Zadarma may still sign
 * notifications of calls in progress (and its retries) with the old secret for a few minutes.
 */
export const PREVIOUS_SECRET_GRACE_MS = 10 * 60 * 1000;

type CallHandlingValues = Pick<
  TelephonySettingValues,
  | 'routingSteps'
  | 'routingLastAgentDays'
  | 'workingHours'
  | 'callerNameTemplate'
  | 'callerNameMaxLength'
  | 'callerNameTransliterate'
  | 'callerNameUnknownLabel'
  | 'callerNameMissedLabel'
  | 'callerNameVipAmount'
  | 'blacklistAction'
>;

/** How calls are routed, named and refused (issue 12), from definition values. */
function callHandlingOf(values: CallHandlingValues): CallHandlingSettings {
  return {
    routing: {
      steps: values.routingSteps,
      lastAgentDays: values.routingLastAgentDays,
      workingHours: values.workingHours,
    },
    callerNameFormat: {
      template: values.callerNameTemplate,
      maxLength: values.callerNameMaxLength,
      transliterate: values.callerNameTransliterate,
      unknownLabel: values.callerNameUnknownLabel,
      missedLabel: values.callerNameMissedLabel,
      vipAmount: values.callerNameVipAmount,
    },
    blacklistAction: values.blacklistAction,
  };
}

/** The call-handling settings of a new install. */
export const callHandlingDefaults: CallHandlingSettings = callHandlingOf({
  routingSteps: TELEPHONY_SETTINGS.routingSteps.default,
  routingLastAgentDays: TELEPHONY_SETTINGS.routingLastAgentDays.default,
  workingHours: TELEPHONY_SETTINGS.workingHours.default,
  callerNameTemplate: TELEPHONY_SETTINGS.callerNameTemplate.default,
  callerNameMaxLength: TELEPHONY_SETTINGS.callerNameMaxLength.default,
  callerNameTransliterate: TELEPHONY_SETTINGS.callerNameTransliterate.default,
  callerNameUnknownLabel: TELEPHONY_SETTINGS.callerNameUnknownLabel.default,
  callerNameMissedLabel: TELEPHONY_SETTINGS.callerNameMissedLabel.default,
  callerNameVipAmount: TELEPHONY_SETTINGS.callerNameVipAmount.default,
  blacklistAction: TELEPHONY_SETTINGS.blacklistAction.default,
});

/** The stored settings of definition values. Why: the runtime's cache and the uncached reads share one mapping. */
export function storedFromValues(values: TelephonySettingValues): StoredTelephonySettings {
  return {
    apiKey: values.apiKey,
    apiSecret: values.apiSecret,
    apiBaseUrl: values.apiBaseUrl,
    timezone: values.timezone,
    timezoneLearnedAt: values.timezoneLearnedAt,
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
    ...callHandlingOf(values),
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
 * The account timezone after `patch`, or undefined when it stays. Only Zadarma's answer writes the label: when it
 * was told is what makes a UTC+0 account confirmed. A key of another account (or none) forgets what the previous
 * account told, in the same write: until the new one answers, the page and the webhook path must not take the old
 * account's zone as confirmed. The same key saved again (a secret rotation) is the same account: kept.
 */
function timezoneAfter(
  current: StoredTelephonySettings,
  patch: StoredTelephonySettingsPatch,
  now: string,
): Pick<TelephonySettingValues, 'timezone' | 'timezoneLearnedAt'> | undefined {
  if (patch.timezone !== undefined) {
    return {
      timezone: patch.timezone,
      timezoneLearnedAt: new Date(Date.parse(now) || Date.now()).toISOString(),
    };
  }
  if (patch.apiKey !== undefined && (patch.apiKey || null) !== (current.apiKey || null)) {
    return { timezone: TELEPHONY_SETTINGS.timezone.default, timezoneLearnedAt: null };
  }
  return undefined;
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
  const zone = timezoneAfter(current, patch, now);
  const change: { -readonly [K in keyof TelephonySettingValues]?: TelephonySettingValues[K] } = {
    apiKey: patch.apiKey,
    apiSecret: patch.apiSecret,
    apiBaseUrl: patch.apiBaseUrl,
    timezone: zone?.timezone,
    timezoneLearnedAt: zone?.timezoneLearnedAt,
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
    routingSteps: patch.routing?.steps ? patch.routing.steps.map((s) => ({ ...s })) : undefined,
    routingLastAgentDays: patch.routing?.lastAgentDays,
    workingHours: patch.routing?.workingHours
      ? Object.fromEntries(
          Object.entries(patch.routing.workingHours).map(([user, h]) => [user, { ...h, days: [...h.days] }]),
        )
      : undefined,
    callerNameTemplate: patch.callerNameFormat?.template,
    callerNameMaxLength: patch.callerNameFormat?.maxLength,
    callerNameTransliterate: patch.callerNameFormat?.transliterate,
    callerNameUnknownLabel: patch.callerNameFormat?.unknownLabel,
    callerNameMissedLabel: patch.callerNameFormat?.missedLabel,
    callerNameVipAmount: patch.callerNameFormat?.vipAmount,
    blacklistAction: patch.blacklistAction,
  };
  if (previous.secret !== current.previousSecret || previous.until !== current.previousSecretUntil) {
    change.previousSecret = previous.secret;
    change.previousSecretUntil = previous.until;
    // Only a rotation resets the count; otherwise uses added meanwhile by other instances are kept.
    change.previousSecretUses = previous.uses;
  }
  return change;
}

/** `WebhookActivity` over the inbox. Why: the settings use cases read it through a port. */
export function createWebhookActivity(db: Kysely<Database>): WebhookActivity {
  return { status: (registeredAt) => readWebhookStatus(db, registeredAt) };
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
