/**
 * What happens when an inbound call rings an extension (`NOTIFY_INTERNAL`): the extension's user gets the
 * `call.ringing` popup with the caller's contact card.
 * Why: the agent sees who is calling before picking up.
 */
import { publishLive } from '../../../platform/live/live-events.js';
import type { CallEvent } from '../domain/call-event.js';
import type { CrmCardReader, EventPublisher, ExtensionDirectory, StoredCall } from '../ports.js';
import { ringingPayload } from './live-call-state.js';

/** The ports the ringing popup needs. */
export interface CallRingingPorts {
  readonly directory: ExtensionDirectory;
  readonly cards: CrmCardReader;
  readonly publisher: EventPublisher;
}

/** Opens the popup of a ringing inbound call for the ringing extension's user. Why: one popup per ringing agent. */
export async function handleCallRinging(
  ports: CallRingingPorts,
  event: Extract<CallEvent, { kind: 'internal' }>,
  call: StoredCall,
): Promise<void> {
  if (!event.extension) {
    return;
  }
  if (call.status !== 'ringing') {
    return; // answered or ended already (out-of-order delivery, §5.7): no popup to open
  }
  const userId = await ports.directory.userOf(event.extension);
  if (!userId) {
    return;
  }
  const contact = call.contactId
    ? await ports.cards.cardOf(call.contactId, { excludeCallId: call.id })
    : null;
  await publishLive(
    ports.publisher,
    'call.ringing',
    [userId],
    ringingPayload(call, event.extension, contact),
  );
}
