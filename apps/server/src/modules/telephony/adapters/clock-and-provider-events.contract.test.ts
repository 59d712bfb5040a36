/**
 * The contracts of the two ports with no storage behind them. `Clock`: the system clock and the manual one of
 * the unit tests. `ProviderEvents`: Zadarma's adapter, the only provider (the in-memory ports use it too, it is
 * pure); a second provider joins the list and must pass the same suite.
 */
import type { TWebhookEvent } from '@switchboard/zadarma';
import { describe, expect, it } from 'vitest';
import type { Clock, ProviderEvents } from '../ports.js';
import { createManualClock } from './in-memory-telephony.js';
import { systemClock } from './system-clock.js';
import { zadarmaProviderEvents } from './zadarma/zadarma-call-event.js';

const CLOCKS: { name: string; clock: Clock }[] = [
  { name: 'system', clock: systemClock },
  { name: 'manual', clock: createManualClock() },
];

describe.each(CLOCKS)('Clock contract: $name', ({ clock }) => {
  it('gives whole milliseconds since the epoch, never going back', () => {
    const first = clock.now();
    const second = clock.now();
    expect(Number.isInteger(first)).toBe(true);
    expect(first).toBeGreaterThan(Date.parse('2020-01-01T00:00:00Z'));
    expect(second).toBeGreaterThanOrEqual(first);
  });
});

describe('the manual clock', () => {
  it('moves only when told', () => {
    const clock = createManualClock(Date.parse('2026-01-15T09:00:00.000Z'));
    expect(clock.now()).toBe(clock.now());
    clock.advance(1_500);
    expect(new Date(clock.now()).toISOString()).toBe('2026-01-15T09:00:01.500Z');
    clock.set(Date.parse('2026-02-01T00:00:00.000Z'));
    expect(new Date(clock.now()).toISOString()).toBe('2026-02-01T00:00:00.000Z');
  });
});

/** A NOTIFY_START of a call that started at 10:15:30 account time (UTC+3), i.e. 07:15:30 UTC. */
const START = {
  event: 'NOTIFY_START',
  call_start: '2024-05-14 10:15:30',
  pbx_call_id: 'in_contract0000000000000000000000000000001',
  caller_id: '442037691880',
  called_did: '442037691999',
} as TWebhookEvent;
const STARTED_AT = Date.parse('2024-05-14T07:15:30.000Z');

const PROVIDERS: { name: string; provider: ProviderEvents }[] = [
  { name: 'zadarma', provider: zadarmaProviderEvents },
];

describe.each(PROVIDERS)('ProviderEvents contract: $name', ({ provider }) => {
  it('turns a call notification into the call’s domain event, its start read in the account timezone', () => {
    const event = provider.toCallEvent(START, { timezone: 'UTC+3', receivedAt: '2024-05-14T07:15:31.000Z' });
    expect(event).toMatchObject({
      kind: 'start',
      pbxCallId: 'in_contract0000000000000000000000000000001',
      startedAt: '2024-05-14T07:15:30.000Z',
      receivedAt: '2024-05-14T07:15:31.000Z',
    });
  });

  it('gives no call event for a notification that is not about a call’s progress', () => {
    const sms = { event: 'SMS', result: '{}' } as TWebhookEvent;
    expect(
      provider.toCallEvent(sms, { timezone: 'UTC+3', receivedAt: '2024-05-14T07:15:31.000Z' }),
    ).toBeNull();
  });

  it('says a notification is fresh within the window and stale outside it, with the reason', () => {
    expect(provider.freshness(START, 'UTC+3', STARTED_AT + 1_000, {})).toEqual({ ok: true });
    const stale = provider.freshness(START, 'UTC+3', STARTED_AT + 5 * 3_600_000, {});
    expect(stale).toMatchObject({ ok: false, reason: expect.stringMatching(/stale/) });
    // A narrower window, as a caller may ask for.
    expect(provider.freshness(START, 'UTC+3', STARTED_AT + 120_000, { maxAgeMs: 60_000 }).ok).toBe(false);
  });
});
