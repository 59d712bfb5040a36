/**
 * Registers this CRM as the PBX call-notification receiver in Zadarma: the callinfo URL (Zadarma checks it with
 * `zd_echo` first, docs/zadarma-protocol.md §5.2), then every NOTIFY_* switched on; and as the "other events"
 * receiver (§5.1), with SPEECH_RECOGNITION on — the transcripts the recordings vault keeps; records when it was done.
 */
import type { CallInfoNotifications } from '@switchboard/zadarma';
import type { TelephonyDeployment, TelephonySettingsStore, ZadarmaAccount } from '../ports.js';
import { requireZadarmaClient } from './require-zadarma-client.js';

const ALL_NOTIFICATIONS: Required<CallInfoNotifications> = Object.freeze({
  notify_start: true,
  notify_internal: true,
  notify_answer: true,
  notify_end: true,
  notify_out_start: true,
  notify_out_end: true,
});

export interface RegisterWebhookOptions {
  readonly zadarma: ZadarmaAccount;
  readonly settings: TelephonySettingsStore;
  readonly deployment: Pick<TelephonyDeployment, 'webhookUrl'>;
  /** The current instant (ISO-8601): stored as `webhookRegisteredAt`. */
  readonly now: () => string;
}

export interface RegisterWebhookResult {
  readonly ok: true;
  readonly url: string;
  /** What Zadarma confirmed, as `'true'`/`'false'` strings. */
  readonly notifications: Record<string, 'true' | 'false'>;
}

/**
 * Sets the URL and the notifications, then stores when; SDK errors propagate (the route maps them).
 * Why: the guide's manual cabinet steps in one click, with Zadarma doing the real echo check.
 */
export async function registerWebhook(options: RegisterWebhookOptions): Promise<RegisterWebhookResult> {
  const client = await requireZadarmaClient(options.zadarma);
  const url = options.deployment.webhookUrl;
  const set = await client.setCallInfoUrl({ url });
  const answer = await client.setCallInfoNotifications(ALL_NOTIFICATIONS);
  // Transcripts come on the other channel, to the same receiver (it verifies both alike).
  await client.setWebhooksUrl({ url });
  await client.setWebhookHooks({ speech_recognition: true });
  const notifications: Record<string, 'true' | 'false'> = {};
  for (const [name, on] of Object.entries(answer.notifications)) {
    notifications[name] = on ? 'true' : 'false';
  }
  await options.settings.update({ webhookRegisteredAt: options.now() });
  return { ok: true, url: set.url || url, notifications };
}
