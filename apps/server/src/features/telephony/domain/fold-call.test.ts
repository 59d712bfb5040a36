import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  callback,
  inboundAnswered,
  inboundHiddenBusy,
  inboundMissed,
  inboundTransferred,
  outboundAnswered,
  SCENARIOS,
} from '../test-support/call-scenarios.js';
import { addToEventLog, type CallEvent, callEventKey } from './call-event.js';
import { emptyCallRecord, foldCall, mergeCall } from './fold-call.js';

/** A re-delivery: the same notification received again, later. */
function redelivered(event: CallEvent, delaySeconds: number): CallEvent {
  return { ...event, receivedAt: new Date(Date.parse(event.receivedAt) + delaySeconds * 1000).toISOString() };
}

/** Any arrival order of a scenario's events plus any re-deliveries of them. */
function arrivals(events: readonly CallEvent[]) {
  return fc
    .tuple(
      fc.array(fc.tuple(fc.nat(events.length - 1), fc.integer({ min: 0, max: 600 })), { maxLength: 8 }),
      fc.array(fc.nat(), { minLength: events.length + 8, maxLength: events.length + 8 }),
    )
    .map(([dups, sortKeys]) => {
      const all = [...events, ...dups.map(([i, delay]) => redelivered(events[i] as CallEvent, delay))];
      return all
        .map((event, i) => ({ event, key: sortKeys[i] ?? 0, i }))
        .sort((a, b) => a.key - b.key || a.i - b.i)
        .map((x) => x.event);
    });
}

describe('foldCall', () => {
  it('records an answered, recorded inbound call', () => {
    expect(foldCall(inboundAnswered)).toEqual({
      pbxCallId: 'in_3f0a3c6e8d2b4a19b7e5c1d2a4f6b8c0d1e2f3a4',
      direction: 'inbound',
      callStart: '2024-05-14 10:15:30',
      startedAt: '2024-05-14T07:15:30.000Z',
      callerId: '442037691880',
      destination: null,
      calledDid: '442037691999',
      clientNumber: '442037691880',
      didNumber: '442037691999',
      ringingExtensions: ['101', '102'],
      originExtension: null,
      answers: [{ extension: '101', at: '2024-05-14T07:15:36.000Z' }],
      answeredAt: '2024-05-14T07:15:36.000Z',
      answerExtension: '101',
      answeredBy: '101',
      status: 'answered',
      end: {
        kind: 'end',
        receivedAt: '2024-05-14T07:16:43.000Z',
        extension: '101',
        lastInternal: '101',
        duration: 67,
        disposition: 'answered',
        statusCode: '16',
        calltype: 'normal',
      },
      disposition: 'answered',
      duration: 67,
      statusCode: '16',
      endedAt: '2024-05-14T07:16:43.000Z',
      isRecorded: true,
      recordingIds: ['1715681730.4567890'],
      calltype: 'normal',
    });
  });

  it('marks an unanswered inbound call as missed, keeping the raw "+" caller', () => {
    const call = foldCall(inboundMissed);
    expect(call).toMatchObject({
      status: 'missed',
      disposition: 'cancel',
      duration: 0,
      answeredBy: null,
      clientNumber: '+0933297777',
      ringingExtensions: ['101'],
      isRecorded: false,
      recordingIds: [],
    });
  });

  it('has no client number for a hidden caller and reports busy', () => {
    expect(foldCall(inboundHiddenBusy)).toMatchObject({ status: 'busy', clientNumber: null, callerId: '0' });
  });

  it('credits the extension that was last on a transferred call (last_internal)', () => {
    const call = foldCall(inboundTransferred);
    expect(call).toMatchObject({
      answeredBy: '102',
      answeredAt: '2024-05-14T07:15:34.000Z',
      answers: [
        { extension: '101', at: '2024-05-14T07:15:34.000Z' },
        { extension: '102', at: '2024-05-14T07:16:03.000Z' },
      ],
      ringingExtensions: ['101', '102'],
    });
  });

  it('credits the extension that answered last while a transferred call is in progress', () => {
    const call = foldCall(inboundTransferred.slice(0, 5));
    expect(call).toMatchObject({ status: 'in_progress', answeredBy: '102', answerExtension: '102' });
  });

  it('falls back to the answering extension while the call is in progress', () => {
    const call = foldCall(inboundAnswered.slice(0, 4));
    expect(call).toMatchObject({ status: 'in_progress', answeredBy: '101', endedAt: null, duration: null });
  });

  it('reads the answering extension from the destination of an inbound answer without internal', () => {
    const answer = inboundAnswered[3] as CallEvent & { kind: 'answer' };
    const call = foldCall([{ ...answer, extension: null, destination: '105' }]);
    expect(call.answeredBy).toBe('105');
  });

  it('takes the direction from the pbx_call_id prefix, not from internal', () => {
    expect(foldCall(outboundAnswered).direction).toBe('outbound');
    expect(foldCall(inboundAnswered).direction).toBe('inbound');
    expect(emptyCallRecord('123').direction).toBe('unknown');
  });

  it('records an outbound call: the customer is the destination, our number the CallerID', () => {
    expect(foldCall(outboundAnswered)).toMatchObject({
      direction: 'outbound',
      clientNumber: '442037691881',
      didNumber: '442037691999',
      originExtension: '102',
      answeredBy: '102',
      status: 'answered',
      duration: 35,
      recordingIds: ['1715684527.4568123'],
    });
  });

  it('calls an unanswered outbound call no_answer rather than missed', () => {
    const [start, , end] = outboundAnswered as [CallEvent, CallEvent, CallEvent & { kind: 'out_end' }];
    const call = foldCall([start, { ...end, disposition: 'no answer', duration: 0, isRecorded: false }]);
    expect(call.status).toBe('no_answer');
  });

  it('reports money and limit dispositions as failed', () => {
    const [start, , end] = outboundAnswered as [CallEvent, CallEvent, CallEvent & { kind: 'out_end' }];
    expect(foldCall([start, { ...end, disposition: 'no money', duration: 0 }]).status).toBe('failed');
  });

  it('records a click-to-call from the customer leg, with the agent from leg 1', () => {
    expect(foldCall(callback)).toMatchObject({
      calltype: 'callback_leg2',
      clientNumber: '442037691881',
      didNumber: '442037691999',
      originExtension: '102',
      duration: 44,
      status: 'answered',
    });
  });

  it('is ringing after a START alone and unknown after a recording notice alone', () => {
    expect(foldCall(inboundAnswered.slice(0, 1)).status).toBe('ringing');
    expect(foldCall(inboundAnswered.slice(5)).status).toBe('unknown');
    expect(foldCall(inboundAnswered.slice(5)).isRecorded).toBe(true);
  });

  it('refuses to merge an event of another call, naming both ids', () => {
    expect(() => mergeCall(emptyCallRecord('in_a'), inboundAnswered[0] as CallEvent)).toThrow(
      /in_3f0a3c6e.*into call in_a/,
    );
  });

  it('refuses to fold nothing', () => {
    expect(() => foldCall([])).toThrow(/at least one event/);
  });

  for (const [name, events] of Object.entries(SCENARIOS)) {
    it(`gives the same ${name} record for any arrival order and any re-deliveries`, () => {
      const expected = foldCall(events);
      fc.assert(
        fc.property(arrivals(events), (arrived) => {
          expect(foldCall(arrived)).toEqual(expected);
        }),
        { numRuns: 300 },
      );
    });
  }

  it('is a commutative, idempotent merge: applying events one by one equals folding them', () => {
    const all = Object.values(SCENARIOS);
    fc.assert(
      fc.property(
        fc.constantFrom(...all).chain((events) => arrivals(events)),
        (arrived) => {
          let record = emptyCallRecord((arrived[0] as CallEvent).pbxCallId);
          for (const event of arrived) {
            const next = mergeCall(record, event);
            expect(mergeCall(next, event)).toEqual(next);
            record = next;
          }
          expect(record).toEqual(foldCall(arrived));
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('callEventKey', () => {
  it('tells the two legs of a click-to-call apart', () => {
    const [leg1, leg2] = callback as [CallEvent, CallEvent];
    expect(callEventKey(leg1)).not.toBe(callEventKey(leg2));
  });

  it('is the same for a re-delivery and differs between extensions offered', () => {
    const internal = inboundAnswered[1] as CallEvent;
    expect(callEventKey(redelivered(internal, 5))).toBe(callEventKey(internal));
    expect(callEventKey(inboundAnswered[2] as CallEvent)).not.toBe(callEventKey(internal));
    expect(callEventKey(internal)).toBe(
      'internal|in_3f0a3c6e8d2b4a19b7e5c1d2a4f6b8c0d1e2f3a4|2024-05-14 10:15:30|101||normal|',
    );
  });
});

describe('addToEventLog', () => {
  it('keeps one copy per key, the earliest received, whatever the order of deliveries', () => {
    const sorted = (events: readonly CallEvent[]) => events.map((e) => JSON.stringify(e)).sort();
    fc.assert(
      fc.property(
        fc
          .constantFrom(...Object.values(SCENARIOS))
          .chain((events) => arrivals(events).map((arrived) => ({ events, arrived }))),
        ({ events, arrived }) => {
          const log = arrived.reduce<readonly CallEvent[]>((kept, e) => addToEventLog(kept, e).events, []);
          expect(sorted(log)).toEqual(sorted(events));
          expect(foldCall(log)).toEqual(foldCall(arrived));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reports a later re-delivery as an unchanged duplicate', () => {
    const internal = inboundAnswered[1] as CallEvent;
    const update = addToEventLog([internal], redelivered(internal, 3));
    expect(update).toEqual({ events: [internal], duplicate: true, changed: false });
  });
});
