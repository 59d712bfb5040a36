/**
 * The NOTIFY_* bodies, field for field and in the order seen in real traffic (docs/zadarma-protocol.md §5.6). Optional
 * fields are left out when absent, as in the real missed-call example (no `internal`, no `call_id_with_rec`).
 */
import type { FieldList } from '../webhooks/encode.js';

type Pairs = [string, string][];

function push(pairs: Pairs, name: string, value: string | null | undefined): void {
  if (value !== null && value !== undefined) {
    pairs.push([name, value]);
  }
}

export interface InboundBase {
  readonly callStart: string;
  readonly pbxCallId: string;
  readonly callerId: string;
  readonly calledDid: string;
}

/** §5.6.1: event, call_start, pbx_call_id, caller_id, called_did — exactly these five. */
export function notifyStart(c: InboundBase): FieldList {
  return [
    ['event', 'NOTIFY_START'],
    ['call_start', c.callStart],
    ['pbx_call_id', c.pbxCallId],
    ['caller_id', c.callerId],
    ['called_did', c.calledDid],
  ];
}

/** §5.6.2: the START fields plus `internal` and `calltype`. */
export function notifyInternal(c: InboundBase & { internal: string; calltype: string }): FieldList {
  return [
    ['event', 'NOTIFY_INTERNAL'],
    ['call_start', c.callStart],
    ['pbx_call_id', c.pbxCallId],
    ['caller_id', c.callerId],
    ['called_did', c.calledDid],
    ['internal', c.internal],
    ['calltype', c.calltype],
  ];
}

/** §5.6.3: event, caller_id, destination, call_start, pbx_call_id, internal (optional). */
export function notifyAnswer(c: {
  callerId: string;
  destination: string;
  callStart: string;
  pbxCallId: string;
  internal: string | null;
}): FieldList {
  const pairs: Pairs = [
    ['event', 'NOTIFY_ANSWER'],
    ['caller_id', c.callerId],
    ['destination', c.destination],
    ['call_start', c.callStart],
    ['pbx_call_id', c.pbxCallId],
  ];
  push(pairs, 'internal', c.internal);
  return pairs;
}

export interface EndFacts {
  readonly internal: string | null;
  readonly duration: number;
  readonly statusCode: number;
  readonly isRecorded: boolean;
  readonly callIdWithRec: string | null;
  readonly calltype: string;
  readonly disposition: string;
}

/** §5.6.4, order of the real example: …, internal?, duration, status_code, is_recorded, call_id_with_rec?, last_internal?, calltype, disposition. */
export function notifyEnd(c: InboundBase & EndFacts & { lastInternal: string | null }): FieldList {
  const pairs: Pairs = [
    ['event', 'NOTIFY_END'],
    ['call_start', c.callStart],
    ['pbx_call_id', c.pbxCallId],
    ['caller_id', c.callerId],
    ['called_did', c.calledDid],
  ];
  push(pairs, 'internal', c.internal);
  pairs.push(['duration', String(c.duration)], ['status_code', String(c.statusCode)]);
  pairs.push(['is_recorded', c.isRecorded ? '1' : '0']);
  push(pairs, 'call_id_with_rec', c.callIdWithRec);
  push(pairs, 'last_internal', c.lastInternal);
  pairs.push(['calltype', c.calltype], ['disposition', c.disposition]);
  return pairs;
}

export interface OutboundBase {
  readonly callStart: string;
  readonly pbxCallId: string;
  readonly internal: string | null;
  readonly destination: string;
  readonly callerId: string;
}

/**
 * §5.6.5: event, call_start, pbx_call_id, internal?, destination, caller_id. `calltype` is appended only
 * for callback legs (the §5.6.5 body of a plain outbound call has none).
 */
export function notifyOutStart(c: OutboundBase & { calltype: string | null }): FieldList {
  const pairs: Pairs = [
    ['event', 'NOTIFY_OUT_START'],
    ['call_start', c.callStart],
    ['pbx_call_id', c.pbxCallId],
  ];
  push(pairs, 'internal', c.internal);
  pairs.push(['destination', c.destination], ['caller_id', c.callerId]);
  push(pairs, 'calltype', c.calltype);
  return pairs;
}

/** §5.6.6: event, call_start, pbx_call_id, caller_id, destination, internal?, duration, status_code, is_recorded, call_id_with_rec?, calltype, disposition. */
export function notifyOutEnd(c: OutboundBase & Omit<EndFacts, 'internal'>): FieldList {
  const pairs: Pairs = [
    ['event', 'NOTIFY_OUT_END'],
    ['call_start', c.callStart],
    ['pbx_call_id', c.pbxCallId],
    ['caller_id', c.callerId],
    ['destination', c.destination],
  ];
  push(pairs, 'internal', c.internal);
  pairs.push(['duration', String(c.duration)], ['status_code', String(c.statusCode)]);
  pairs.push(['is_recorded', c.isRecorded ? '1' : '0']);
  push(pairs, 'call_id_with_rec', c.callIdWithRec);
  pairs.push(['calltype', c.calltype], ['disposition', c.disposition]);
  return pairs;
}

/** §5.6.7: event, call_id_with_rec, pbx_call_id. */
export function notifyRecord(c: { callIdWithRec: string; pbxCallId: string }): FieldList {
  return [
    ['event', 'NOTIFY_RECORD'],
    ['call_id_with_rec', c.callIdWithRec],
    ['pbx_call_id', c.pbxCallId],
  ];
}

/** §5.6.8: the START fields, then `wait_dtmf[name]` and `wait_dtmf[digits]` or `wait_dtmf[default_behaviour]`. */
export function notifyIvr(c: InboundBase & { name: string; digits: string | null }): FieldList {
  const pairs: Pairs = [
    ['event', 'NOTIFY_IVR'],
    ['call_start', c.callStart],
    ['pbx_call_id', c.pbxCallId],
    ['caller_id', c.callerId],
    ['called_did', c.calledDid],
    ['wait_dtmf[name]', c.name],
  ];
  if (c.digits === null) {
    pairs.push(['wait_dtmf[default_behaviour]', '1']);
  } else {
    pairs.push(['wait_dtmf[digits]', c.digits]);
  }
  return pairs;
}
