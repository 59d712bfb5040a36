/**
 * Failed sign-in counting: per (IP address, email) and per IP address across emails, in fixed one-minute
 * windows, in memory (each instance counts its own).
 */

/** Where a refusal comes from: too many failures for this email from this address, or from this address. */
type ThrottleScope = 'email' | 'address';

export interface LoginThrottle {
  /**
   * The refusal in force, or null when the attempt may proceed — it is then counted as a failure at once, so
   * parallel attempts cannot all pass before the first one fails.
   */
  begin(ip: string, email: string): { scope: ThrottleScope; retryAfterSeconds: number } | null;
  /** The attempt begun succeeded: it does not count, and the (IP, email) count starts again. */
  succeeded(ip: string, email: string): void;
}

export interface LoginThrottleOptions {
  /** Failures allowed per window for one (IP, email) pair (`LOGIN_RATE_LIMIT`). */
  readonly perEmail: number;
  /** Failures allowed per window for one IP across emails (default 5 × `perEmail`). */
  readonly perAddress?: number;
  readonly windowMs?: number;
  /** Keys kept at most; expired ones are swept first, then the oldest dropped. Bounds memory under a spray. */
  readonly maxKeys?: number;
  readonly now?: () => number;
}

interface Window {
  count: number;
  resetAt: number;
}

/**
 * Creates the throttle.
 * Why: counting successes locks out a user who signs in often, and a per-pair limit alone lets one address
 * try a password against every email.
 */
export function createLoginThrottle(options: LoginThrottleOptions): LoginThrottle {
  const perEmail = options.perEmail;
  const perAddress = options.perAddress ?? perEmail * 5;
  const windowMs = options.windowMs ?? 60_000;
  const maxKeys = options.maxKeys ?? 100_000;
  const now = options.now ?? Date.now;
  const windows = new Map<string, Window>();

  function current(key: string, at: number): Window | undefined {
    const w = windows.get(key);
    if (w && w.resetAt <= at) {
      windows.delete(key);
      return undefined;
    }
    return w;
  }

  function makeRoom(at: number): void {
    if (windows.size < maxKeys) {
      return;
    }
    for (const [key, w] of windows) {
      if (w.resetAt <= at) {
        windows.delete(key);
      }
    }
    // Still full: drop the oldest keys (a Map iterates in insertion order).
    for (const key of windows.keys()) {
      if (windows.size < maxKeys) {
        break;
      }
      windows.delete(key);
    }
  }

  function bump(key: string, at: number): void {
    const w = current(key, at);
    if (w) {
      w.count += 1;
      return;
    }
    makeRoom(at);
    windows.set(key, { count: 1, resetAt: at + windowMs });
  }

  const pairKey = (ip: string, email: string) => `e|${ip}|${email}`;
  const addressKey = (ip: string) => `a|${ip}`;

  return {
    begin(ip, email) {
      const at = now();
      const address = current(addressKey(ip), at);
      if (address && address.count >= perAddress) {
        return { scope: 'address', retryAfterSeconds: Math.max(1, Math.ceil((address.resetAt - at) / 1000)) };
      }
      const pair = current(pairKey(ip, email), at);
      if (pair && pair.count >= perEmail) {
        return { scope: 'email', retryAfterSeconds: Math.max(1, Math.ceil((pair.resetAt - at) / 1000)) };
      }
      bump(pairKey(ip, email), at);
      bump(addressKey(ip), at);
      return null;
    },
    succeeded(ip, email) {
      windows.delete(pairKey(ip, email));
      const address = current(addressKey(ip), now());
      if (address && address.count > 0) {
        address.count -= 1;
      }
    },
  };
}
