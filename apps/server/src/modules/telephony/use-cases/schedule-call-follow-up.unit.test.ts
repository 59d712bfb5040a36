/**
 * Queuing a call's follow-up as its end is folded: once the end notification ends a call with a known number,
 * not for the other notifications, a hidden number, or when no after-call job is wired.
 */
import { describe, expect, it } from 'vitest';
import { createInMemoryCallRepository } from '../adapters/in-memory-call-store.js';
import type { CallEvent } from '../domain/call-event.js';
import type { StoredCall } from '../ports.js';
import {
  asAnotherCall,
  inboundAnswered,
  inboundMissed,
  outboundAnswered,
} from '../test-support/call-scenarios.js';
import { scheduleCallFollowUp } from './schedule-call-follow-up.js';

/** Folds each event as the webhook path does, scheduling after each; returns the calls queued. */
async function foldAndSchedule(events: readonly CallEvent[], clientE164: string | null, wired = true) {
  const calls = createInMemoryCallRepository();
  const scheduled: string[] = [];
  const afterCall = wired ? { schedule: async (callId: string) => void scheduled.push(callId) } : undefined;
  let call: StoredCall | null = null;
  for (const event of events) {
    call = (await calls.applyEvent(event, event.receivedAt, { clientE164: () => clientE164 })).call;
    await scheduleCallFollowUp({ afterCall }, event, call);
  }
  return { scheduled, call: call as StoredCall };
}

describe('scheduleCallFollowUp', () => {
  it("queues an inbound call's follow-up once, on its end", async () => {
    const { scheduled, call } = await foldAndSchedule(inboundMissed, '+380933297777');
    expect(scheduled).toEqual([call.id]);
  });

  it('queues an outbound call on its end, not on its recording notice', async () => {
    const { scheduled, call } = await foldAndSchedule(outboundAnswered, '+442037691881');
    expect(scheduled).toEqual([call.id]);
  });

  it('queues nothing for a hidden number', async () => {
    const { scheduled } = await foldAndSchedule(inboundAnswered, null);
    expect(scheduled).toEqual([]);
  });

  it('queues nothing before the end, nor when no after-call job is wired', async () => {
    expect((await foldAndSchedule(inboundAnswered.slice(0, 4), '+442037691880')).scheduled).toEqual([]);
    const unwired = await foldAndSchedule(asAnotherCall(inboundAnswered, 'in_2', 0), '+442037691880', false);
    expect(unwired.call.status).toBe('answered');
    expect(unwired.scheduled).toEqual([]);
  });
});
