/**
 * What happens when an inbound call is missed (issue 13): the agents whose phone rang and the contact's
 * responsible user hear `call.missed` — a notification, and the call joins their "missed calls" list
 * (missed-calls.ts) until it is returned or dismissed.
 * Why: a missed call reaches the people who can return it, not only the screens it rang on.
 */
import { publishLive } from '../../../platform/live/live-events.js';
import type { CrmCardReader, EventPublisher, ExtensionDirectory, StoredCall } from '../ports.js';
import { callAudience } from './call-audience.js';

/** Tells the rung agents and the responsible user that the call was missed. */
export async function handleCallMissed(
  ports: {
    readonly directory: ExtensionDirectory;
    readonly cards: CrmCardReader;
    readonly publisher: EventPublisher;
  },
  call: StoredCall,
): Promise<void> {
  // A caller the blacklist refused is not a missed call anyone should return.
  if (call.status !== 'missed' || call.direction === 'outbound' || call.blacklisted) {
    return;
  }
  const { audience } = await callAudience(ports, call, null);
  const card = call.contactId ? await ports.cards.cardOf(call.contactId, { excludeCallId: call.id }) : null;
  await publishLive(ports.publisher, 'call.missed', [...audience, card?.responsibleUser?.id], {
    pbxCallId: call.pbxCallId,
    callId: call.id,
    clientNumber: call.clientNumber,
    clientE164: call.clientE164,
    startedAt: call.startedAt ?? call.createdAt,
    contact: card ? { id: card.id, displayName: card.displayName } : null,
  });
}
