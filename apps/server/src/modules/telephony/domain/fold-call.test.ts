import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BLACKLISTED_SCENARIOS,
  callback,
  inboundAnswered,
  inboundBlacklistedBusy,
  inboundBlacklistedReplayed,
  inboundConflictingEnds,
  inboundHiddenBusy,
  inboundMissed,
  inboundTransferred,
  inboundTransferredBareEnd,
  inboundTransferredWithoutLastInternal,
  outboundAnswered,
  outboundConflictingEnds,
  SCENARIOS,
} from '../test-support/call-scenarios.js';
import {
  addToEventLog,
  type CallEvent,
  CallEventRefusedError,
  callEventKey,
  MAX_EVENTS_PER_CALL,
  MAX_VERSIONS_PER_KEY,
  sameContent,
  withRoutingRefusal,
} from './call-event.js';
import { type CallRecord, emptyCallRecord, foldCall, mergeCall } from './fold-call.js';

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

/** Any instant in a two-hour span around the scenarios' calls. */
const instant = fc
  .integer({ min: Date.parse('2024-05-14T06:00:00Z'), max: Date.parse('2024-05-14T08:00:00Z') })
  .map((ms) => new Date(ms).toISOString());

/**
 * Any delivery history of a set of notifications: each delivered one to three times, every copy at an arbitrary
 * time (a re-delivery may come before the original, an END before the START), in an arbitrary order.
 */
function deliveries(events: readonly CallEvent[]) {
  return fc
    .array(fc.array(instant, { minLength: 1, maxLength: 3 }), {
      minLength: events.length,
      maxLength: events.length,
    })
    .chain((times) => {
      const all = events.flatMap((event, i) =>
        (times[i] ?? []).map((receivedAt) => ({ ...event, receivedAt })),
      );
      return fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length });
    });
}

/** A history and another order of the very same deliveries. */
function withPermutation(arrived: readonly CallEvent[]) {
  return fc
    .shuffledSubarray([...arrived], { minLength: arrived.length, maxLength: arrived.length })
    .map((permuted) => [arrived, permuted] as const);
}

/** A record without its "first seen" display times: what must not depend on arrival at all. */
function content(record: CallRecord) {
  return {
    ...record,
    answers: record.answers.map((a) => a.extension),
    answeredAt: null,
    endedAt: null,
  };
}

function firstReceived(events: readonly CallEvent[], kinds: readonly CallEvent['kind'][]): string | null {
  const times = events.filter((e) => kinds.includes(e.kind)).map((e) => e.receivedAt);
  return times.sort()[0] ?? null;
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
        extension: '101',
        lastInternal: '101',
        duration: 67,
        disposition: 'answered',
        statusCode: '16',
        calltype: 'normal',
        isRecorded: true,
        recordingId: '1715681730.4567890',
      },
      disposition: 'answered',
      duration: 67,
      statusCode: '16',
      endedAt: '2024-05-14T07:16:43.000Z',
      isRecorded: true,
      recordingIds: ['1715681730.4567890'],
      recordNoticeIds: ['1715681730.4567890'],
      calltype: 'normal',
      blacklisted: false,
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

  it('credits a transferred call in progress by content, not by which answer arrived last', () => {
    // No answer carries its own time: the lowest answering extension, whatever the order.
    const answers = inboundTransferred.slice(0, 5);
    expect(foldCall(answers)).toMatchObject({
      status: 'in_progress',
      answeredBy: '101',
      answerExtension: '101',
    });
    expect(foldCall([...answers].reverse())).toEqual(foldCall(answers));
  });

  it('credits a transfer reported without last_internal to the end’s own internal, in any order', () => {
    const call = foldCall(inboundTransferredWithoutLastInternal);
    expect(call).toMatchObject({ answeredBy: '101', answerExtension: '101', status: 'answered' });
    // The answer of 102 arriving first (or last) changes nothing.
    const [start, internal101, answer101, internal102, answer102, end] =
      inboundTransferredWithoutLastInternal;
    // The answer of 102 received before the answer of 101 (their receipt times swapped), the end first.
    const swapped = (event: CallEvent | undefined, as: CallEvent | undefined) =>
      ({ ...event, receivedAt: as?.receivedAt }) as CallEvent;
    const reordered = [
      end,
      swapped(answer102, answer101),
      internal102,
      start,
      swapped(answer101, answer102),
      internal101,
    ] as CallEvent[];
    expect(content(foldCall(reordered))).toEqual(content(call));
    // Without internal on the end either: the lowest answering extension.
    expect(foldCall(inboundTransferredBareEnd)).toMatchObject({ answeredBy: '101' });
  });

  it('resolves conflicting ends by content: answered first, then the longer call, never the first to arrive', () => {
    const [genuine, ...versions] = inboundConflictingEnds.slice(4).filter((e) => e.kind === 'end');
    const start = inboundAnswered.slice(0, 4);
    const forged = versions[0] as CallEvent;
    expect(foldCall([...start, forged, genuine as CallEvent])).toEqual(
      foldCall([...start, genuine as CallEvent, forged]),
    );
    const call = foldCall(inboundConflictingEnds);
    expect(call).toMatchObject({ duration: 99_999, answeredBy: '102', status: 'answered' });
    // Recording ids come from the signed NOTIFY_RECORD and the chosen end, never from a losing version.
    expect(call.recordingIds).toEqual(['1715681730.4567890']);
    expect(foldCall(outboundConflictingEnds)).toMatchObject({ status: 'answered', duration: 35 });
  });

  it('takes a recording id only from the chosen end or a NOTIFY_RECORD', () => {
    const ends = inboundConflictingEnds.filter((e) => e.kind === 'end');
    const call = foldCall([...inboundAnswered.slice(0, 4), ...ends]);
    expect(call.recordingIds).toEqual(['1715681730.4567890']);
    expect(call.isRecorded).toBe(true);
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

  it('records the blacklist refusal its NOTIFY_START carried, and only then', () => {
    expect(foldCall(inboundBlacklistedBusy).blacklisted).toBe(true);
    expect(foldCall(inboundMissed).blacklisted).toBe(false);
    // An inbox replay re-reads the start without the decision: the refusal stays, whichever version came first.
    expect(foldCall(inboundBlacklistedReplayed).blacklisted).toBe(true);
    expect(foldCall([...inboundBlacklistedReplayed].reverse()).blacklisted).toBe(true);
    // A refusal stays with its start; an end is not a start.
    const start = inboundMissed[0] as CallEvent;
    expect(withRoutingRefusal(start, true)).toEqual({ ...start, blacklisted: true });
    expect(withRoutingRefusal(start, false)).toBe(start);
    const end = inboundMissed[2] as CallEvent;
    expect(withRoutingRefusal(end, true)).toBe(end);
  });

  for (const [name, events] of Object.entries({ ...SCENARIOS, ...BLACKLISTED_SCENARIOS })) {
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

  for (const [name, events] of Object.entries({ ...SCENARIOS, ...BLACKLISTED_SCENARIOS })) {
    it(`gives the same ${name} record for any delivery history, whatever the arrival times`, () => {
      const expected = content(foldCall(events));
      fc.assert(
        fc.property(deliveries(events).chain(withPermutation), ([arrived, permuted]) => {
          const record = foldCall(arrived);
          // Nothing but the display times depends on arrival…
          expect(content(record)).toEqual(expected);
          // The same through the stored log (one copy per notification), as the repositories fold it.
          const log = arrived.reduce<readonly CallEvent[]>((kept, e) => addToEventLog(kept, e).events, []);
          expect(content(foldCall(log))).toEqual(expected);
          // …and those are minima over the deliveries, so any permutation of the same history gives them too.
          expect(record.answeredAt).toBe(firstReceived(arrived, ['answer']));
          expect(record.endedAt).toBe(firstReceived(arrived, ['end', 'out_end']));
          expect(foldCall(permuted)).toEqual(record);
        }),
        { numRuns: 200 },
      );
    });
  }

  it('is a commutative, idempotent merge: applying events one by one equals folding them', () => {
    const all = Object.values({ ...SCENARIOS, ...BLACKLISTED_SCENARIOS });
    fc.assert(
      fc.property(
        fc.constantFrom(...all).chain((events) => fc.oneof(arrivals(events), deliveries(events))),
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

  it('keeps one copy per content, the earliest received, for any delivery history', () => {
    fc.assert(
      fc.property(
        fc
          .constantFrom(...Object.values(SCENARIOS))
          .chain((events) => deliveries(events).map((arrived) => ({ events, arrived }))),
        ({ events, arrived }) => {
          const log = arrived.reduce<readonly CallEvent[]>((kept, e) => addToEventLog(kept, e).events, []);
          expect(log).toHaveLength(events.length);
          for (const kept of log) {
            const copies = arrived.filter((e) => sameContent(e, kept)).map((e) => e.receivedAt);
            expect(kept.receivedAt).toBe(copies.sort()[0]);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('keeps conflicting versions of one notification apart, up to a bound', () => {
    const end = inboundAnswered[4] as CallEvent & { kind: 'end' };
    let log: readonly CallEvent[] = [end];
    const version = (duration: number): CallEvent => ({ ...end, duration, receivedAt: end.receivedAt });
    for (let i = 1; i < MAX_VERSIONS_PER_KEY; i++) {
      const update = addToEventLog(log, version(1000 + i));
      expect(update).toMatchObject({ duplicate: false, changed: true });
      log = update.events;
    }
    expect(log.map((e) => callEventKey(e)).every((k) => k === callEventKey(end))).toBe(true);
    expect(() => addToEventLog(log, version(5000))).toThrow(CallEventRefusedError);
    expect(() => addToEventLog(log, version(5000))).toThrow(/conflicting versions/);
    // A re-delivery of a kept version is still a duplicate, not a refusal.
    expect(addToEventLog(log, { ...version(1001), receivedAt: '2030-01-01T00:00:00.000Z' }).duplicate).toBe(
      true,
    );
  });

  it('refuses a notification past the most one call keeps', () => {
    const internal = inboundAnswered[1] as CallEvent & { kind: 'internal' };
    const log = Array.from({ length: MAX_EVENTS_PER_CALL }, (_, i) => ({
      ...internal,
      extension: String(1000 + i),
    }));
    expect(() => addToEventLog(log, { ...internal, extension: '99999' })).toThrow(/notifications/);
  });

  it('reports a later re-delivery as an unchanged duplicate', () => {
    const internal = inboundAnswered[1] as CallEvent;
    const update = addToEventLog([internal], redelivered(internal, 3));
    expect(update).toEqual({ events: [internal], duplicate: true, changed: false });
  });
});
