/**
 * What happens when an inbound call ends (`NOTIFY_END`): everyone the call rang hears `call.ended` with its
 * status, disposition and duration. The finished call goes on its contact's timeline too
 * (record-call-activity.ts, run by handle-call-event.ts for every new notification).
 * Why: popups close with the outcome, and a missed call is visible to every agent it rang.
 */
import { publishLive } from '../../../platform/live/live-events.js';
import type { EventPublisher, ExtensionDirectory, StoredCall } from '../ports.js';
import { callAudience } from './call-audience.js';
import { callExtension } from './call-view.js';

/** Tells the call's audience that it ended and how. Why: the popups close with the call's outcome. */
export async function handleCallEnded(
  ports: { readonly directory: ExtensionDirectory; readonly publisher: EventPublisher },
  call: StoredCall,
): Promise<void> {
  const { audience } = await callAudience(ports, call, null);
  await publishLive(ports.publisher, 'call.ended', audience, {
    pbxCallId: call.pbxCallId,
    callId: call.id,
    status: call.status,
    disposition: call.disposition,
    duration: call.duration,
    extension: callExtension(call),
  });
}
