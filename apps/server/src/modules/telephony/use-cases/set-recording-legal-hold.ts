/**
 * A legal hold on a call's recording: while it is set, neither retention nor the size cap nor an erasure by contact
 * deletes it. Admins only.
 */
import type { Actor } from '../../../platform/auth/actor.js';
import { isAdmin } from '../../../platform/auth/actor.js';
import { AppError } from '../../../platform/errors/errors.js';
import type { RecordingRepository } from '../ports.js';

/** Sets or lifts the hold on the call's recording; resolves with the new state. */
export async function setRecordingLegalHold(
  recordings: RecordingRepository,
  actor: Actor,
  input: { readonly callId: string; readonly hold: boolean },
): Promise<{ legalHold: boolean }> {
  if (!isAdmin(actor)) {
    throw new AppError('SB_ERR_FORBIDDEN', 'only an administrator may put a recording on legal hold');
  }
  const recording = await recordings.latestForCall(input.callId);
  if (!recording) {
    throw new AppError('SB_ERR_NO_RECORDING', 'this call has no recording');
  }
  await recordings.setLegalHold(recording.id, input.hold);
  return { legalHold: input.hold };
}
