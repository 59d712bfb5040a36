import { describe, expect, it } from 'vitest';
import { createLoginThrottle } from './login-throttle.js';

describe('login throttle', () => {
  it('counts an attempt when it begins, so parallel attempts cannot all pass', () => {
    const throttle = createLoginThrottle({ perEmail: 3, now: () => 0 });
    const begun = Array.from({ length: 5 }, () => throttle.begin('198.51.100.1', 'a@example.test'));
    expect(begun.map((r) => r?.scope ?? null)).toEqual([null, null, null, 'email', 'email']);
  });

  it('forgets a success and resets the pair, but keeps the address count of earlier failures', () => {
    const throttle = createLoginThrottle({ perEmail: 2, perAddress: 3, now: () => 0 });
    expect(throttle.begin('ip', 'a')).toBeNull();
    expect(throttle.begin('ip', 'a')).toBeNull();
    expect(throttle.begin('ip', 'a')?.scope).toBe('email');
    expect(throttle.begin('ip', 'b')).toBeNull();
    throttle.succeeded('ip', 'b');
    expect(throttle.begin('ip', 'c')).toBeNull();
    expect(throttle.begin('ip', 'd')?.scope).toBe('address');
  });

  it('lifts a limit when its window ends and says when that is', () => {
    let at = 0;
    const throttle = createLoginThrottle({ perEmail: 1, windowMs: 60_000, now: () => at });
    throttle.begin('ip', 'a');
    at = 15_000;
    expect(throttle.begin('ip', 'a')).toEqual({ scope: 'email', retryAfterSeconds: 45 });
    at = 60_000;
    expect(throttle.begin('ip', 'a')).toBeNull();
  });

  it('keeps at most maxKeys keys under a spray of addresses', () => {
    const throttle = createLoginThrottle({ perEmail: 1, maxKeys: 100, now: () => 0 });
    for (let i = 0; i < 10_000; i++) {
      throttle.begin(`ip${i}`, 'a');
    }
    // The latest addresses are still counted; the oldest were dropped to stay within the bound.
    expect(throttle.begin('ip9999', 'a')?.scope).toBe('email');
    expect(throttle.begin('ip0', 'a')).toBeNull();
  });
});
