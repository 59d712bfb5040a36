/**
 * live-call-state: the `call.ringing`, `call.answered` and `call.ended` payloads, built from the stored call,
 * so a live event and a tab restoring the call mid-way say the same.
 */
import { describe, expect, it } from 'vitest';
import { callWorkspaceWorld, card } from '../test-support/call-workspace-world.js';
import { answeredPayload, endedPayload, ringingPayload } from './live-call-state.js';

describe('live-call-state', () => {
  it('builds the ringing payload with the card, and the request id only for a click-to-call', async () => {
    const w = await callWorkspaceWorld();
    const contact = card('c-tom', 'Gordon Caller', null);
    expect(ringingPayload(w.answered, '101', contact)).toEqual({
      pbxCallId: w.answered.pbxCallId,
      callId: w.answered.id,
      direction: 'in',
      extension: '101',
      clientNumber: w.answered.clientNumber,
      clientE164: '+442037691880',
      startedAt: w.answered.startedAt,
      contact,
    });
    expect(ringingPayload(w.outbound, null, null, 'req-1')).toMatchObject({
      direction: 'out',
      extension: '',
      contact: null,
      requestId: 'req-1',
    });
  });

  it('dates a call without a start time by its creation', async () => {
    const w = await callWorkspaceWorld();
    const payload = ringingPayload({ ...w.answered, startedAt: null }, '101', null);
    expect(payload.startedAt).toBe(w.answered.createdAt);
  });

  it('says who answered and since when, and how the call ended on which extension', async () => {
    const w = await callWorkspaceWorld();
    const who = { userId: 'u-olga', name: 'Olga', extension: '101' };
    expect(answeredPayload(w.answered, who)).toEqual({
      pbxCallId: w.answered.pbxCallId,
      callId: w.answered.id,
      answeredBy: who,
      answeredAt: w.answered.answeredAt,
    });
    expect(endedPayload(w.answered)).toEqual({
      pbxCallId: w.answered.pbxCallId,
      callId: w.answered.id,
      status: 'answered',
      disposition: 'answered',
      duration: 67,
      extension: '101',
    });
    expect(endedPayload(w.outbound).extension).toBe('102');
  });
});
