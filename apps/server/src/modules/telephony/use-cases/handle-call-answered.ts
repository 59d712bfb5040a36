/**
 * What happens when an inbound call is answered (`NOTIFY_ANSWER`): everyone the call rang hears `call.answered`,
 * naming who answered. Why: the other agents' popups close, the answering agent's shows the call in progress.
 */
import { publishLive } from '../../../platform/live/live-events.js';
import type { CallEvent } from '../domain/call-event.js';
import { answeringExtension } from '../domain/fold-call.js';
import type { EventPublisher, ExtensionDirectory, StoredCall } from '../ports.js';
import { callAudience } from './call-audience.js';
import { answeredPayload } from './live-call-state.js';

/** Tells the call's audience who answered. Why: one answer closes every other ringing popup. */
export async function handleCallAnswered(
  ports: { readonly directory: ExtensionDirectory; readonly publisher: EventPublisher },
  event: Extract<CallEvent, { kind: 'answer' }>,
  call: StoredCall,
): Promise<void> {
  // The popup names who just answered — this answer's own extension (after a transfer, the new agent); the
  // record credits one by a content rule (fold-call.ts), which cannot know which of two answers came last.
  const answered = answeringExtension(event, call.direction);
  const { audience, users } = await callAudience(ports, call, answered);
  const extension = answered ?? call.answerExtension;
  const userId = extension ? (users.get(extension) ?? null) : null;
  const name = userId ? await ports.directory.nameOf(userId) : null;
  await publishLive(
    ports.publisher,
    'call.answered',
    audience,
    answeredPayload(call, { userId, name, extension }),
  );
}
