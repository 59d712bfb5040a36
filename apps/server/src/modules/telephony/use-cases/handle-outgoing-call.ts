/**
 * What the user who clicked to call sees of their call (issue 13): the same card as an incoming call's — the
 * contact, their deals, tasks and last calls, then the call in progress with a note, then the outcome — from
 * the first leg's notification to the hang-up. The toast's leg-by-leg progress stays in
 * handle-callback-status.ts.
 * Why: an outgoing call used to show only toasts, with nowhere to write what was said.
 */
import { publishLive } from '../../../platform/live/live-events.js';
import type { CallEvent } from '../domain/call-event.js';
import type {
  CallbackRequest,
  CrmCardReader,
  EventPublisher,
  ExtensionDirectory,
  StoredCall,
} from '../ports.js';
import { callExtension } from './call-view.js';
import { answeredPayload, ringingPayload } from './live-call-state.js';

/** Publishes the card's events of a click-to-call to the user who asked for it. */
export async function handleOutgoingCall(
  ports: {
    readonly cards: CrmCardReader;
    readonly directory: ExtensionDirectory;
    readonly publisher: EventPublisher;
  },
  event: CallEvent,
  call: StoredCall,
  request: CallbackRequest,
): Promise<void> {
  const audience = [request.userId];
  switch (event.kind) {
    case 'out_start': {
      if (call.status !== 'ringing') {
        return; // answered or over already (a late leg notification): the card has moved on
      }
      // Each leg of the callback (the agent's, then the client's) sends its NOTIFY_OUT_START, but the card is the
      // call's: it opens on the first leg folded, whichever arrives first, and the second says nothing.
      if (call.events.filter((e) => e.kind === 'out_start').length > 1) {
        return;
      }
      const contact = call.contactId
        ? await ports.cards.cardOf(call.contactId, { excludeCallId: call.id })
        : null;
      await publishLive(
        ports.publisher,
        'call.ringing',
        audience,
        ringingPayload(call, request.extension, contact, request.requestId),
      );
      return;
    }
    case 'answer': {
      const name = await ports.directory.nameOf(request.userId);
      await publishLive(
        ports.publisher,
        'call.answered',
        audience,
        answeredPayload(call, { userId: request.userId, name, extension: request.extension }),
      );
      return;
    }
    case 'out_end':
    case 'end':
      // Both legs send NOTIFY_OUT_END when the bridged call hangs up (docs/zadarma-protocol.md §5.7 item 5). Only
      // the end the fold keeps as the call's speaks: the client leg's, arriving first, closes the card, and the
      // agent's leg after it changes nothing the card shows, so it says nothing (it used to send a second
      // `call.ended`). An agent's leg folded first speaks, and the client's then corrects it.
      if (!isKeptEnd(call, event)) {
        return;
      }
      await publishLive(ports.publisher, 'call.ended', audience, {
        pbxCallId: call.pbxCallId,
        callId: call.id,
        status: call.status,
        disposition: call.disposition,
        duration: call.duration,
        extension: callExtension(call),
      });
      return;
    default:
      return;
  }
}

/** Whether `event` is the end the fold kept for the call (fold-call.ts `compareEnd` ranks a call's ends). */
function isKeptEnd(call: StoredCall, event: CallEvent & { kind: 'out_end' | 'end' }): boolean {
  const kept = call.end;
  return (
    kept !== null &&
    kept.kind === event.kind &&
    kept.calltype === event.calltype &&
    kept.disposition === event.disposition &&
    kept.duration === event.duration &&
    kept.statusCode === event.statusCode &&
    kept.extension === event.extension &&
    kept.lastInternal === ((event.kind === 'end' && event.lastInternal) || null)
  );
}
