/**
 * Registers this CRM as the PBX call-notification receiver in Zadarma: the callinfo URL (Zadarma checks it with
 * `zd_echo` first, docs/zadarma-protocol.md §5.2), then every NOTIFY_* switched on.
 */
import type { CallInfoNotifications, ZadarmaClient } from '@switchboard/zadarma';

const ALL_NOTIFICATIONS: Required<CallInfoNotifications> = Object.freeze({
  notify_start: true,
  notify_internal: true,
  notify_answer: true,
  notify_end: true,
  notify_out_start: true,
  notify_out_end: true,
});

/**
 * Sets the URL and the notifications; returns what Zadarma confirmed, as `'true'`/`'false'` strings.
 * Why: the guide's manual cabinet steps in one click, with Zadarma doing the real echo check.
 */
export async function registerWebhook(
  client: ZadarmaClient,
  url: string,
): Promise<{ url: string; notifications: Record<string, 'true' | 'false'> }> {
  const set = await client.setCallInfoUrl({ url });
  const answer = await client.setCallInfoNotifications(ALL_NOTIFICATIONS);
  const notifications: Record<string, 'true' | 'false'> = {};
  for (const [name, on] of Object.entries(answer.notifications)) {
    notifications[name] = on ? 'true' : 'false';
  }
  return { url: set.url || url, notifications };
}
