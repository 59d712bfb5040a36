import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  callback,
  inboundAnswered,
  inboundBlacklistedBusy,
  inboundBlacklistedReplayed,
  inboundHiddenBusy,
  inboundMissed,
  inboundTransferred,
  outboundAnswered,
  SCENARIOS,
} from '../test-support/call-scenarios.js';
import { attributeCall } from './call-attribution.js';
import type { CallEvent } from './call-event.js';
import { callOutcome, isMissed, talkSeconds, waitingSeconds } from './call-outcome.js';
import { foldCall } from './fold-call.js';

describe('attributeCall', () => {
  it('credits an answered inbound call to the extension that answered', () => {
    expect(attributeCall(foldCall(inboundAnswered))).toEqual({ extension: '101', rule: 'answered' });
  });

  it('credits a transferred call to its last participant', () => {
    const call = foldCall(inboundTransferred);
    expect(call.answers.length).toBeGreaterThan(1);
    expect(attributeCall(call)).toEqual({
      extension: call.end?.lastInternal,
      rule: 'transfer_last_participant',
    });
  });

  it('credits a missed call to the first extension rung', () => {
    expect(attributeCall(foldCall(inboundMissed))).toEqual({ extension: '101', rule: 'missed_first_rung' });
  });

  it('credits outbound calls and click-to-calls to the extension that placed them', () => {
    expect(attributeCall(foldCall(outboundAnswered)).rule).toBe('placed_by');
    const placed = attributeCall(foldCall(callback));
    expect(placed.rule).toBe('placed_by');
    expect(placed.extension).toMatch(/^\d{3}$/);
  });

  it('names no extension for a call no extension took part in', () => {
    const ivrOnly = inboundMissed.filter((e) => e.kind !== 'internal');
    expect(attributeCall(foldCall(ivrOnly))).toEqual({ extension: null, rule: 'unrouted' });
  });

  it('gives the same attribution for every arrival order of every scenario', () => {
    for (const events of Object.values(SCENARIOS)) {
      const expected = attributeCall(foldCall(events));
      fc.assert(
        fc.property(fc.shuffledSubarray([...events], { minLength: events.length }), (order) => {
          expect(attributeCall(foldCall(order as CallEvent[]))).toEqual(expected);
        }),
        { numRuns: 50 },
      );
    }
  });
});

describe('callOutcome', () => {
  it('reads answered, cancelled and busy calls in plain words', () => {
    expect(callOutcome(foldCall(inboundAnswered))).toBe('answered');
    expect(callOutcome(foldCall(inboundMissed))).toBe('cancelled');
    expect(callOutcome(foldCall(inboundHiddenBusy))).toBe('busy');
  });

  it('tells a hang-up in the voice menu from a cancelled ring', () => {
    const ivrOnly = inboundMissed.filter((e) => e.kind !== 'internal');
    expect(callOutcome(foldCall(ivrOnly))).toBe('ivr_hangup');
    expect(isMissed('inbound', 'ivr_hangup')).toBe(true);
    expect(isMissed('outbound', 'no_answer')).toBe(false);
  });

  it('tells a call the blacklist refused from a missed one, however Zadarma ended it', () => {
    expect(callOutcome(foldCall(inboundBlacklistedBusy))).toBe('blacklisted');
    expect(callOutcome(foldCall(inboundBlacklistedReplayed))).toBe('blacklisted');
    // Refused on purpose: not a missed call owed a return.
    expect(isMissed('inbound', 'blacklisted')).toBe(false);
    // While it is not ended it is live like any call.
    expect(callOutcome(foldCall(inboundBlacklistedBusy.filter((e) => e.kind !== 'end')))).toBe('live');
  });

  it('says live until the end arrives, whatever else did', () => {
    expect(callOutcome(foldCall(inboundAnswered.filter((e) => e.kind !== 'end')))).toBe('live');
  });

  it('reads every failure disposition as failed', () => {
    for (const disposition of ['failed', 'call failed', 'no money', 'unallocated number', 'line limit']) {
      const events = inboundMissed.map((e) => (e.kind === 'end' ? { ...e, disposition } : e));
      expect(callOutcome(foldCall(events))).toBe('failed');
    }
  });
});

describe('waiting and talk time', () => {
  it('counts the wait until the first answer and the talk time of an answered call', () => {
    const call = foldCall(inboundAnswered);
    expect(waitingSeconds(call)).toBe(6);
    expect(talkSeconds(call)).toBe(67);
  });

  it('counts the wait until the hang-up of a missed call, and no talk time', () => {
    const call = foldCall(inboundMissed);
    expect(waitingSeconds(call)).toBeGreaterThanOrEqual(0);
    expect(talkSeconds(call)).toBe(0);
  });

  it('has neither while the call is live', () => {
    const call = foldCall(inboundAnswered.slice(0, 3));
    expect(waitingSeconds(call)).toBeNull();
    expect(talkSeconds(call)).toBeNull();
  });
});
