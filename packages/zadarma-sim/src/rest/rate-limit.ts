/**
 * Zadarma's request limits per API key (docs/zadarma-protocol.md §3): 100 requests a minute, 3 a minute for the
 * statistics methods. Sliding window on the wall clock — clients pace themselves in real time.
 */

export interface RateLimits {
  readonly general: number;
  readonly statistics: number;
  readonly windowMs: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = { general: 100, statistics: 3, windowMs: 60_000 };

type RateDecision =
  | { readonly ok: true; readonly limit: number; readonly remaining: number; readonly resetSeconds: number }
  | { readonly ok: false; readonly limit: number; readonly retryAfterSeconds: number };

export interface RateLimiter {
  check(key: string, statistics: boolean): RateDecision;
}

/** Creates a limiter, or one that always allows when `limits` is `false`. */
export function createRateLimiter(limits: RateLimits | false, now: () => number = Date.now): RateLimiter {
  const log = new Map<string, number[]>();
  function take(
    bucket: string,
    limit: number,
    at: number,
  ): { ok: boolean; remaining: number; oldest: number } {
    const windowStart = at - (limits === false ? 0 : limits.windowMs);
    const hits = (log.get(bucket) ?? []).filter((t) => t > windowStart);
    log.set(bucket, hits);
    if (hits.length >= limit) {
      return { ok: false, remaining: 0, oldest: hits[0] ?? at };
    }
    hits.push(at);
    return { ok: true, remaining: limit - hits.length, oldest: hits[0] ?? at };
  }
  return {
    check(key, statistics) {
      if (limits === false) {
        return { ok: true, limit: 0, remaining: 0, resetSeconds: 0 };
      }
      const at = now();
      const retry = (oldest: number): number =>
        Math.max(1, Math.ceil((oldest + limits.windowMs - at) / 1000));
      if (statistics) {
        const s = take(`${key}:statistics`, limits.statistics, at);
        if (!s.ok) {
          return { ok: false, limit: limits.statistics, retryAfterSeconds: retry(s.oldest) };
        }
      }
      const g = take(`${key}:general`, limits.general, at);
      if (!g.ok) {
        return { ok: false, limit: limits.general, retryAfterSeconds: retry(g.oldest) };
      }
      return { ok: true, limit: limits.general, remaining: g.remaining, resetSeconds: retry(g.oldest) };
    },
  };
}
