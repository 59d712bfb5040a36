/**
 * Realistic notification sequences of docs/zadarma-protocol.md §5.7 as domain events, for the fold's property tests and the
 * repository tests. Times advance one second per event from 2024-05-14 10:15:30 (account UTC+3).
 */
import type { CallEvent } from '../domain/call-event.js';
import type { CallRepository, StoredCall } from '../ports.js';

const IN_ID = 'in_3f0a3c6e8d2b4a19b7e5c1d2a4f6b8c0d1e2f3a4';
const OUT_ID = 'out_9b1c7d2e4f6a8b0c1d3e5f7a9b2c4d6e8f0a1b3c';
const CALL_START = '2024-05-14 10:15:30';
const STARTED_AT = '2024-05-14T07:15:30.000Z';

function at(second: number): string {
  return new Date(Date.parse(STARTED_AT) + second * 1000).toISOString();
}

const timing = { callStart: CALL_START, startedAt: STARTED_AT, calltype: 'normal' };
const inbound = { pbxCallId: IN_ID, callerId: '442037691880', calledDid: '442037691999', ...timing };

/**
 * The end of an inbound call that no extension took (missed, busy, refused) from `callerId`, `second`s in: no
 * talk, nothing recorded. Why: the missed, busy and refused scenarios differ only in these four facts.
 */
function unansweredEnd(callerId: string, disposition: string, statusCode: string, second: number): CallEvent {
  return {
    kind: 'end',
    ...inbound,
    callerId,
    extension: null,
    lastInternal: null,
    duration: 0,
    disposition,
    statusCode,
    isRecorded: false,
    recordingId: null,
    receivedAt: at(second),
  };
}

/** The start of a call from `callerId` that our NOTIFY_START reply refused: the decision rides on it. */
function refusedStart(callerId: string): CallEvent {
  return { kind: 'start', ...inbound, callerId, calltype: null, blacklisted: true, receivedAt: at(0) };
}

export const inboundAnswered: readonly CallEvent[] = [
  { kind: 'start', ...inbound, calltype: null, receivedAt: at(0) },
  { kind: 'internal', ...inbound, extension: '101', receivedAt: at(1) },
  { kind: 'internal', ...inbound, extension: '102', receivedAt: at(1) },
  {
    kind: 'answer',
    pbxCallId: IN_ID,
    callerId: '442037691880',
    destination: '101',
    extension: '101',
    ...timing,
    calltype: null,
    receivedAt: at(6),
  },
  {
    kind: 'end',
    ...inbound,
    extension: '101',
    lastInternal: '101',
    duration: 67,
    disposition: 'answered',
    statusCode: '16',
    isRecorded: true,
    recordingId: '1715681730.4567890',
    receivedAt: at(73),
  },
  { kind: 'record', pbxCallId: IN_ID, recordingId: '1715681730.4567890', receivedAt: at(110) },
];

export const inboundMissed: readonly CallEvent[] = [
  { kind: 'start', ...inbound, callerId: '+0933297777', calltype: null, receivedAt: at(0) },
  { kind: 'internal', ...inbound, callerId: '+0933297777', extension: '101', receivedAt: at(1) },
  unansweredEnd('+0933297777', 'cancel', '16', 25),
];

export const inboundHiddenBusy: readonly CallEvent[] = [
  { kind: 'start', ...inbound, callerId: '0', calltype: null, receivedAt: at(0) },
  unansweredEnd('0', 'busy', '17', 2),
];

/** Answered at 101, transferred to 102 who finished the call. */
export const inboundTransferred: readonly CallEvent[] = [
  { kind: 'start', ...inbound, calltype: null, receivedAt: at(0) },
  { kind: 'internal', ...inbound, extension: '101', receivedAt: at(1) },
  {
    kind: 'answer',
    pbxCallId: IN_ID,
    callerId: '442037691880',
    destination: '101',
    extension: '101',
    ...timing,
    receivedAt: at(4),
  },
  { kind: 'internal', ...inbound, extension: '102', receivedAt: at(30) },
  {
    kind: 'answer',
    pbxCallId: IN_ID,
    callerId: '442037691880',
    destination: '102',
    extension: '102',
    ...timing,
    receivedAt: at(33),
  },
  {
    kind: 'end',
    ...inbound,
    extension: '101',
    lastInternal: '102',
    duration: 120,
    disposition: 'answered',
    statusCode: '16',
    isRecorded: false,
    recordingId: null,
    receivedAt: at(125),
  },
];

const outbound = {
  pbxCallId: OUT_ID,
  callerId: '442037691999',
  destination: '442037691881',
  extension: '102',
};

export const outboundAnswered: readonly CallEvent[] = [
  { kind: 'out_start', ...outbound, ...timing, receivedAt: at(0) },
  { kind: 'answer', ...outbound, ...timing, receivedAt: at(9) },
  {
    kind: 'out_end',
    ...outbound,
    ...timing,
    duration: 35,
    disposition: 'answered',
    statusCode: '16',
    isRecorded: true,
    recordingId: '1715684527.4568123',
    receivedAt: at(44),
  },
  { kind: 'record', pbxCallId: OUT_ID, recordingId: '1715684527.4568123', receivedAt: at(90) },
];

/** API click-to-call: leg 1 rings the agent's extension, leg 2 (the customer) follows under the same id. */
export const callback: readonly CallEvent[] = [
  {
    kind: 'out_start',
    pbxCallId: OUT_ID,
    callerId: '0',
    destination: '102',
    extension: null,
    ...timing,
    calltype: 'callback_leg1',
    receivedAt: at(0),
  },
  {
    kind: 'out_start',
    ...outbound,
    extension: null,
    ...timing,
    calltype: 'callback_leg2',
    receivedAt: at(5),
  },
  {
    kind: 'answer',
    ...outbound,
    extension: null,
    ...timing,
    calltype: 'callback_leg2',
    receivedAt: at(11),
  },
  {
    kind: 'out_end',
    pbxCallId: OUT_ID,
    callerId: '0',
    destination: '102',
    extension: null,
    ...timing,
    calltype: 'callback_leg1',
    duration: 50,
    disposition: 'answered',
    statusCode: '16',
    isRecorded: false,
    recordingId: null,
    receivedAt: at(60),
  },
  {
    kind: 'out_end',
    ...outbound,
    extension: null,
    ...timing,
    calltype: 'callback_leg2',
    duration: 44,
    disposition: 'answered',
    statusCode: '16',
    isRecorded: false,
    recordingId: null,
    receivedAt: at(60),
  },
];

type EndEvent = CallEvent & { kind: 'end' };
type OutEndEvent = CallEvent & { kind: 'out_end' };

const transferredEnd = inboundTransferred[5] as EndEvent;

/** The transfer 101 → 102 reported without `last_internal`: nothing in the answers says which came last. */
export const inboundTransferredWithoutLastInternal: readonly CallEvent[] = [
  ...inboundTransferred.slice(0, 5),
  { ...transferredEnd, lastInternal: null },
];

/** The same transfer, its end naming neither `internal` nor `last_internal`. */
export const inboundTransferredBareEnd: readonly CallEvent[] = [
  ...inboundTransferred.slice(0, 5),
  { ...transferredEnd, extension: null, lastInternal: null },
];

const answeredEnd = inboundAnswered[4] as EndEvent;

/**
 * An answered call with three different ends: the genuine one, a version that only changes unsigned fields
 * (what a replayed signature can forge: duration, agent) and a missed-call end without recording.
 */
export const inboundConflictingEnds: readonly CallEvent[] = [
  ...inboundAnswered,
  { ...answeredEnd, duration: 99_999, lastInternal: '102', receivedAt: at(80) },
  {
    ...answeredEnd,
    extension: null,
    lastInternal: null,
    duration: 0,
    disposition: 'cancel',
    isRecorded: false,
    recordingId: null,
    receivedAt: at(75),
  },
  { ...answeredEnd, recordingId: '1715681730.0000001', duration: 67, statusCode: '17', receivedAt: at(74) },
];

const outboundEnd = outboundAnswered[2] as OutEndEvent;

/** An outbound call with two versions of its end (answered 35 s; no answer). */
export const outboundConflictingEnds: readonly CallEvent[] = [
  ...outboundAnswered,
  {
    ...outboundEnd,
    duration: 0,
    disposition: 'no answer',
    statusCode: '19',
    isRecorded: false,
    recordingId: null,
    receivedAt: at(45),
  },
];

/**
 * A caller our NOTIFY_START reply refused (blacklist, busy): the start carries the decision, no extension rang,
 * Zadarma ends it `busy`. Apart from SCENARIOS, whose calls the other tests expect as they are.
 */
export const inboundBlacklistedBusy: readonly CallEvent[] = [
  refusedStart('+74951234567'),
  unansweredEnd('+74951234567', 'busy', '17', 1),
];

/**
 * A refused caller (blacklist, hang-up) whose start an admin replayed from the inbox: the replay re-reads the
 * start without the decision, a second version of it in the call's log.
 */
export const inboundBlacklistedReplayed: readonly CallEvent[] = [
  refusedStart('+74951234568'),
  { kind: 'start', ...inbound, callerId: '+74951234568', calltype: null, receivedAt: at(300) },
  unansweredEnd('+74951234568', 'cancel', '16', 1),
];

/** The blacklisted scenarios, for the property tests that take them beside SCENARIOS. */
export const BLACKLISTED_SCENARIOS = { inboundBlacklistedBusy, inboundBlacklistedReplayed } as const;

export const SCENARIOS = {
  inboundAnswered,
  inboundMissed,
  inboundHiddenBusy,
  inboundTransferred,
  inboundTransferredWithoutLastInternal,
  inboundTransferredBareEnd,
  inboundConflictingEnds,
  outboundAnswered,
  outboundConflictingEnds,
  callback,
} as const;

/** The scenario's events as another call, `pbxCallId`, everything `shiftMs` later. */
export function asAnotherCall(events: readonly CallEvent[], pbxCallId: string, shiftMs: number): CallEvent[] {
  const move = (iso: string) => new Date(Date.parse(iso) + shiftMs).toISOString();
  return events.map((e) => ({
    ...e,
    pbxCallId,
    receivedAt: move(e.receivedAt),
    ...('startedAt' in e && e.startedAt ? { startedAt: move(e.startedAt) } : {}),
  }));
}

/** Folds every event into `calls`, each at its arrival, and returns the call as stored last. */
export async function foldEvents(
  calls: Pick<CallRepository, 'applyEvent'>,
  events: readonly CallEvent[],
): Promise<StoredCall> {
  let call: StoredCall | null = null;
  for (const event of events) {
    call = (await calls.applyEvent(event, event.receivedAt)).call;
  }
  if (!call) {
    throw new Error('foldEvents: no events');
  }
  return call;
}
