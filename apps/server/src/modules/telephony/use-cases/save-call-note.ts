/**
 * The note an agent writes on a call (its popup, its page): one note per call, replaced as it is edited, on a
 * call the writer may read.
 */
import type { Actor } from '../../../platform/auth/actor.js';
import { AppError } from '../../../platform/errors/errors.js';
import type { CallNotes, CallReadModel, Clock } from '../ports.js';
import { type CallView, toCallViews } from './call-view.js';
import { type ReadVisibleCallPorts, readVisibleCall } from './read-visible-call.js';

/** Long enough for any call summary, short enough that a popup never posts a document. */
export const MAX_CALL_NOTE = 10_000;

export interface SaveCallNotePorts extends ReadVisibleCallPorts {
  readonly notes: CallNotes;
  readonly readModel: CallReadModel;
  readonly clock: Clock;
}

export async function saveCallNote(
  ports: SaveCallNotePorts,
  actor: Actor,
  input: { callId: string; note: string },
): Promise<CallView> {
  if (actor.kind !== 'user') {
    // A note has an author: automation writes notes through the CRM's add-note, not as a call's note.
    throw new AppError('SB_ERR_FORBIDDEN', 'only a user writes a call note');
  }
  if (input.note.length > MAX_CALL_NOTE) {
    throw new AppError('SB_ERR_VALIDATION', `note: at most ${MAX_CALL_NOTE} characters`, [
      {
        path: 'note',
        message: `at most ${MAX_CALL_NOTE} characters`,
        reason: 'too_big',
        params: { maximum: MAX_CALL_NOTE },
      },
    ]);
  }
  const call = await readVisibleCall(ports, actor, input.callId);
  await ports.notes.save({
    callId: call.id,
    body: input.note,
    authorId: actor.id,
    at: new Date(ports.clock.now()).toISOString(),
  });
  return (await toCallViews(ports.readModel, [call]))[0] as CallView;
}
