import { describe, expect, it } from 'vitest';
import type { CallbackStatusEvent } from '../api/types.js';
import { applyCallbackEvent, type CallbackProgress, callbackStep, matchCallback } from './callback-status.js';

const start = (requestId: string): CallbackProgress => ({
  requestId,
  pbxCallId: null,
  to: '+33612345678',
  agent: null,
  client: null,
  disposition: null,
});

const ev = (
  leg: 'agent' | 'client',
  state: CallbackStatusEvent['state'],
  disposition: string | null = null,
): CallbackStatusEvent => ({
  requestId: null,
  pbxCallId: 'out_1',
  leg,
  state,
  disposition,
});

describe('click-to-call progress', () => {
  it('goes ringing your phone → calling the client → connected → ended', () => {
    let p = start('r1');
    expect(callbackStep(p)).toBe('requested');
    p = applyCallbackEvent(p, ev('agent', 'ringing'));
    expect(callbackStep(p)).toBe('ringingAgent');
    p = applyCallbackEvent(p, ev('client', 'ringing'));
    expect(callbackStep(p)).toBe('callingClient');
    p = applyCallbackEvent(p, ev('client', 'answered'));
    expect(callbackStep(p)).toBe('connected');
    p = applyCallbackEvent(p, ev('client', 'ended', 'answered'));
    expect(callbackStep(p)).toBe('ended');
    expect(p).toMatchObject({ pbxCallId: 'out_1', disposition: 'answered' });
  });

  it('stays ended when a leg event arrives late', () => {
    let p = applyCallbackEvent(start('r1'), ev('agent', 'ended', 'no answer'));
    p = applyCallbackEvent(p, ev('agent', 'ringing'));
    expect(callbackStep(p)).toBe('ended');
    expect(p.disposition).toBe('no answer');
  });

  it('matches an event by request id, then by call id, then to the newest request still waiting', () => {
    const a = { ...start('a'), pbxCallId: 'out_a' };
    const b = start('b');
    const c = start('c');
    expect(matchCallback([a, b, c], { ...ev('agent', 'ringing'), requestId: 'b' })).toBe(b);
    expect(matchCallback([a, b, c], { ...ev('agent', 'ringing'), pbxCallId: 'out_a' })).toBe(a);
    expect(matchCallback([a, b, c], { ...ev('agent', 'ringing'), pbxCallId: 'out_new' })).toBe(c);
    expect(matchCallback([a], { ...ev('agent', 'ringing'), pbxCallId: 'out_new' })).toBeUndefined();
  });
});
