/**
 * The one entry a receiver needs: `zd_echo` handshake, source-IP check, the cheap refusals (method, missing
 * `Signature`, no secret), body decoding within limits, fail-closed `Signature` verification, typed event — in
 * that order (docs/zadarma-protocol.md §5.2, §5.8). Framework-free: give it what any HTTP server has (method, query,
 * headers, raw body, socket address).
 */
import {
  FormLimitError,
  type FormLimits,
  multipartValueBytes,
  urlEncodedValueBytes,
} from '../form-decode.js';
import { verifyWebhookSignature } from '../webhook-signature.js';
import type { TWebhookEvent } from './events.js';
import { type CompiledIpPolicy, checkSourceIp, compileIpPolicy, type IpPolicy } from './ip-policy.js';
import {
  isFormContentType,
  type ParsedBody,
  parseWebhookBody,
  parseWebhookEvent,
  type UnknownWebhookEvent,
  type WebhookFieldMap,
  type WebhookParseErrorCode,
  webhookEventName,
} from './parse-webhook.js';

/** Node's `IncomingHttpHeaders`, a plain record, or a Fetch `Headers`. */
export type WebhookHeaders =
  | Readonly<Record<string, string | readonly string[] | undefined>>
  | { get(name: string): string | null };

export interface ReadWebhookOptions {
  readonly method: string;
  /** The raw query string (with or without `?`) or an already parsed query object. */
  readonly query?: string | Readonly<Record<string, unknown>> | undefined;
  readonly headers: WebhookHeaders;
  /** The raw body bytes (empty for a GET). */
  readonly body?: Buffer | undefined;
  readonly contentType?: string | undefined;
  /** The account's API secret — Zadarma signs notifications with it (docs/zadarma-protocol.md §5.4). */
  readonly secret: string;
  /**
   * A previous secret still accepted, during the grace period of a planned rotation (events Zadarma signed
   * before the new secret reached it). A match is reported as `secretUsed: 'previous'`.
   */
  readonly previousSecret?: string | undefined;
  /**
   * Bounds of the body's decoding (default `DEFAULT_FORM_LIMITS`: 1000 fields, 8 levels, names of 256,
   * values of 1 MiB); a body past one is refused with 400 and the limit's reason (`too_many_fields`…).
   */
  readonly limits?: Partial<FormLimits> | undefined;
  /** The TCP peer address (`req.socket.remoteAddress`). */
  readonly remoteAddress?: string | undefined;
  /**
   * When given, the source address must be in its allow-list. Compile it once at boot with
   * `compileIpPolicy`, which throws for a malformed CIDR (a configuration error, not bad input).
   */
  readonly ipPolicy?: IpPolicy | CompiledIpPolicy | undefined;
  /**
   * `'reject'` (default): an event this package does not know cannot be verified, so it is refused with
   * 403. `'report'`: return it as `{ kind: 'unknown' }` — its content is then **unauthenticated**.
   */
  readonly unknownEvents?: 'reject' | 'report';
}

export type WebhookRejectReason =
  | 'unsupported_method'
  | 'ip_not_allowed'
  | 'unknown_event'
  | 'missing_signature'
  | 'bad_signature'
  | 'no_secret'
  | WebhookParseErrorCode;

export type ReadWebhookResult =
  /**
   * Answer 200 with exactly `bytes` as `text/plain` (see `echoResponse`): the token as Zadarma sent it,
   * percent-decoded, byte for byte; `echo` is the same as text (lossy when the bytes are not UTF-8).
   */
  | { readonly kind: 'echo'; readonly echo: string; readonly bytes: Buffer }
  /** A verified notification, and which secret verified it (`'previous'` only during a rotation's grace). */
  | { readonly kind: 'event'; readonly event: TWebhookEvent; readonly secretUsed: 'current' | 'previous' }
  /** Only with `unknownEvents: 'report'`: an event name we do not know; NOT verified. */
  | UnknownWebhookEvent
  | {
      readonly kind: 'rejected';
      readonly status: 400 | 403;
      readonly reason: WebhookRejectReason;
      readonly message: string;
      /**
       * The decoded fields, UNVERIFIED, when the body was decoded before the refusal; absent for the
       * refusals that come first (IP, method, missing Signature…), which never decode the body.
       */
      readonly fields?: WebhookFieldMap;
    };

/**
 * The largest POST body searched for a `zd_echo` token. Why: the handshake is unsigned, so whatever is looked
 * at before the `Signature` check must stay small; a token is a few dozen bytes (§5.2).
 */
export const ECHO_BODY_LIMIT = 4096;

function isCompiled(policy: IpPolicy | CompiledIpPolicy): policy is CompiledIpPolicy {
  return (policy as { compiled?: unknown }).compiled === true;
}

/** Every value of a header, case-insensitively (a Fetch `Headers` gives them comma-joined, as one). */
export function headerValues(headers: WebhookHeaders, name: string): string[] {
  if (typeof (headers as { get?: unknown }).get === 'function') {
    const value = (headers as { get(name: string): string | null }).get(name);
    return value === null ? [] : [value];
  }
  const wanted = name.toLowerCase();
  const values: string[] = [];
  for (const [key, value] of Object.entries(headers as Readonly<Record<string, unknown>>)) {
    if (key.toLowerCase() !== wanted || value === undefined) {
      continue;
    }
    if (typeof value === 'string') {
      values.push(value);
    } else if (Array.isArray(value)) {
      values.push(...value.filter((v): v is string => typeof v === 'string'));
    }
  }
  return values;
}

/**
 * One header, looked up case-insensitively (PHP's `getallheaders()['Signature']` is not, §8.1); `null`
 * when absent or sent more than once, so an ambiguous `Signature` fails closed.
 */
export function headerValue(headers: WebhookHeaders, name: string): string | null {
  const values = headerValues(headers, name);
  return values.length === 1 ? (values[0] as string) : null;
}

function queryValue(
  query: ReadWebhookOptions['query'],
  name: string,
  limits: Partial<FormLimits> | undefined,
): Buffer | null {
  if (query === undefined) {
    return null;
  }
  if (typeof query === 'string') {
    return urlEncodedValueBytes(query.startsWith('?') ? query.slice(1) : query, name, limits);
  }
  const value = query[name];
  if (typeof value === 'string') {
    return Buffer.from(value, 'utf8');
  }
  return Array.isArray(value) && typeof value[0] === 'string' ? Buffer.from(value[0], 'utf8') : null;
}

/**
 * The `zd_echo` token of a URL-validation request, from the query or (tolerated, §5.2) a form body;
 * `null` when the request is not a handshake. Throws `FormLimitError` for a query past the limits.
 */
export function findEcho(query: ReadWebhookOptions['query'], body: ParsedBody | null): string | null {
  const fromQuery = queryValue(query, 'zd_echo', undefined);
  if (fromQuery !== null) {
    return fromQuery.toString('utf8');
  }
  if (body?.ok && typeof body.fields.zd_echo === 'string') {
    return body.fields.zd_echo;
  }
  return null;
}

/** The `zd_echo` bytes of a small form body, or `null` (a broken or oversized body is no handshake). */
function bodyEcho(body: Buffer, contentType: string | undefined, limits: Partial<FormLimits> | undefined) {
  if (body.length === 0 || body.length > ECHO_BODY_LIMIT || !isFormContentType(contentType)) {
    return null;
  }
  // Every notification would otherwise be decoded twice: a byte search (native, ~50 ns) rules out the bodies
  // that cannot name `zd_echo` — literally, or with its `_` percent-encoded as PHP would still decode it.
  if (body.indexOf('zd_echo') === -1 && body.indexOf('zd%5') === -1) {
    return null;
  }
  try {
    return /^\s*multipart\//i.test(contentType ?? '')
      ? multipartValueBytes(body, contentType as string, 'zd_echo', limits)
      : urlEncodedValueBytes(body.toString('utf8'), 'zd_echo', limits);
  } catch {
    return null;
  }
}

/**
 * The HTTP answer to a handshake: 200, the token verbatim (give the result's `bytes` to send it byte for
 * byte), as plain text (never HTML: it is attacker-chosen).
 */
export function echoResponse<T extends string | Buffer>(
  echo: T,
): {
  status: 200;
  headers: Record<string, string>;
  body: T;
} {
  return {
    status: 200,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' },
    body: echo,
  };
}

function reject(
  status: 400 | 403,
  reason: WebhookRejectReason,
  message: string,
  fields?: WebhookFieldMap,
): Extract<ReadWebhookResult, { kind: 'rejected' }> {
  return fields === undefined
    ? { kind: 'rejected', status, reason, message }
    : { kind: 'rejected', status, reason, message, fields };
}

function hasSignature(headers: WebhookHeaders): boolean {
  const signature = headerValue(headers, 'signature');
  return signature !== null && signature.trim() !== '';
}

/**
 * Reads one request to the notification URL. Order: `zd_echo` first (unsigned, §5.2: from the query, or from
 * a POST body of at most `ECHO_BODY_LIMIT` bytes), then the source IP when a policy is given, then the cheap
 * refusals — method, empty body, no secret, missing `Signature` — so an unsigned request never has its body
 * decoded, then the body (once, within `limits`), then the `Signature` (fail closed: unknown event or
 * mismatch → 403). Never throws for bad input; malformed bodies are 400.
 */
export function readWebhook(options: ReadWebhookOptions): ReadWebhookResult {
  const method = options.method.toUpperCase();
  const body = options.body ?? Buffer.alloc(0);

  let echo: Buffer | null;
  try {
    echo = queryValue(options.query, 'zd_echo', options.limits);
  } catch (error) {
    if (error instanceof FormLimitError) {
      return reject(400, error.code, `query string: ${error.message}`);
    }
    throw error;
  }
  if (echo === null && method === 'POST') {
    echo = bodyEcho(body, options.contentType, options.limits);
  }
  if (echo !== null) {
    return { kind: 'echo', echo: echo.toString('utf8'), bytes: echo };
  }

  if (options.ipPolicy !== undefined) {
    const policy = isCompiled(options.ipPolicy) ? options.ipPolicy : compileIpPolicy(options.ipPolicy);
    const check = checkSourceIp(
      {
        remoteAddress: options.remoteAddress,
        forwardedFor: headerValues(options.headers, 'x-forwarded-for'),
      },
      policy,
    );
    if (!check.ok) {
      return reject(403, 'ip_not_allowed', check.message);
    }
  }

  if (method !== 'POST') {
    return reject(
      400,
      'unsupported_method',
      `${method} without zd_echo is not a notification (expected POST)`,
    );
  }
  if (body.length === 0) {
    return reject(400, 'missing_event', 'the notification body is empty');
  }
  // Refused before decoding: a known event cannot pass without them, and decoding is the costly step.
  // (With `unknownEvents: 'report'` an unsigned unknown event is wanted, so the body must be read first.)
  if (options.unknownEvents !== 'report') {
    if (!options.secret && !options.previousSecret) {
      return reject(403, 'no_secret', 'no API secret is configured, so no notification can be verified');
    }
    if (!hasSignature(options.headers)) {
      return reject(403, 'missing_signature', 'the notification arrived without a Signature header');
    }
  }
  const parsed = parseWebhookBody(body, options.contentType, options.limits);
  if (!parsed.ok) {
    return reject(400, parsed.code, parsed.message);
  }
  return verifyAndType(parsed.fields, options);
}

/** Which secret signed these fields, or `null` when neither did. */
function matchingSecret(
  fields: WebhookFieldMap,
  signature: string,
  options: ReadWebhookOptions,
): 'current' | 'previous' | null {
  if (options.secret && verifyWebhookSignature(fields, signature, options.secret)) {
    return 'current';
  }
  if (options.previousSecret && verifyWebhookSignature(fields, signature, options.previousSecret)) {
    return 'previous';
  }
  return null;
}

function verifyAndType(fields: WebhookFieldMap, options: ReadWebhookOptions): ReadWebhookResult {
  const name = webhookEventName(fields);
  if (name === null) {
    return reject(400, 'missing_event', 'the body has no "event" field', fields);
  }
  const event = parseWebhookEvent(fields);
  if (event.ok && event.kind === 'unknown') {
    if (options.unknownEvents === 'report') {
      return { kind: 'unknown', event: event.event, fields: event.fields };
    }
    return reject(
      403,
      'unknown_event',
      `event "${name}" is unknown, so its signature cannot be checked`,
      fields,
    );
  }
  if (!options.secret && !options.previousSecret) {
    return reject(
      403,
      'no_secret',
      'no API secret is configured, so no notification can be verified',
      fields,
    );
  }
  const signature = headerValue(options.headers, 'signature');
  if (signature === null || signature.trim() === '') {
    return reject(403, 'missing_signature', `${name} arrived without a Signature header`, fields);
  }
  const secretUsed = matchingSecret(fields, signature, options);
  if (secretUsed === null) {
    return reject(403, 'bad_signature', `${name} Signature does not match the signed fields`, fields);
  }
  if (!event.ok) {
    return reject(400, event.code, event.message, fields);
  }
  return { kind: 'event', event: event.event as TWebhookEvent, secretUsed };
}
