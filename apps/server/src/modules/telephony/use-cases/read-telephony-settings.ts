/**
 * What the telephony settings page shows: the stored settings (never the secret itself, only a hint), where this
 * server runs and the latest webhook arrivals.
 */
import { ZADARMA_BASE_URL } from '@switchboard/zadarma';
import { sensitiveHint } from '../../../platform/settings/settings-service.js';
import { isTimezoneConfirmed } from '../domain/zadarma-date-time.js';
import type {
  StoredTelephonySettings,
  TelephonyDeployment,
  TelephonySettingsStore,
  TelephonySettingsView,
  WebhookActivity,
  WebhookStatus,
} from '../ports.js';

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
    /** `TRUST_PROXY` (platform/config): the one source of trusted proxies, shown read-only. */
    trustedProxies: readonly string[];
    now: number;
  },
): TelephonySettingsView {
  const previous = validPreviousSecret(stored, context.now);
  return {
    mode: context.mode,
    configured: Boolean(stored.apiKey && stored.apiSecret),
    apiKey: stored.apiKey,
    secretSet: stored.apiSecret !== null && stored.apiSecret !== '',
    secretHint: sensitiveHint(stored.apiSecret),
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
    timezone: isTimezoneConfirmed(stored) ? stored.timezone : null,
    routing: stored.routing,
    callerNameFormat: stored.callerNameFormat,
    blacklistAction: stored.blacklistAction,
    previousSecretGrace:
      previous === null
        ? null
        : {
            hint: sensitiveHint(previous),
            acceptedUntil: new Date(Date.parse(stored.previousSecretUntil as string)).toISOString(),
            uses: stored.previousSecretUses,
          },
  };
}

export interface ReadTelephonySettingsOptions {
  readonly settings: TelephonySettingsStore;
  readonly deployment: TelephonyDeployment;
  readonly webhooks: WebhookActivity;
  /** Milliseconds since the epoch: decides whether the previous secret is still in its grace. */
  readonly now: () => number;
}

/**
 * Reads the settings as the page shows them, uncached for the webhook status.
 * Why: after a save or a registration the admin sees what is stored, not what a cache remembers.
 */
export async function readTelephonySettings(
  options: ReadTelephonySettingsOptions,
): Promise<TelephonySettingsView> {
  const stored = await options.settings.stored();
  const webhook = await options.webhooks.status(stored.webhookRegisteredAt);
  return toSettingsView(stored, {
    mode: options.deployment.mode,
    publicBaseUrl: options.deployment.publicBaseUrl,
    webhook,
    trustedProxies: options.deployment.trustedProxies,
    now: options.now(),
  });
}
