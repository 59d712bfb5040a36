/**
 * An inbound call once it reaches a phone: its per-call state, the answer (and a transfer), and the hang-up
 * with its NOTIFY_END, statistics rows and recording (docs/zadarma-protocol.md §5.6, §5.7 items 1–3).
 */
import { newLegId } from '../ids.js';
import { type DirectNumber, findExtension } from '../state.js';
import type { CallRuntime, Run } from './call-runtime.js';
import { type CallTrace, STATUS_CODE } from './call-trace.js';
import { type InboundBase, notifyAnswer, notifyEnd, notifyInternal } from './events.js';
import type { NormalizedInbound, Outcome } from './scenarios.js';

/**
 * One inbound call being played: what was asked for and what has happened so far.
 * Why: the ring group, the voice menus and the CRM's steering all move the same call forward.
 */
export interface InboundCall {
  readonly rt: CallRuntime;
  readonly run: Run;
  readonly trace: CallTrace;
  readonly input: NormalizedInbound;
  readonly base: InboundBase;
  /** The number dialled, with its PBX route; `undefined` for a number the account does not have. */
  readonly number: DirectNumber | undefined;
  readonly startMs: number;
  /** Digits the caller will still press, consumed in order by voice menus and `wait_dtmf`. */
  readonly dtmf: string[];
  /** Seconds the caller has already heard ringing (a `cancel` hangs up after `ringSeconds` in all). */
  ringElapsed: number;
  answeredBy: string | null;
  /** The first extension rung: the statistics row of an unanswered call names it. */
  firstRung: string | null;
  /** The recording id once the call ended recorded, for NOTIFY_RECORD. */
  recorded: string | null;
}

/** Starts the state of an inbound call. Why: every inbound scenario reads and updates the same fields. */
export function newInboundCall(
  rt: CallRuntime,
  input: NormalizedInbound,
  trace: CallTrace,
  run: Run,
  startMs: number,
): InboundCall {
  return {
    rt,
    run,
    trace,
    input,
    base: {
      callStart: trace.callStart,
      pbxCallId: trace.pbxCallId,
      callerId: input.callerId,
      calledDid: input.calledDid,
    },
    number: rt.state.numbers.find((n) => n.number === input.calledDid),
    startMs,
    dtmf: [...input.dtmf],
    ringElapsed: 0,
    answeredBy: null,
    firstRung: null,
    recorded: null,
  };
}

/** One extension's share of an answered call, for the PBX statistics. */
interface TalkLeg {
  readonly ext: string;
  readonly seconds: number;
}

/**
 * Ends an inbound call: NOTIFY_END, the outcome on the trace, PBX and account statistics, the recording.
 * Why: every inbound path (answered, busy, no answer, hung up, blacklisted) ends the same way.
 */
export function endInbound(
  call: InboundCall,
  disposition: Outcome,
  statusCode: number,
  talk = 0,
  legs: readonly TalkLeg[] = [],
): void {
  const { rt, run, trace, input, base, startMs } = call;
  const { state, data } = rt;
  const answered = disposition === 'answered';
  const answeredBy = call.answeredBy;
  const ext = answeredBy ? findExtension(state, answeredBy) : undefined;
  const isRecorded = answered && (input.record ?? ext?.recording ?? false);
  const legIds = legs.map(() => newLegId(startMs));
  const callIdWithRec = isRecorded ? (legIds[0] ?? newLegId(startMs)) : null;
  const lastInternal = answered ? (legs[legs.length - 1]?.ext ?? answeredBy) : null;
  rt.emit(
    run,
    notifyEnd({
      ...base,
      internal: answered ? answeredBy : null,
      duration: answered ? talk : 0,
      statusCode,
      isRecorded,
      callIdWithRec,
      lastInternal,
      calltype: 'normal',
      disposition,
    }),
    'notify_end',
  );
  trace.outcome = {
    disposition,
    statusCode,
    duration: answered ? talk : 0,
    answeredBy: answered ? answeredBy : null,
    lastInternal,
    isRecorded,
    callIdWithRec,
  };
  rt.step(run, `ended: ${disposition}`, answered ? `talked ${talk} s` : `status code ${statusCode}`);
  const clid =
    trace.displayName !== input.callerId ? `${trace.displayName} (${input.callerId})` : input.callerId;
  const rows = answered ? legs : [{ ext: call.firstRung ?? '', seconds: 0 }];
  rows.forEach((leg, i) => {
    data.pbxStats.push({
      call_id: legIds[i] ?? newLegId(startMs),
      sip: leg.ext,
      callstart: trace.callStart,
      clid,
      // OAS: "Call destination (PBX extension or scenario)".
      destination: leg.ext || input.calledDid,
      disposition,
      seconds: leg.seconds,
      is_recorded: isRecorded && i === 0,
      pbx_call_id: trace.pbxCallId,
      at: startMs,
      seq: rt.seqOf(trace),
      direction: 'in',
    });
  });
  data.accountStats.push({
    id: newLegId(startMs),
    sip: call.number?.sip ?? '',
    callstart: trace.callStart,
    from: input.callerId,
    to: input.calledDid,
    description: `Incoming call, ${call.number?.description ?? ''}`.replace(/, $/, ''),
    disposition,
    billseconds: answered ? talk : 0,
    cost: 0,
    billcost: 0,
    currency: state.account.currency,
    at: startMs,
    seq: rt.seqOf(trace),
  });
  if (callIdWithRec !== null) {
    rt.addRecording(callIdWithRec, trace.pbxCallId, talk, answeredBy ?? null);
    call.recorded = callIdWithRec;
  }
}

/** Ends the call unanswered (`no answer`, status 19). Why: the fallback of every route that rings out. */
export async function endNoAnswer(call: InboundCall): Promise<void> {
  endInbound(call, 'no answer', STATUS_CODE['no answer']);
}

/**
 * The answered call: NOTIFY_ANSWER, the talk, and a transfer half-way when one was asked for.
 * Why: the transfer emits its own NOTIFY_INTERNAL / NOTIFY_ANSWER and splits the talk between two legs.
 */
export async function talkInbound(call: InboundCall): Promise<void> {
  const { rt, run, input, base } = call;
  const ext = call.answeredBy as string;
  rt.emit(
    run,
    notifyAnswer({
      callerId: input.callerId,
      destination: ext,
      callStart: base.callStart,
      pbxCallId: base.pbxCallId,
      internal: ext,
    }),
    'notify_answer',
  );
  rt.step(run, `answered by ${ext}`, `${ext} picked up after ${input.ringSeconds} s of ringing`);
  if (input.transferTo !== null && input.transferTo !== ext) {
    const first = Math.floor(input.talkSeconds / 2);
    await rt.sleepSeconds(first);
    const to = input.transferTo;
    rt.emit(run, notifyInternal({ ...base, internal: to, calltype: 'normal' }), 'notify_internal');
    rt.emit(
      run,
      notifyAnswer({
        callerId: input.callerId,
        destination: to,
        callStart: base.callStart,
        pbxCallId: base.pbxCallId,
        internal: to,
      }),
      'notify_answer',
    );
    rt.step(run, `transferred to ${to}`, `${ext} transferred the call after ${first} s`);
    await rt.sleepSeconds(input.talkSeconds - first);
    endInbound(call, 'answered', 16, input.talkSeconds, [
      { ext, seconds: first },
      { ext: to, seconds: input.talkSeconds - first },
    ]);
    return;
  }
  await rt.sleepSeconds(input.talkSeconds);
  endInbound(call, 'answered', 16, input.talkSeconds, [{ ext, seconds: input.talkSeconds }]);
}
