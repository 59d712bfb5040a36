import type { InboxItem } from '../../api/types.js';

/**
 * The event name an inbox row shows, a dash when the request named none.
 * Why: the server stores a missing `event` as '' (never null), and an empty cell reads as a display bug.
 */
export function inboxEventLabel(item: Pick<InboxItem, 'event'>): string {
  return item.event === '' ? '—' : item.event;
}

/**
 * The message id of each reason the receiver refuses a request for (apps/server receive-webhook.ts and
 * @switchboard/zadarma's read-webhook.ts). The four form limits read as one: the body was too large to read.
 */
const REFUSAL_REASONS: Readonly<Record<string, string>> = {
  missing_signature: 'inbox.reason.missingSignature',
  bad_signature: 'inbox.reason.badSignature',
  no_secret: 'inbox.reason.noSecret',
  ip_not_allowed: 'inbox.reason.ipNotAllowed',
  ip_policy_invalid: 'inbox.reason.ipPolicyInvalid',
  unknown_event: 'inbox.reason.unknownEvent',
  stale_event: 'inbox.reason.staleEvent',
  unsupported_method: 'inbox.reason.malformed',
  unsupported_content_type: 'inbox.reason.malformed',
  malformed_body: 'inbox.reason.malformed',
  missing_event: 'inbox.reason.malformed',
  invalid_fields: 'inbox.reason.malformed',
  invalid_result_json: 'inbox.reason.malformed',
  too_many_fields: 'inbox.reason.tooLarge',
  too_deep: 'inbox.reason.tooLarge',
  name_too_long: 'inbox.reason.tooLarge',
  value_too_long: 'inbox.reason.tooLarge',
};

/**
 * An inbox entry's error as the page shows it: the message id of its reason, and the server's own words kept as
 * the technical detail. Why: the server stores `reason: detail` in English for operators who grep; a French or
 * Russian admin reads the reason in their language. An error that names no refusal reason is a processing
 * failure (the call's notifications contradict each other, a database error…).
 */
export function inboxErrorOf(error: string): { readonly messageId: string; readonly detail: string } {
  const reason = /^([a-z_]+):/.exec(error)?.[1];
  const messageId = reason !== undefined ? REFUSAL_REASONS[reason] : undefined;
  return { messageId: messageId ?? 'inbox.reason.processingFailed', detail: error };
}
