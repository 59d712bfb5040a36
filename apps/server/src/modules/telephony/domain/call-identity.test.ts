import { describe, expect, it } from 'vitest';
import { callback, inboundAnswered, outboundAnswered } from '../test-support/call-scenarios.js';
import type { CallEvent } from './call-event.js';
import { identityConflict } from './call-identity.js';

type Of<K extends CallEvent['kind']> = CallEvent & { kind: K };

const [start, internal, , answer, end, record] = inboundAnswered as [
  Of<'start'>,
  Of<'internal'>,
  Of<'internal'>,
  Of<'answer'>,
  Of<'end'>,
  Of<'record'>,
];
const [outStart, outAnswer, outEnd] = outboundAnswered as [Of<'out_start'>, Of<'answer'>, Of<'out_end'>];

describe('identityConflict', () => {
  it('lets every notification of a genuine call through, in any order', () => {
    for (const scenario of [inboundAnswered, outboundAnswered, callback]) {
      for (const [i, event] of scenario.entries()) {
        expect(identityConflict([...scenario.slice(0, i), ...scenario.slice(i + 1)], event)).toBeNull();
      }
    }
  });

  it('refuses a replayed START signature under a known call’s id: another caller, DID or call_start', () => {
    // Another call's START (its signed caller_id, called_did, call_start), sent with this call's pbx_call_id.
    const replayed: CallEvent = {
      ...end,
      callerId: '33612345678',
      callStart: '2024-05-14 09:02:11',
      duration: 99_999,
      lastInternal: '103',
    };
    expect(identityConflict([start, internal], replayed)).toMatch(/signs caller_id "33612345678"/);
    expect(identityConflict([start], { ...internal, calledDid: '442037690000' })).toMatch(/called_did/);
    expect(identityConflict([start], { ...answer, callerId: '0' })).toMatch(/caller_id/);
  });

  it('refuses a forged END whose call_start differs, even when the rest matches', () => {
    const forged: CallEvent = { ...end, callStart: '2024-05-14 10:15:31', duration: 99_999 };
    expect(identityConflict([start, internal, answer], forged)).toMatch(
      /NOTIFY_END signs call_start "2024-05-14 10:15:31" but call in_3f0a.* was signed with "2024-05-14 10:15:30"/,
    );
  });

  it('binds an outbound call to its customer number and extension, not to the agent leg', () => {
    expect(identityConflict([outStart], { ...outEnd, destination: '442037690000' })).toMatch(/destination/);
    expect(identityConflict([outStart], { ...outEnd, extension: '105' })).toMatch(/internal/);
    expect(identityConflict([outStart, outEnd], { ...outAnswer, destination: '33612345678' })).toMatch(
      /destination/,
    );
    // Click-to-call: the agent leg dials an extension, the customer leg the customer, under one id.
    expect(identityConflict(callback.slice(0, 1), callback[1] as CallEvent)).toBeNull();
  });

  it('refuses a notification of the wrong direction for its pbx_call_id (a signature split differently)', () => {
    const onOutbound: CallEvent = { ...end, pbxCallId: outStart.pbxCallId };
    expect(identityConflict([outStart], onOutbound)).toMatch(/NOTIFY_END cannot belong to the outbound call/);
    expect(identityConflict([], onOutbound)).toMatch(/cannot belong/);
    expect(identityConflict([], { ...outStart, pbxCallId: start.pbxCallId })).toMatch(/inbound call/);
  });

  it('has nothing to bind for a NOTIFY_RECORD, whose signature covers its pbx_call_id', () => {
    expect(identityConflict([start, end], { ...record, recordingId: 'other' })).toBeNull();
  });
});
