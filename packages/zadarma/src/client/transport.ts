/**
 * The low-level signed Zadarma call: path normalisation, `format=json`, signing, rate limiting, timeout,
 * abort, retries and error mapping. The typed methods in `zadarma-client.ts` are thin wrappers over it.
 */
import type { z } from 'zod';
import { httpBuildQuery, type QueryParams, type QueryValue } from '../php-query.js';
import { authorizationHeader, signRequest } from '../signing.js';
import { type Clock, systemClock } from './clock.js';
import { codeForHttpStatus, ZadarmaApiError, type ZadarmaErrorCode } from './errors.js';
import { type RateLimitInfo, readRateLimitHeaders } from './rate-limit-headers.js';
import { RequestBucket, type RequestBucketLimit } from './request-bucket.js';

/** Production API host (docs/zadarma-protocol.md §1). */
export const ZADARMA_BASE_URL = 'https://api.zadarma.com';
/** Sandbox API host used by the official clients (docs/zadarma-protocol.md §1). */
export const ZADARMA_SANDBOX_URL = 'https://api-sandbox.zadarma.com';

/** Documented limits (docs/zadarma-protocol.md §3): 100 requests/min overall, 3/min for `/v1/statistics/*`. */
export const DEFAULT_RATE_LIMITS = Object.freeze({
  general: Object.freeze({ requests: 100, perMs: 60_000 }),
  statistics: Object.freeze({ requests: 3, perMs: 60_000 }),
});

export const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * Paths that are never retried, whatever the caller says: each call rings a phone, sends a message or costs
 * money, so a retry after a lost answer could do it twice (`request/callback` is a GET, docs/zadarma-protocol.md §4.2).
 */
export const NEVER_RETRIED_PATHS: ReadonlySet<string> = new Set([
  '/v1/request/callback/',
  '/v1/request/checknumber/',
  '/v1/sms/send/',
  '/v1/info/number_lookup/',
  '/v1/verify/',
  '/v1/verify/check/',
]);

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export type RequestParams = QueryParams | ReadonlyMap<string, QueryValue>;

export interface RetryOptions {
  /** Total attempts including the first; 1 disables retries. Default 3. */
  readonly maxAttempts?: number;
  /** First backoff step; doubles per attempt. Default 500 ms. */
  readonly baseDelayMs?: number;
  /** Cap of one backoff step. Default 10 s. */
  readonly maxDelayMs?: number;
  /** A `Retry-After` longer than this is not waited for: the error is thrown instead. Default 60 s. */
  readonly maxRetryAfterMs?: number;
  /** Jitter source in [0, 1). Default `Math.random`. */
  readonly random?: () => number;
}

export interface RateLimitOptions {
  /** Bucket for every request; `false` turns it off. Default 100/min. */
  readonly general?: RequestBucketLimit | false;
  /** Extra bucket for `/v1/statistics/*`; `false` turns it off. Default 3/min (some accounts get 10/min). */
  readonly statistics?: RequestBucketLimit | false;
}

export interface ZadarmaTransportOptions {
  readonly key: string;
  readonly secret: string;
  /** Default {@link ZADARMA_BASE_URL}; the simulator's URL in tests and demo mode. */
  readonly baseUrl?: string;
  readonly fetch?: typeof fetch;
  readonly clock?: Clock;
  /** Per-attempt timeout in ms (covers the answer body too); 0 disables. Default 30 s. */
  readonly timeoutMs?: number;
  /** `false` disables client-side limiting altogether. */
  readonly rateLimits?: RateLimitOptions | false;
  /** `false` disables retries. */
  readonly retry?: RetryOptions | false;
}

export interface ZadarmaRequestOptions {
  /** Caller's cancellation: aborts the token wait, the HTTP exchange and the backoff sleep. */
  readonly signal?: AbortSignal;
  /** Overrides the client's per-attempt timeout. */
  readonly timeoutMs?: number;
}

export interface ZadarmaRequest<T> extends ZadarmaRequestOptions {
  readonly method: HttpMethod;
  /** `info/balance`, `/v1/info/balance` or `/v1/info/balance/` — all sent as `/v1/info/balance/`. */
  readonly path: string;
  readonly params?: RequestParams;
  /**
   * May this request be repeated after a 429/5xx/network error? Default: `true` for GET, `false` otherwise.
   * Ignored (never retried) for {@link NEVER_RETRIED_PATHS}.
   */
  readonly idempotent?: boolean;
  /** Validates and types the answer; without it `data` is the parsed JSON. */
  readonly schema?: z.ZodType<T>;
}

/** A successful answer with the metadata of the HTTP exchange that produced it. */
export interface ZadarmaResponse<T> {
  readonly data: T;
  /** HTTP status of the final attempt. */
  readonly status: number;
  /** Rate-limit headers of this answer (never shared between calls). */
  readonly limits: RateLimitInfo;
  readonly attempts: number;
}

/**
 * The path exactly as it is signed and sent: `/v1/<method>/` with the trailing slash the official clients
 * use, except Teamsale's `/v1/zcrm/*` which must not get one (docs/zadarma-protocol.md §1).
 */
export function methodPath(method: string): string {
  if (method.includes('?') || method.includes('#')) {
    throw new TypeError(`Zadarma method path must not contain a query or fragment: ${method}`);
  }
  let path = method.replace(/^\/+/, '');
  if (!path.startsWith('v1/')) {
    path = `v1/${path}`;
  }
  path = `/${path}`;
  if (!path.startsWith('/v1/zcrm') && !path.endsWith('/')) {
    path += '/';
  }
  return path;
}

function withFormat(params: RequestParams | undefined): RequestParams {
  // Every official client adds format=json before signing, so it is part of the signature (docs/zadarma-protocol.md §1).
  if (params instanceof Map) {
    const copy = new Map<string, QueryValue>(params);
    copy.set('format', 'json');
    return copy;
  }
  return { ...(params as QueryParams | undefined), format: 'json' };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const RETRYABLE: ReadonlySet<ZadarmaErrorCode> = new Set(['rate_limited', 'server', 'network']);

interface Attempt {
  readonly method: HttpMethod;
  readonly path: string;
  readonly url: string;
  readonly body: string | undefined;
  readonly authorization: string;
  readonly attempt: number;
  readonly timeoutMs: number;
  readonly signal: AbortSignal | undefined;
}

/** Signs, limits, sends and retries Zadarma API calls; holds no per-call state, so calls may run concurrently. */
export class ZadarmaTransport {
  readonly baseUrl: string;
  readonly #key: string;
  readonly #secret: string;
  readonly #fetch: typeof fetch;
  readonly #clock: Clock;
  readonly #timeoutMs: number;
  readonly #general: RequestBucket | null;
  readonly #statistics: RequestBucket | null;
  readonly #retry: Required<RetryOptions>;

  constructor(options: ZadarmaTransportOptions) {
    if (!options.key || !options.secret) {
      throw new TypeError('Zadarma client needs both an API key and a secret');
    }
    this.#key = options.key;
    this.#secret = options.secret;
    this.baseUrl = (options.baseUrl ?? ZADARMA_BASE_URL).replace(/\/+$/, '');
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#clock = options.clock ?? systemClock;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const limits =
      options.rateLimits === false
        ? { general: false as const, statistics: false as const }
        : options.rateLimits;
    const general = limits?.general ?? DEFAULT_RATE_LIMITS.general;
    const statistics = limits?.statistics ?? DEFAULT_RATE_LIMITS.statistics;
    this.#general = general === false ? null : new RequestBucket(general, this.#clock);
    this.#statistics = statistics === false ? null : new RequestBucket(statistics, this.#clock);
    const retry = options.retry === false ? { maxAttempts: 1 } : (options.retry ?? {});
    this.#retry = {
      maxAttempts: Math.max(1, retry.maxAttempts ?? 3),
      baseDelayMs: retry.baseDelayMs ?? 500,
      maxDelayMs: retry.maxDelayMs ?? 10_000,
      maxRetryAfterMs: retry.maxRetryAfterMs ?? 60_000,
      random: retry.random ?? Math.random,
    };
  }

  /** Performs one signed call and returns its typed data with the answer's status and limit headers. */
  async request<T = unknown>(request: ZadarmaRequest<T>): Promise<ZadarmaResponse<T>> {
    const path = methodPath(request.path);
    const params = withFormat(request.params);
    const query = httpBuildQuery(params);
    const authorization = authorizationHeader(this.#key, signRequest({ path, params, secret: this.#secret }));
    const isGet = request.method === 'GET';
    const idempotent = !NEVER_RETRIED_PATHS.has(path) && (request.idempotent ?? isGet);
    const maxAttempts = idempotent ? this.#retry.maxAttempts : 1;
    const buckets = [path.startsWith('/v1/statistics/') ? this.#statistics : null, this.#general];

    for (let attempt = 1; ; attempt++) {
      try {
        for (const bucket of buckets) {
          await bucket?.take(request.signal);
        }
      } catch (cause) {
        throw this.#aborted(request.method, path, attempt - 1, cause);
      }
      try {
        const response = await this.#attempt({
          method: request.method,
          path,
          url: `${this.baseUrl}${path}${isGet && query !== '' ? `?${query}` : ''}`,
          body: isGet ? undefined : query,
          authorization,
          attempt,
          timeoutMs: request.timeoutMs ?? this.#timeoutMs,
          signal: request.signal,
        });
        const data = this.#validate(request, path, response, attempt);
        return { data, status: response.status, limits: response.limits, attempts: attempt };
      } catch (error) {
        if (!(error instanceof ZadarmaApiError) || !RETRYABLE.has(error.code) || attempt >= maxAttempts) {
          throw error;
        }
        const delay = this.#backoff(error, attempt);
        if (delay === null) {
          throw error;
        }
        try {
          await this.#clock.sleep(delay, request.signal);
        } catch (cause) {
          throw this.#aborted(request.method, path, attempt, cause);
        }
      }
    }
  }

  /** Delay before the next attempt: `Retry-After` when given, else exponential backoff with jitter. */
  #backoff(error: ZadarmaApiError, attempt: number): number | null {
    const retryAfter = error.retryAfterMs;
    if (retryAfter !== null) {
      return retryAfter > this.#retry.maxRetryAfterMs ? null : retryAfter;
    }
    const step = Math.min(this.#retry.maxDelayMs, this.#retry.baseDelayMs * 2 ** (attempt - 1));
    // "Equal jitter": at least half the step, so retries never stampede back immediately.
    return Math.round(step / 2 + (this.#retry.random() * step) / 2);
  }

  #aborted(httpMethod: string, path: string, attempts: number, cause: unknown): ZadarmaApiError {
    return new ZadarmaApiError({
      code: 'aborted',
      httpMethod,
      path,
      attempts,
      cause,
      detail: 'aborted by the caller',
    });
  }

  async #attempt(a: Attempt): Promise<{ status: number; limits: RateLimitInfo; body: unknown }> {
    const controller = new AbortController();
    const onCallerAbort = (): void => controller.abort(a.signal?.reason);
    if (a.signal?.aborted) {
      throw this.#aborted(a.method, a.path, a.attempt - 1, a.signal.reason);
    }
    a.signal?.addEventListener('abort', onCallerAbort, { once: true });
    const timer = new AbortController();
    let timedOut = false;
    if (a.timeoutMs > 0 && Number.isFinite(a.timeoutMs)) {
      this.#clock.sleep(a.timeoutMs, timer.signal).then(
        () => {
          timedOut = true;
          controller.abort(new DOMException(`timed out after ${a.timeoutMs} ms`, 'TimeoutError'));
        },
        () => {},
      );
    }
    const fail = (cause: unknown): ZadarmaApiError => {
      if (a.signal?.aborted) {
        return this.#aborted(a.method, a.path, a.attempt, cause);
      }
      const code = timedOut ? 'timeout' : 'network';
      const detail = timedOut
        ? `no answer within ${a.timeoutMs} ms`
        : String((cause as Error)?.message ?? cause);
      return new ZadarmaApiError({
        code,
        httpMethod: a.method,
        path: a.path,
        attempts: a.attempt,
        cause,
        detail,
      });
    };
    try {
      const headers: Record<string, string> = { authorization: a.authorization, accept: 'application/json' };
      if (a.body !== undefined) {
        headers['content-type'] = 'application/x-www-form-urlencoded';
      }
      let response: Response;
      let text: string;
      try {
        // Called detached: a browser's `fetch` throws "Illegal invocation" when `this` is another object.
        const fetchFn = this.#fetch;
        response = await fetchFn(a.url, {
          method: a.method,
          headers,
          body: a.body,
          signal: controller.signal,
        });
        text = await response.text();
      } catch (cause) {
        throw fail(cause);
      }
      return this.#interpret(a, response, text);
    } finally {
      timer.abort();
      a.signal?.removeEventListener('abort', onCallerAbort);
    }
  }

  #interpret(
    a: Attempt,
    response: Response,
    text: string,
  ): { status: number; limits: RateLimitInfo; body: unknown } {
    const limits = readRateLimitHeaders(response.headers, this.#clock.now());
    let body: unknown = text;
    let json = false;
    try {
      body = JSON.parse(text);
      json = true;
    } catch {
      // Not JSON: an HTML error page from a proxy, or an empty body. Reported below.
    }
    const envelope = json && isRecord(body) ? body : null;
    const message = typeof envelope?.message === 'string' ? envelope.message : null;
    const base = {
      httpMethod: a.method,
      path: a.path,
      httpStatus: response.status,
      limits,
      attempts: a.attempt,
      body,
    };
    // Failure is HTTP >= 400 OR status "error", as in the official clients (docs/zadarma-protocol.md §3).
    if (response.status >= 400 || envelope?.status === 'error') {
      const snippet = json ? undefined : text.slice(0, 200).trim() || undefined;
      throw new ZadarmaApiError({
        ...base,
        code: response.status >= 400 ? codeForHttpStatus(response.status) : 'api_error',
        zadarmaMessage: message,
        detail: snippet,
      });
    }
    if (!envelope) {
      throw new ZadarmaApiError({
        ...base,
        code: 'invalid_response',
        detail: `expected a JSON object, got: ${text.slice(0, 200) || '(empty body)'}`,
      });
    }
    return { status: response.status, limits, body: envelope };
  }

  #validate<T>(
    request: ZadarmaRequest<T>,
    path: string,
    response: { status: number; limits: RateLimitInfo; body: unknown },
    attempt: number,
  ): T {
    if (!request.schema) {
      return response.body as T;
    }
    const parsed = request.schema.safeParse(response.body);
    if (parsed.success) {
      return parsed.data;
    }
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new ZadarmaApiError({
      code: 'invalid_response',
      httpMethod: request.method,
      path,
      httpStatus: response.status,
      limits: response.limits,
      attempts: attempt,
      body: response.body,
      detail: `unexpected answer shape — ${issues}`,
    });
  }
}
