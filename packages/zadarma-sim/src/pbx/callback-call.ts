/**
 * A callback (click-to-call, `/v1/request/callback/`, docs/zadarma-protocol.md §4.2 and §5.7 item 5): the PBX rings the
 * extension, then the customer (the other way round when `predicted`), and bridges them. Each leg has its
 * own NOTIFY_OUT_START / NOTIFY_OUT_END (`calltype` `callback_leg1` / `callback_leg2`); the second leg is
 * dialled only when the first one answers.
 */
import { newLegId } from '../ids.js';
import { findExtension } from '../state.js';
import type { FieldList } from '../webhooks/encode.js';
import type { CallRuntime, Run } from './call-runtime.js';
import { type CallTrace, STATUS_CODE } from './call-trace.js';
import { notifyAnswer, notifyOutEnd, notifyOutStart, type OutboundBase } from './events.js';
import { dial, recordOutboundLeg } from './outbound-leg.js';
import type { NormalizedCallback, Outcome } from './scenarios.js';

interface Leg {
  readonly party: 'extension' | 'customer';
  readonly calltype: 'callback_leg1' | 'callback_leg2';
  readonly outcome: Outcome;
  readonly dialled: string;
}

/**
 * Plays a callback to its end; resolves with the recording id, if recorded.
 * Why: the scenario behind `placeCallback` and the REST `/v1/request/callback/`.
 */
export async function playCallback(
  rt: CallRuntime,
  input: NormalizedCallback,
  trace: CallTrace,
  run: Run,
  startMs: number,
): Promise<string | null> {
  const { state, config } = rt;
  const ext = input.extension ? findExtension(state, input.extension) : undefined;
  const base: OutboundBase = {
    callStart: trace.callStart,
    pbxCallId: trace.pbxCallId,
    internal: input.extension,
    destination: input.to,
    callerId: ext?.callerId || state.sips[0]?.callerId || '0',
  };
  const extLeg: Leg = {
    party: 'extension',
    calltype: 'callback_leg1',
    outcome: input.extensionOutcome,
    dialled: input.from,
  };
  const customerLeg: Leg = {
    party: 'customer',
    calltype: 'callback_leg2',
    outcome: input.outcome,
    dialled: input.to,
  };
  const [first, second] = input.predicted ? [customerLeg, extLeg] : [extLeg, customerLeg];
  const emitLeg = (leg: Leg, fields: FieldList, toggle: 'notify_out_start' | 'notify_out_end'): void => {
    if (leg.party === 'extension' && !config.callbackLeg1Events) {
      return;
    }
    rt.emit(run, fields, toggle);
  };
  const endLeg = (leg: Leg, disposition: Outcome, talk: number, callIdWithRec: string | null): void => {
    emitLeg(
      leg,
      notifyOutEnd({
        ...base,
        duration: talk,
        statusCode: STATUS_CODE[disposition],
        isRecorded: callIdWithRec !== null,
        callIdWithRec,
        calltype: leg.calltype,
        disposition,
      }),
      'notify_out_end',
    );
  };

  if (!config.callbackLeg1Events) {
    rt.step(run, 'leg-1 events off', 'callbackLeg1Events is false: the extension leg emits no NOTIFY_OUT_*');
  }
  emitLeg(first, notifyOutStart({ ...base, calltype: first.calltype }), 'notify_out_start');
  rt.step(
    run,
    `callback: calling ${first.dialled} first`,
    input.predicted ? 'predicted: the customer first' : 'the extension first',
  );
  const r1 = await dial(rt, first.outcome, input.ringSeconds);
  let disposition: Outcome = r1;
  let talk = 0;
  let callIdWithRec: string | null = null;
  const legId = newLegId(startMs);
  if (r1 !== 'answered') {
    rt.step(run, `${first.dialled}: ${r1}`, 'the first leg did not answer: the second leg is not dialled');
    endLeg(first, r1, 0, null);
  } else {
    emitLeg(second, notifyOutStart({ ...base, calltype: second.calltype }), 'notify_out_start');
    rt.step(run, `callback: calling ${second.dialled}`, `${first.dialled} answered`);
    const r2 = await dial(rt, second.outcome, input.ringSeconds);
    disposition = r2;
    if (r2 === 'answered') {
      rt.emit(
        run,
        notifyAnswer({ ...base, destination: input.to, internal: input.extension }),
        'notify_answer',
      );
      rt.step(run, 'bridged', `${second.dialled} answered`);
      await rt.sleepSeconds(input.talkSeconds);
      talk = input.talkSeconds;
      const isRecorded = input.record ?? ext?.recording ?? false;
      callIdWithRec = isRecorded ? legId : null;
    } else {
      rt.step(run, `${second.dialled}: ${r2}`, 'the second leg did not answer');
    }
    // Only the customer's leg carries the recording.
    const recFor = (leg: Leg): string | null => (leg.party === 'customer' ? callIdWithRec : null);
    endLeg(second, r2, talk, recFor(second));
    endLeg(first, r2, talk, recFor(first));
  }
  trace.outcome = {
    disposition,
    statusCode: STATUS_CODE[disposition],
    duration: talk,
    answeredBy: disposition === 'answered' ? input.to : null,
    lastInternal: input.extension,
    isRecorded: callIdWithRec !== null,
    callIdWithRec,
  };
  rt.step(
    run,
    `ended: ${disposition}`,
    disposition === 'answered' ? `talked ${talk} s` : `status code ${STATUS_CODE[disposition]}`,
  );
  recordOutboundLeg(
    rt,
    trace,
    { extension: input.extension, callerId: base.callerId, to: input.to, disposition, talk, legId },
    callIdWithRec !== null,
    startMs,
  );
  if (callIdWithRec !== null) {
    rt.addRecording(callIdWithRec, trace.pbxCallId, talk, input.extension ?? null);
  }
  return callIdWithRec;
}
