/**
 * The single error type of the Zadarma client. `code` is the discriminator callers branch on; the HTTP
 * status and Zadarma's own `message` are kept verbatim for logs and for the user.
 */
import type { RateLimitInfo } from './rate-limit-headers.js';

/** Why a Zadarma call failed. */
export type ZadarmaErrorCode =
  /** HTTP 401/403: wrong key or signature ("Not authorized", docs/zadarma-protocol.md §2.5). */
  | 'unauthorized'
  /** HTTP 429: Zadarma's own limit was hit (docs/zadarma-protocol.md §3). */
  | 'rate_limited'
  /** HTTP 400 or another 4xx: bad or missing parameters. */
  | 'bad_request'
  /** HTTP 404: unknown method path. */
  | 'not_found'
  /** HTTP 200 whose envelope says `status: "error"`. */
  | 'api_error'
  /** HTTP 5xx. */
  | 'server'
  /** The request never got an HTTP answer (DNS, connection refused/reset). */
  | 'network'
  /** No complete answer within the per-request timeout. */
  | 'timeout'
  /** The caller's `AbortSignal` fired. */
  | 'aborted'
  /** The answer was not JSON or did not match the expected shape. */
  | 'invalid_response';

export interface ZadarmaApiErrorInit {
  readonly code: ZadarmaErrorCode;
  /** `GET`, `POST`, … */
  readonly httpMethod: string;
  /** The signed method path, e.g. `/v1/info/balance/`. */
  readonly path: string;
  readonly httpStatus?: number | null;
  /** `message` of Zadarma's `{"status":"error","message":…}` envelope. */
  readonly zadarmaMessage?: string | null;
  readonly limits?: RateLimitInfo | null;
  readonly attempts?: number;
  readonly body?: unknown;
  readonly detail?: string;
  readonly cause?: unknown;
}

/** Thrown by every client call that does not end in a successful, well-formed answer. */
export class ZadarmaApiError extends Error {
  override readonly name = 'ZadarmaApiError';
  readonly code: ZadarmaErrorCode;
  readonly httpMethod: string;
  readonly path: string;
  readonly httpStatus: number | null;
  readonly zadarmaMessage: string | null;
  readonly limits: RateLimitInfo | null;
  /** How many HTTP attempts were made (more than 1 only for retried idempotent requests). */
  readonly attempts: number;
  /** The parsed (or raw text) answer body, when there was one. */
  readonly body: unknown;

  constructor(init: ZadarmaApiErrorInit) {
    super(describe(init), init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.httpMethod = init.httpMethod;
    this.path = init.path;
    this.httpStatus = init.httpStatus ?? null;
    this.zadarmaMessage = init.zadarmaMessage ?? null;
    this.limits = init.limits ?? null;
    this.attempts = init.attempts ?? 1;
    this.body = init.body;
  }

  /** Milliseconds Zadarma asked us to wait (`Retry-After`), when it said so. */
  get retryAfterMs(): number | null {
    return this.limits?.retryAfterMs ?? null;
  }
}

function describe(init: ZadarmaApiErrorInit): string {
  const parts = [`Zadarma ${init.httpMethod} ${init.path} failed (${init.code})`];
  if (init.httpStatus !== undefined && init.httpStatus !== null) {
    parts.push(`HTTP ${init.httpStatus}`);
  }
  if (init.zadarmaMessage) {
    parts.push(init.zadarmaMessage);
  }
  if (init.detail) {
    parts.push(init.detail);
  }
  return parts.join(': ');
}

/** Maps an HTTP status of a failed answer to the error code callers branch on. */
export function codeForHttpStatus(status: number): ZadarmaErrorCode {
  if (status === 401 || status === 403) {
    return 'unauthorized';
  }
  if (status === 429) {
    return 'rate_limited';
  }
  if (status === 404) {
    return 'not_found';
  }
  if (status >= 500) {
    return 'server';
  }
  if (status >= 400) {
    return 'bad_request';
  }
  return 'api_error';
}
