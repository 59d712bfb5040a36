import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  classifyMissedCall,
  classifyReturn,
  type FollowUpCall,
  fateOf,
  RETURN_WINDOW_CHOICES,
} from './missed-call-classification.js';

const MISSED = '2026-03-02T09:00:00.000Z';
const after = (seconds: number) => new Date(Date.parse(MISSED) + seconds * 1000).toISOString();

describe('classifyMissedCall', () => {
  it('says not returned when no connected call followed', () => {
    expect(classifyMissedCall(MISSED, [], 30)).toEqual({
      classification: 'not_returned',
      secondsToCallBack: null,
    });
    const attempts: FollowUpCall[] = [{ startedAt: after(60), direction: 'outbound', answered: false }];
    expect(classifyMissedCall(MISSED, attempts, 30).classification).toBe('not_returned');
  });

  it('says the client called back when their own call connected first', () => {
    const calls: FollowUpCall[] = [
      { startedAt: after(3600), direction: 'outbound', answered: true },
      { startedAt: after(600), direction: 'inbound', answered: true },
    ];
    expect(classifyMissedCall(MISSED, calls, 30)).toEqual({
      classification: 'client_called_back',
      secondsToCallBack: 600,
    });
  });

  it('sorts our returned calls into within N minutes, within 24 h and later', () => {
    const returned = (seconds: number) =>
      classifyMissedCall(MISSED, [{ startedAt: after(seconds), direction: 'outbound', answered: true }], 30);
    expect(returned(30 * 60)).toEqual({ classification: 'returned_within_n', secondsToCallBack: 1800 });
    expect(returned(30 * 60 + 1).classification).toBe('returned_within_24h');
    expect(returned(24 * 3600).classification).toBe('returned_within_24h');
    expect(returned(24 * 3600 + 1).classification).toBe('returned_later');
  });

  it('ignores calls that started before or with the missed call', () => {
    const calls: FollowUpCall[] = [
      { startedAt: after(-60), direction: 'outbound', answered: true },
      { startedAt: MISSED, direction: 'inbound', answered: true },
    ];
    expect(classifyMissedCall(MISSED, calls, 30).classification).toBe('not_returned');
  });

  it('does not depend on the order the later calls are listed in', () => {
    const call = fc.record({
      startedAt: fc.integer({ min: -3600, max: 3 * 86_400 }).map(after),
      direction: fc.constantFrom('inbound' as const, 'outbound' as const),
      answered: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(call, { maxLength: 8 }), fc.integer({ min: 1, max: 240 }), (calls, minutes) => {
        const expected = classifyMissedCall(MISSED, calls, minutes);
        expect(classifyMissedCall(MISSED, [...calls].reverse(), minutes)).toEqual(expected);
        expect(classifyMissedCall(MISSED, [...calls, ...calls], minutes)).toEqual(expected);
      }),
    );
  });
});

describe('the return window buckets', () => {
  it('are the choices the setting offers (the platform repeats the list)', async () => {
    const { RETURN_WINDOW_MINUTES } = await import('../../../platform/settings/setting-definitions.js');
    expect([...RETURN_WINDOW_MINUTES]).toEqual([...RETURN_WINDOW_CHOICES]);
  });

  it('classify a stored return as classifyMissedCall does, for every window choice', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 * 86_400 }),
        fc.constantFrom('inbound' as const, 'outbound' as const),
        fc.constantFrom(...RETURN_WINDOW_CHOICES),
        (seconds, direction, minutes) => {
          const expected = classifyMissedCall(
            MISSED,
            [{ startedAt: after(seconds), direction, answered: true }],
            minutes,
          );
          const stored = {
            returnAt: after(seconds),
            returnDirection: direction === 'outbound' ? ('out' as const) : ('in' as const),
          };
          expect(fateOf(MISSED, stored, minutes)).toEqual(expected);
        },
      ),
    );
    expect(fateOf(MISSED, { returnAt: null, returnDirection: null }, 30)).toEqual(
      classifyMissedCall(MISSED, [], 30),
    );
  });

  it('refuse a window no choice offers, which the buckets would cut at the next choice up', () => {
    // Returned by us 6 minutes after: within 7 by the rule, but its bucket is r10 (> 7).
    const stored = { returnAt: after(360), returnDirection: 'out' as const };
    expect(classifyReturn(MISSED, stored, 7).classification).toBe('returned_within_n');
    for (const minutes of [7, 180, 1440, 0]) {
      expect(() => fateOf(MISSED, stored, minutes)).toThrow(RangeError);
    }
  });
});
