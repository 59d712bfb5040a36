/**
 * What happens when a leg of a click-to-call callback changes state: the user who asked for the callback hears
 * `callback.status` (ringing, answered, ended) for the agent's leg or the client's.
 * Why: the click-to-call button shows the progress of the call it started (click-to-call.ts).
 */
import { publishLive } from '../../../platform/live/live-events.js';
import type { CallEvent } from '../domain/call-event.js';
import type { CallbackRequest, EventPublisher, StoredCall } from '../ports.js';

/** Tells the requesting user the state of a callback leg. Why: the only audience of a callback's events. */
export async function handleCallbackStatus(
  ports: { readonly publisher: EventPublisher },
  event: CallEvent,
  call: StoredCall,
  request: CallbackRequest,
): Promise<void> {
  const calltype = 'calltype' in event ? event.calltype : null;
  const leg = calltype === 'callback_leg1' ? 'agent' : 'client';
  const state =
    event.kind === 'out_start'
      ? 'ringing'
      : event.kind === 'answer'
        ? 'answered'
        : event.kind === 'out_end' || event.kind === 'end'
          ? 'ended'
          : null;
  if (state) {
    await publishLive(ports.publisher, 'callback.status', [request.userId], {
      requestId: request.requestId,
      pbxCallId: call.pbxCallId,
      leg: event.kind === 'answer' ? 'client' : leg,
      state,
      disposition: event.kind === 'out_end' || event.kind === 'end' ? event.disposition : null,
    });
  }
}
