import { describe, expect, it } from 'vitest';
import {
  callbackTaskTitle,
  createsForEveryCall,
  isMissedInbound,
  looksLikeSpam,
  matchNewCallerRule,
  type NewCallerRule,
} from './after-call-policy.js';

const rule = (partial: Partial<NewCallerRule>): NewCallerRule => ({
  direction: 'any',
  outcome: 'any',
  minTalkSeconds: 0,
  action: 'contact',
  pipelineId: null,
  stageId: null,
  assignTo: 'agent',
  ...partial,
});

describe('after-call policy', () => {
  it('calls back missed and busy inbound calls only', () => {
    expect(isMissedInbound({ direction: 'inbound', status: 'missed' })).toBe(true);
    expect(isMissedInbound({ direction: 'inbound', status: 'busy' })).toBe(true);
    expect(isMissedInbound({ direction: 'inbound', status: 'busy', blacklisted: true })).toBe(false);
    expect(isMissedInbound({ direction: 'inbound', status: 'missed', blacklisted: true })).toBe(false);
    expect(isMissedInbound({ direction: 'inbound', status: 'failed' })).toBe(false);
    expect(isMissedInbound({ direction: 'inbound', status: 'answered' })).toBe(false);
    expect(isMissedInbound({ direction: 'outbound', status: 'no_answer' })).toBe(false);
  });

  it('takes the first rule matching direction, outcome and talk time', () => {
    const rules = [
      rule({ direction: 'in', outcome: 'answered', minTalkSeconds: 30, action: 'deal' }),
      rule({ direction: 'in', outcome: 'answered', action: 'contact' }),
      rule({ direction: 'out', outcome: 'missed', action: 'none' }),
    ];
    expect(
      matchNewCallerRule(rules, { direction: 'inbound', status: 'answered', duration: 31 })?.action,
    ).toBe('deal');
    expect(
      matchNewCallerRule(rules, { direction: 'inbound', status: 'answered', duration: 29 })?.action,
    ).toBe('contact');
    expect(matchNewCallerRule(rules, { direction: 'inbound', status: 'missed', duration: 0 })).toBeNull();
    expect(
      matchNewCallerRule(rules, { direction: 'outbound', status: 'no_answer', duration: 0 })?.action,
    ).toBe('none');
  });

  it('finds the rule sets that would create a record for every call', () => {
    expect(createsForEveryCall([rule({})])).toBe(true);
    expect(createsForEveryCall([rule({ direction: 'in' }), rule({ direction: 'out', action: 'lead' })])).toBe(
      true,
    );
    expect(createsForEveryCall([rule({ minTalkSeconds: 5 })])).toBe(false);
    expect(createsForEveryCall([rule({ action: 'inbox' })])).toBe(false);
    expect(createsForEveryCall([rule({ direction: 'in' })])).toBe(false);
    expect(createsForEveryCall([])).toBe(false);
  });

  it('hints spam after three calls that were all very short', () => {
    expect(looksLikeSpam({ calls: 3, shortCalls: 3 })).toBe(true);
    expect(looksLikeSpam({ calls: 2, shortCalls: 2 })).toBe(false);
    expect(looksLikeSpam({ calls: 4, shortCalls: 3 })).toBe(false);
  });

  it("titles the callback task in its assignee's language, with the count", () => {
    const base = { number: '+33612345678', name: null };
    expect(callbackTaskTitle({ ...base, missedCalls: 1, locale: 'en' })).toBe(
      'Call back +33612345678 — missed call',
    );
    expect(callbackTaskTitle({ ...base, missedCalls: 3, locale: 'en' })).toBe(
      'Call back +33612345678 — called 3×',
    );
    expect(callbackTaskTitle({ ...base, name: 'Anna', missedCalls: 2, locale: 'fr' })).toBe(
      'Rappeler Anna (+33612345678) — a appelé 2×',
    );
    expect(callbackTaskTitle({ ...base, missedCalls: 3, locale: 'ru' })).toBe(
      'Перезвонить +33612345678 — звонил(а) 3 раза',
    );
    expect(callbackTaskTitle({ ...base, missedCalls: 5, locale: 'ru' })).toBe(
      'Перезвонить +33612345678 — звонил(а) 5 раз',
    );
  });
});
