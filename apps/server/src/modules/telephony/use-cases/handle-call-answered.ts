/**
 * What happens when an inbound call is answered (`NOTIFY_ANSWER`): everyone the call rang hears `call.answered`,
 * naming who answered. Why: the other agents' popups close, the answering agent's shows the call in progress.
 */
import { publishLive } from '../../../platform/live/live-events.js';
import type { CallEvent } from '../domain/call-event.js';
import { answeringExtension } from '../domain/fold-call.js';
import type { StoredCall } from '../ports.js';
import type { TelephonyServices } from '../telephony-services.js';
import { callAudience } from './call-audience.js';

/** Tells the call's audience who answered. Why: one answer closes every other ringing popup. */
export async function handleCallAnswered(
  services: TelephonyServices,
  event: Extract<CallEvent, { kind: 'answer' }>,
  call: StoredCall,
): Promise<void> {
  // The popup names who just answered — this answer's own extension (after a transfer, the new agent); the
  // record credits one by a content rule (fold-call.ts), which cannot know which of two answers came last.
  const answered = answeringExtension(event, call.direction);
  const { audience, users } = await callAudience(services, call, answered);
  const extension = answered ?? call.answerExtension;
  const userId = extension ? (users.get(extension) ?? null) : null;
  const user = userId
    ? await services.db.selectFrom('users').select('name').where('id', '=', userId).executeTakeFirst()
    : undefined;
  await publishLive(services.publisher, 'call.answered', audience, {
    pbxCallId: call.pbxCallId,
    callId: call.id,
    answeredBy: { userId, name: user?.name ?? null, extension },
  });
}
