import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Receiver, startReceiver } from '../test/independent-zadarma.js';
import { SimInputError } from './pbx/scenarios.js';
import { createSimulator, type Simulator } from './simulator.js';

const creds = { key: 'prop-key', secret: 'prop-secret' };
let sim: Simulator;
let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver(creds.secret);
  sim = await createSimulator({ ...creds, speed: 2000, rateLimits: false, webhookUrl: receiver.url });
});
afterAll(async () => {
  await sim.close();
  await receiver.close();
});

describe('createSimulator', () => {
  it('lists every invalid option at once', async () => {
    await expect(
      createSimulator({ key: '', secret: '', speed: 0, format: 'xml' as never, replyDeadlineMs: -1 }),
    ).rejects.toThrow(
      'invalid simulator options: key and secret are required; format must be urlencoded or multipart, got "xml"; ' +
        'speed must be a positive number, got 0; replyDeadlineMs must be a non-negative number of milliseconds, got -1',
    );
  });

  it('refuses a state that names an unknown extension', async () => {
    await expect(
      createSimulator({
        ...creds,
        state: { numbers: [{ number: '442037691999', route: { type: 'group', extensions: ['999'] } }] },
      }),
    ).rejects.toThrow('number 442037691999 rings unknown extension 999');
  });

  it('with notify_start off the call runs its scenario and the trace says START was not sent', async () => {
    sim.state.webhooks.notifications.notify_start = false;
    try {
      const { pbxCallId } = sim.placeInbound({
        from: '+33612345678',
        to: '442037691999',
        answer: '101',
        talkSeconds: 2,
      });
      const trace = await sim.waitForCall(pbxCallId);
      expect(trace.routing[0]).toMatchObject({
        action: 'NOTIFY_START not sent',
        why: 'not sent: notify_start is switched off',
      });
      expect(receiver.received.filter((r) => r.fields.pbx_call_id === pbxCallId).map((r) => r.event)[0]).toBe(
        'NOTIFY_INTERNAL',
      );
    } finally {
      sim.state.webhooks.notifications.notify_start = true;
    }
  });
});

describe('any inbound call', () => {
  it('emits only verifiable events whose END agrees with the trace', async () => {
    const extension = fc.constantFrom('100', '101', '102', '103', '104', '105');
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          outcome: fc.constantFrom('answered', 'no answer', 'busy', 'cancel'),
          answer: fc.option(extension, { nil: undefined }).chain((a) => fc.constantFrom(a, null)),
          talkSeconds: fc.integer({ min: 0, max: 600 }),
          hidden: fc.boolean(),
          to: fc.constantFrom('442037691999', '33187654321'),
          transferTo: fc.option(extension, { nil: undefined }),
          dtmf: fc.array(fc.constantFrom('', '0', '1', '2', '9'), { maxLength: 2 }),
        }),
        async (input) => {
          const call = {
            from: input.hidden ? null : '+33612345678',
            to: input.to,
            answer: input.answer,
            outcome: input.outcome,
            talkSeconds: input.talkSeconds,
            dtmf: input.dtmf,
            ...(input.transferTo ? { transferTo: input.transferTo } : {}),
          } as const;
          if (input.outcome === 'answered' && input.answer === null) {
            expect(() => sim.placeInbound(call)).toThrow(SimInputError);
            return;
          }
          const { pbxCallId } = sim.placeInbound(call);
          const trace = await sim.waitForCall(pbxCallId);
          const events = receiver.received.filter((r) => r.fields.pbx_call_id === pbxCallId);
          expect(events.every((e) => e.signatureValid)).toBe(true);
          expect(events[0]?.event).toBe('NOTIFY_START');
          const end = events.find((e) => e.event === 'NOTIFY_END');
          expect(end?.fields.disposition).toBe(trace.outcome?.disposition);
          const answered = trace.outcome?.disposition === 'answered';
          expect(end?.fields.duration).toBe(answered ? String(input.talkSeconds) : '0');
          expect(end?.fields.internal).toBe(answered ? (trace.outcome?.answeredBy ?? undefined) : undefined);
          expect(events.some((e) => e.event === 'NOTIFY_RECORD')).toBe(end?.fields.is_recorded === '1');
          expect(events.at(-1)?.event).toBe(end?.fields.is_recorded === '1' ? 'NOTIFY_RECORD' : 'NOTIFY_END');
          if (input.hidden) {
            expect(end?.fields.caller_id).toBe('0');
          }
        },
      ),
      { numRuns: 40 },
    );
  }, 30_000);
});
