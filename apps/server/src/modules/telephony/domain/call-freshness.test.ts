import { describe, expect, it } from 'vitest';
import { checkFreshness, MAX_CALL_AGE_MS, MAX_CLOCK_SKEW_MS } from './call-freshness.js';

// call_start 2024-05-14 10:15:30 in UTC+3 is 07:15:30Z.
const callStart = '2024-05-14 10:15:30';
const timezone = 'UTC+3';
const started = Date.parse('2024-05-14T07:15:30.000Z');

describe('checkFreshness', () => {
  it('accepts a call_start from now back to the window, and up to the clock skew ahead', () => {
    for (const now of [started, started + 1000, started + MAX_CALL_AGE_MS, started - MAX_CLOCK_SKEW_MS]) {
      expect(checkFreshness({ callStart, timezone, now })).toEqual({ ok: true });
    }
    expect(checkFreshness({ callStart, timezone, now: '2024-05-14T09:15:30.000Z' })).toEqual({ ok: true });
  });

  it('refuses a call_start older than the window: a captured signature replayed later', () => {
    const result = checkFreshness({ callStart, timezone, now: started + MAX_CALL_AGE_MS + 1000 });
    expect(result).toEqual({
      ok: false,
      reason: expect.stringMatching(/^stale: call_start 2024-05-14 10:15:30 \(UTC\+3\) is 4 h 0 min old/),
    });
    expect(checkFreshness({ callStart, timezone, now: started + 86_400_000 })).toMatchObject({ ok: false });
  });

  it('refuses a call_start ahead of the clock by more than the skew, suspecting the timezone', () => {
    // The same wall-clock text read as UTC instead of UTC+3 is three hours ahead.
    const result = checkFreshness({ callStart, timezone: 'UTC', now: started });
    expect(result).toEqual({
      ok: false,
      reason: expect.stringMatching(
        /^from the future: .* 3 h 0 min ahead .* is the account timezone right\?$/,
      ),
    });
  });

  it('refuses an end claiming more talk than the time since its start (42 s → 99,999 s)', () => {
    const now = started + 60_000;
    expect(checkFreshness({ callStart, timezone, now, durationSeconds: 42 })).toEqual({ ok: true });
    expect(checkFreshness({ callStart, timezone, now, durationSeconds: 99_999 })).toEqual({
      ok: false,
      reason: expect.stringMatching(
        /^implausible duration: 99999 s of talk, but call_start .* was 1 min ago$/,
      ),
    });
    expect(checkFreshness({ callStart, timezone, now, durationSeconds: 0 })).toEqual({ ok: true });
  });

  it('refuses an unreadable call_start or timezone with the reason', () => {
    expect(checkFreshness({ callStart: '2024-02-30 10:00:00', timezone, now: started })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^unreadable call_start: .*not a real calendar date/),
    });
    expect(checkFreshness({ callStart, timezone: 'Mars', now: started })).toMatchObject({ ok: false });
  });

  it('takes its window and skew from the caller when given', () => {
    expect(checkFreshness({ callStart, timezone, now: started + 61_000, maxAgeMs: 60_000 })).toMatchObject({
      ok: false,
    });
    expect(checkFreshness({ callStart, timezone, now: started - 2000, maxSkewMs: 1000 })).toMatchObject({
      ok: false,
    });
  });
});
