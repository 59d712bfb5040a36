/**
 * Ringing a group of extensions (docs/zadarma-protocol.md §5.7 item 1): offline or unknown extensions are skipped, every
 * phone rung gets its NOTIFY_INTERNAL, and the caller's planned outcome decides who answers and when.
 */
import { findExtension } from '../state.js';
import { STATUS_CODE } from './call-trace.js';
import { notifyInternal } from './events.js';
import { endInbound, endNoAnswer, type InboundCall, talkInbound } from './inbound-call.js';

/** How a round of ringing ended. */
type RingResult = 'answered' | 'timeout' | 'busy' | 'cancel';

/**
 * Rings `extensions` for at most `timeoutSeconds`; the call's input says whether and who answers.
 * Why: a number's group, a menu scenario and a CRM redirect all ring the same way.
 */
export async function ringExtensions(
  call: InboundCall,
  extensions: readonly string[],
  timeoutSeconds: number,
  why: string,
): Promise<RingResult> {
  const { rt, run, input, base } = call;
  const online: string[] = [];
  for (const number of extensions) {
    const ext = findExtension(rt.state, number);
    if (ext?.online) {
      online.push(number);
    } else {
      rt.step(
        run,
        `skipped ${number}`,
        ext ? `extension ${number} is offline` : `extension ${number} does not exist`,
      );
    }
  }
  if (online.length === 0) {
    rt.step(run, 'nobody to ring', why);
    return 'timeout';
  }
  for (const number of online) {
    rt.emit(run, notifyInternal({ ...base, internal: number, calltype: 'normal' }), 'notify_internal');
  }
  call.firstRung ??= online[0] as string;
  rt.step(run, `ringing ${online.join(', ')}`, `${why}; the phones show "${call.trace.displayName}"`);
  if (input.outcome === 'busy') {
    await rt.sleepSeconds(rt.timings.busySeconds);
    return 'busy';
  }
  const picker = input.answer === undefined ? online[0] : input.answer;
  if (
    input.outcome === 'answered' &&
    picker &&
    online.includes(picker) &&
    input.ringSeconds <= timeoutSeconds
  ) {
    await rt.sleepSeconds(input.ringSeconds);
    call.ringElapsed += input.ringSeconds;
    call.answeredBy = picker;
    return 'answered';
  }
  if (input.outcome === 'cancel') {
    const left = Math.max(0, input.ringSeconds - call.ringElapsed);
    if (left <= timeoutSeconds) {
      await rt.sleepSeconds(left);
      call.ringElapsed += left;
      return 'cancel';
    }
  }
  if (input.outcome === 'answered' && picker && !online.includes(picker)) {
    rt.step(run, `${picker} not rung`, `${picker} would answer but was not among the extensions rung`);
  }
  await rt.sleepSeconds(timeoutSeconds);
  call.ringElapsed += timeoutSeconds;
  return 'timeout';
}

/**
 * Continues after a round of ringing: talk, busy, the caller hanging up, or `onTimeout`.
 * Why: only the timeout differs between routes (end, or return to the PBX scenario).
 */
export async function settleRing(
  call: InboundCall,
  result: RingResult,
  onTimeout: () => Promise<void>,
): Promise<void> {
  if (result === 'answered') {
    return talkInbound(call);
  }
  if (result === 'busy') {
    return endInbound(call, 'busy', STATUS_CODE.busy);
  }
  if (result === 'cancel') {
    call.rt.step(call.run, 'caller hung up', `after ${call.input.ringSeconds} s of ringing`);
    return endInbound(call, 'cancel', STATUS_CODE.cancel);
  }
  return onTimeout();
}

/**
 * Rings a group for the PBX's no-answer time and ends the call unanswered when nobody picks up.
 * Why: the plain ring group of a number or of a menu scenario.
 */
export async function ringGroup(
  call: InboundCall,
  extensions: readonly string[],
  why: string,
): Promise<void> {
  const result = await ringExtensions(call, extensions, call.rt.timings.noAnswerSeconds, why);
  return settleRing(call, result, () => endNoAnswer(call));
}
