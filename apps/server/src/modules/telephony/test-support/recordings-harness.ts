/**
 * What the recordings tests share: a recorded call placed on the simulator and settled, and a poll for what the
 * server does in the background (the fetch job, the webhook batch).
 */
import type { TelephonyTestContext } from './test-telephony.js';

export { until } from '../../../test-support/until.js';

export interface RecordedCallInput {
  readonly answer: string;
  readonly talkSeconds: number;
  readonly record?: boolean;
  readonly from?: string;
}

/** An inbound call answered by `answer`, recorded unless `record: false`, played to its end and stored. */
export async function placeRecordedCall(t: TelephonyTestContext, input: RecordedCallInput) {
  const { pbxCallId } = t.sim.placeInbound({ from: '+33612345678', to: '442037691999', ...input });
  await t.settle(t.sim, pbxCallId);
  const call = await t.live.adapters.calls.get(pbxCallId);
  if (!call) {
    throw new Error('the call was not stored');
  }
  const trace = t.sim.getCall(pbxCallId);
  const recordingId = trace?.outcome?.callIdWithRec ?? null;
  return { callId: call.id, pbxCallId, recordingId };
}
