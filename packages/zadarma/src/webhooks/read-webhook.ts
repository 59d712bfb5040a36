/**
 * The one entry a receiver needs: `zd_echo` handshake, source-IP check, body decoding, fail-closed
 * `Signature` verification, typed event — in that order (PROTOCOL.md §5.2, §5.8). Framework-free: give it
 * what any HTTP server has (method, query, headers, raw body, socket address).
 */
import { decodeUrlEncoded } from '../form-decode.js';
import { verifyWebhookSignature } from '../webhook-signature.js';
import type { TWebhookEvent } from './events.js';
import { type CompiledIpPolicy, checkSourceIp, compileIpPolicy, type IpPolicy } from './ip-policy.js';
import {
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
  /** The account's API secret — Zadarma signs notifications with it (PROTOCOL.md §5.4). */
  readonly secret: string;
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
  /** Answer 200 with exactly `echo` as `text/plain` (see `echoResponse`). */
  | { readonly kind: 'echo'; readonly echo: string }
  /** A verified notification. */
  | { readonly kind: 'event'; readonly event: TWebhookEvent }
  /** Only with `unknownEvents: 'report'`: an event name we do not know; NOT verified. */
  | UnknownWebhookEvent
  | {
      readonly kind: 'rejected';
      readonly status: 400 | 403;
      readonly reason: WebhookRejectReason;
      readonly message: string;
    };

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

function queryValue(query: ReadWebhookOptions['query'], name: string): string | null {
  if (query === undefined) {
    return null;
  }
  if (typeof query === 'string') {
    const value = decodeUrlEncoded(query.startsWith('?') ? query.slice(1) : query).get(name);
    return typeof value === 'string' ? value : null;
  }
  const value = query[name];
  if (typeof value === 'string') {
    return value;
  }
  return Array.isArray(value) && typeof value[0] === 'string' ? value[0] : null;
}

/**
 * The `zd_echo` token of a URL-validation request, from the query or (tolerated, §5.2) a form body;
 * `null` when the request is not a handshake.
 */
export function findEcho(query: ReadWebhookOptions['query'], body: ParsedBody | null): string | null {
  const fromQuery = queryValue(query, 'zd_echo');
  if (fromQuery !== null) {
    return fromQuery;
  }
  if (body?.ok && typeof body.fields.zd_echo === 'string') {
    return body.fields.zd_echo;
  }
  return null;
}

/** The HTTP answer to a handshake: 200, the token verbatim, as plain text (never HTML: it is attacker-chosen). */
export function echoResponse(echo: string): {
  status: 200;
  headers: Record<string, string>;
  body: string;
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
): Extract<ReadWebhookResult, { kind: 'rejected' }> {
  return { kind: 'rejected', status, reason, message };
}

/**
 * Reads one request to the notification URL. Order: `zd_echo` first (unsigned, §5.2), then the source IP
 * when a policy is given, then the body, then the `Signature` (fail closed: missing, unknown event, empty
 * secret or mismatch → 403). Never throws for bad input; malformed bodies are 400.
 */
export function readWebhook(options: ReadWebhookOptions): ReadWebhookResult {
  const method = options.method.toUpperCase();
  const body = options.body ?? Buffer.alloc(0);
  const parsed = method === 'POST' && body.length > 0 ? parseWebhookBody(body, options.contentType) : null;

  const echo = findEcho(options.query, parsed);
  if (echo !== null) {
    return { kind: 'echo', echo };
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
  if (parsed === null) {
    return reject(400, 'missing_event', 'the notification body is empty');
  }
  if (!parsed.ok) {
    return reject(400, parsed.code, parsed.message);
  }
  return verifyAndType(parsed.fields, options);
}

function verifyAndType(fields: WebhookFieldMap, options: ReadWebhookOptions): ReadWebhookResult {
  const name = webhookEventName(fields);
  if (name === null) {
    return reject(400, 'missing_event', 'the body has no "event" field');
  }
  const event = parseWebhookEvent(fields);
  if (event.ok && event.kind === 'unknown') {
    if (options.unknownEvents === 'report') {
      return { kind: 'unknown', event: event.event, fields: event.fields };
    }
    return reject(403, 'unknown_event', `event "${name}" is unknown, so its signature cannot be checked`);
  }
  if (!options.secret) {
    return reject(403, 'no_secret', 'no API secret is configured, so no notification can be verified');
  }
  const signature = headerValue(options.headers, 'signature');
  if (signature === null || signature.trim() === '') {
    return reject(403, 'missing_signature', `${name} arrived without a Signature header`);
  }
  if (!verifyWebhookSignature(fields, signature, options.secret)) {
    return reject(403, 'bad_signature', `${name} Signature does not match the signed fields`);
  }
  if (!event.ok) {
    return reject(400, event.code, event.message);
  }
  return { kind: 'event', event: event.event as TWebhookEvent };
}
