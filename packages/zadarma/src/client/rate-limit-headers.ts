/**
 * Rate-limit information read from one answer's headers. Returned with that answer rather than stored on
 * the client, so concurrent calls never see each other's figures.
 */

/** The limit headers of one Zadarma answer (names are not documented; docs/zadarma-protocol.md §3, §9.6). */
export interface RateLimitInfo {
  /** `X-RateLimit-Limit`. */
  readonly limit: number | null;
  /** `X-RateLimit-Remaining`. */
  readonly remaining: number | null;
  /** `X-RateLimit-Reset`, as sent (seconds or a Unix time — Zadarma does not say which). */
  readonly reset: number | null;
  /** `Retry-After` converted to milliseconds from now (seconds or an HTTP date). */
  readonly retryAfterMs: number | null;
  /** `X-Zadarma-Method`. */
  readonly method: string | null;
  /** Every `x-ratelimit-*` header plus `retry-after` and `x-zadarma-method`, names lower-cased. */
  readonly headers: Readonly<Record<string, string>>;
}

function numberOrNull(text: string | undefined): number | null {
  if (text === undefined || text.trim() === '') {
    return null;
  }
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

/** Parses `Retry-After` (delta-seconds or HTTP date) into milliseconds from `nowMs`; `null` when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | null {
  if (value === null || value === undefined || value.trim() === '') {
    return null;
  }
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) {
    return Math.round(Number(text) * 1000);
  }
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

/** Collects the rate-limit headers of one answer. */
export function readRateLimitHeaders(headers: Headers, nowMs: number): RateLimitInfo {
  const kept: Record<string, string> = {};
  headers.forEach((value, name) => {
    const lower = name.toLowerCase();
    if (lower.startsWith('x-ratelimit-') || lower === 'retry-after' || lower === 'x-zadarma-method') {
      kept[lower] = value;
    }
  });
  return {
    limit: numberOrNull(kept['x-ratelimit-limit']),
    remaining: numberOrNull(kept['x-ratelimit-remaining']),
    reset: numberOrNull(kept['x-ratelimit-reset']),
    retryAfterMs: parseRetryAfter(kept['retry-after'], nowMs),
    method: kept['x-zadarma-method'] ?? null,
    headers: kept,
  };
}
