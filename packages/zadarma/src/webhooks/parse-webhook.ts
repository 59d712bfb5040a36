/**
 * From a raw notification body to a typed event: form decoding (urlencoded or multipart, PHP bracket keys
 * folded as `$_POST` would, docs/zadarma-protocol.md §5.3), then the zod union of §5.6. No signature check here — see
 * `readWebhook` for the full, fail-closed pipeline.
 */
import {
  decodeMultipart,
  decodeUrlEncoded,
  FormDecodeError,
  type FormFile,
  type FormLimitCode,
  FormLimitError,
  type FormLimits,
  foldFields,
  type PhpArray,
  phpArrayToObject,
} from '../form-decode.js';
import { isSignedEventName } from '../webhook-signature.js';
import { RESULT_SCHEMAS, type TWebhookEvent, ZWebhookPayload } from './events.js';

/** Decoded top-level fields: strings, or nested objects for bracket keys (`wait_dtmf[digits]`). */
export type WebhookFieldMap = Readonly<Record<string, unknown>>;

/** Why a body could not be turned into an event. */
export type WebhookParseErrorCode =
  | 'unsupported_content_type'
  | 'malformed_body'
  | 'missing_event'
  | 'invalid_fields'
  | 'invalid_result_json'
  | FormLimitCode;

export interface WebhookParseError {
  readonly ok: false;
  readonly code: WebhookParseErrorCode;
  readonly message: string;
}

export type ParsedBody =
  | { readonly ok: true; readonly fields: WebhookFieldMap; readonly files: readonly FormFile[] }
  | WebhookParseError;

function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** True for the two content types a notification may have (docs/zadarma-protocol.md §5.3). */
export function isFormContentType(contentType: string | undefined): boolean {
  const type = mediaType(contentType);
  return type === 'application/x-www-form-urlencoded' || type === 'multipart/form-data';
}

/**
 * Decodes a notification body (`application/x-www-form-urlencoded` or `multipart/form-data`) into fields,
 * within `limits` (default `DEFAULT_FORM_LIMITS`). Never throws: a bad body comes back as
 * `{ ok: false, code, message }`, a body past a limit with that limit's code (`too_many_fields`…).
 */
export function parseWebhookBody(
  body: Buffer,
  contentType: string | undefined,
  limits?: Partial<FormLimits>,
): ParsedBody {
  const type = mediaType(contentType);
  try {
    let array: PhpArray;
    let files: readonly FormFile[] = [];
    if (type === 'application/x-www-form-urlencoded') {
      const raw = body.toString('utf8');
      if (raw.includes('\uFFFD') && !Buffer.from(raw, 'utf8').equals(body)) {
        return { ok: false, code: 'malformed_body', message: 'urlencoded body is not valid UTF-8' };
      }
      array = decodeUrlEncoded(raw, limits);
    } else if (type === 'multipart/form-data') {
      const multipart = decodeMultipart(body, contentType as string, limits);
      array = foldFields(multipart.fields, limits);
      files = multipart.files;
    } else {
      return {
        ok: false,
        code: 'unsupported_content_type',
        message: `content type "${type || '(none)'}" is not a form body (expected application/x-www-form-urlencoded or multipart/form-data)`,
      };
    }
    return { ok: true, fields: phpArrayToObject(array), files };
  } catch (error) {
    if (error instanceof FormLimitError) {
      return { ok: false, code: error.code, message: error.message };
    }
    if (error instanceof FormDecodeError) {
      return { ok: false, code: 'malformed_body', message: error.message };
    }
    return { ok: false, code: 'malformed_body', message: `body could not be decoded: ${String(error)}` };
  }
}

/** A notification whose `event` this package does not know; it cannot be verified (docs/zadarma-protocol.md §5.4). */
export interface UnknownWebhookEvent {
  readonly kind: 'unknown';
  readonly event: string;
  readonly fields: WebhookFieldMap;
}

export type ParsedEvent =
  | { readonly ok: true; readonly kind: 'event'; readonly event: TWebhookEvent }
  | ({ readonly ok: true } & UnknownWebhookEvent)
  | WebhookParseError;

type ResultEventName = keyof typeof RESULT_SCHEMAS;

function isResultEventName(name: string): name is ResultEventName {
  return Object.hasOwn(RESULT_SCHEMAS, name);
}

/** The event name of decoded fields, or `null` when there is no string `event`. */
export function webhookEventName(fields: WebhookFieldMap): string | null {
  return typeof fields.event === 'string' && fields.event !== '' ? fields.event : null;
}

/**
 * Validates decoded fields against the event's schema; for result events also parses the `result` JSON
 * into `data` (the raw string stays in `result`, since that is what is signed). Unknown events are
 * reported, not thrown.
 */
export function parseWebhookEvent(fields: WebhookFieldMap): ParsedEvent {
  const event = webhookEventName(fields);
  if (event === null) {
    return { ok: false, code: 'missing_event', message: 'the body has no "event" field' };
  }
  if (!isSignedEventName(event)) {
    return { ok: true, kind: 'unknown', event, fields };
  }
  const parsed = ZWebhookPayload.safeParse(fields);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    return { ok: false, code: 'invalid_fields', message: `${event} has invalid fields: ${issues}` };
  }
  const payload = parsed.data;
  if (!isResultEventName(payload.event)) {
    return { ok: true, kind: 'event', event: payload as TWebhookEvent };
  }
  let json: unknown;
  try {
    json = JSON.parse(String(payload.result));
  } catch {
    return { ok: false, code: 'invalid_result_json', message: `${event} "result" is not valid JSON` };
  }
  const data = RESULT_SCHEMAS[payload.event].safeParse(json);
  if (!data.success) {
    const issues = data.error.issues
      .slice(0, 5)
      .map((i) => `result.${i.path.join('.')}: ${i.message}`)
      .join('; ');
    return {
      ok: false,
      code: 'invalid_result_json',
      message: `${event} has an unexpected result: ${issues}`,
    };
  }
  return { ok: true, kind: 'event', event: { ...payload, data: data.data } as TWebhookEvent };
}
