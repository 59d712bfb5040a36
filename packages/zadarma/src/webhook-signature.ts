/**
 * The `Signature` header of Zadarma's notifications (docs/zadarma-protocol.md §5.4): the listed fields' raw decoded
 * values concatenated in a fixed order per event (a missing field counts as an empty string), then
 * `base64(hex(HMAC-SHA1(…, secret)))`.
 */
import { hmacSha1HexBase64, signaturesEqual } from './signing.js';

/** Which fields each event signs, in order. */
export const SIGNED_FIELDS = {
  NOTIFY_START: ['caller_id', 'called_did', 'call_start'],
  NOTIFY_INTERNAL: ['caller_id', 'called_did', 'call_start'],
  NOTIFY_ANSWER: ['caller_id', 'destination', 'call_start'],
  NOTIFY_END: ['caller_id', 'called_did', 'call_start'],
  NOTIFY_OUT_START: ['internal', 'destination', 'call_start'],
  NOTIFY_OUT_END: ['internal', 'destination', 'call_start'],
  NOTIFY_RECORD: ['pbx_call_id', 'call_id_with_rec'],
  NOTIFY_IVR: ['caller_id', 'called_did', 'call_start'],
  NUMBER_LOOKUP: ['result'],
  CALL_TRACKING: ['result'],
  SMS: ['result'],
  SPEECH_RECOGNITION: ['result'],
  DOCUMENT: ['result'],
} as const satisfies Record<string, readonly string[]>;

export type SignedEventName = keyof typeof SIGNED_FIELDS;

export function isSignedEventName(name: string): name is SignedEventName {
  return Object.hasOwn(SIGNED_FIELDS, name);
}

/** Top-level webhook fields as decoded strings (nested bracket fields are never signed). */
export type WebhookFields = Readonly<Record<string, unknown>>;

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/**
 * The string that is signed for this event, or `null` when the event is unknown — an unknown event
 * cannot be verified, so a caller must refuse it (fail closed).
 */
export function webhookSignatureString(fields: WebhookFields): string | null {
  const event = text(fields.event);
  if (!isSignedEventName(event)) {
    return null;
  }
  return SIGNED_FIELDS[event].map((name) => text(fields[name])).join('');
}

/** The `Signature` header value Zadarma sends for these fields; throws for an event it does not know. */
export function webhookSignature(fields: WebhookFields, secret: string): string {
  const message = webhookSignatureString(fields);
  if (message === null) {
    throw new Error(`cannot sign event "${text(fields.event)}": unknown event`);
  }
  return hmacSha1HexBase64(message, secret);
}

/**
 * Fail-closed check of a notification's `Signature`: `false` for a missing header, an unknown event, an
 * empty secret or any mismatch. Constant time in the signature's content.
 */
export function verifyWebhookSignature(
  fields: WebhookFields,
  signature: string | null | undefined,
  secret: string,
): boolean {
  if (!signature || !secret) {
    return false;
  }
  const message = webhookSignatureString(fields);
  if (message === null) {
    return false;
  }
  return signaturesEqual(hmacSha1HexBase64(message, secret), signature.trim());
}
