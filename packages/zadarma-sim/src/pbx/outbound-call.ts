/**
 * An outbound call from an extension (docs/zadarma-protocol.md §5.7 item 4): NOTIFY_OUT_START, NOTIFY_ANSWER when the
 * other side picks up, NOTIFY_OUT_END, then the statistics, the charge and the recording.
 */
import { newLegId } from '../ids.js';
import { findExtension } from '../state.js';
import type { CallRuntime, Run } from './call-runtime.js';
import { type CallTrace, STATUS_CODE } from './call-trace.js';
import { notifyAnswer, notifyOutEnd, notifyOutStart, type OutboundBase } from './events.js';
import { dial, recordOutboundLeg } from './outbound-leg.js';
import type { NormalizedOutbound } from './scenarios.js';

/**
 * Plays an outbound call to its end; resolves with the recording id, if recorded.
 * Why: the scenario behind `placeOutbound` (an agent dialling out from a phone).
 */
export async function playOutbound(
  rt: CallRuntime,
  input: NormalizedOutbound,
  trace: CallTrace,
  run: Run,
  startMs: number,
): Promise<string | null> {
  const ext = findExtension(rt.state, input.extension);
  const base: OutboundBase = {
    callStart: trace.callStart,
    pbxCallId: trace.pbxCallId,
    internal: input.extension,
    destination: input.to,
    callerId: ext?.callerId || '0',
  };
  rt.emit(run, notifyOutStart({ ...base, calltype: null }), 'notify_out_start');
  rt.step(run, `dialling ${input.to}`, `extension ${input.extension} placed an outbound call`);
  const result = await dial(rt, input.outcome, input.ringSeconds);
  const answered = result === 'answered';
  if (answered) {
    rt.emit(
      run,
      notifyAnswer({ ...base, destination: input.to, internal: input.extension }),
      'notify_answer',
    );
    rt.step(run, `${input.to} answered`, `after ${input.ringSeconds} s of ringing`);
    await rt.sleepSeconds(input.talkSeconds);
  }
  const talk = answered ? input.talkSeconds : 0;
  const isRecorded = answered && (input.record ?? ext?.recording ?? false);
  const legId = newLegId(startMs);
  const callIdWithRec = isRecorded ? legId : null;
  rt.emit(
    run,
    notifyOutEnd({
      ...base,
      duration: talk,
      statusCode: STATUS_CODE[result],
      isRecorded,
      callIdWithRec,
      calltype: 'normal',
      disposition: result,
    }),
    'notify_out_end',
  );
  trace.outcome = {
    disposition: result,
    statusCode: STATUS_CODE[result],
    duration: talk,
    answeredBy: answered ? input.to : null,
    lastInternal: input.extension,
    isRecorded,
    callIdWithRec,
  };
  rt.step(run, `ended: ${result}`, answered ? `talked ${talk} s` : `status code ${STATUS_CODE[result]}`);
  recordOutboundLeg(
    rt,
    trace,
    { extension: input.extension, callerId: base.callerId, to: input.to, disposition: result, talk, legId },
    isRecorded,
    startMs,
  );
  if (callIdWithRec !== null) {
    rt.addRecording(callIdWithRec, trace.pbxCallId, talk, input.extension ?? null);
  }
  return callIdWithRec;
}
