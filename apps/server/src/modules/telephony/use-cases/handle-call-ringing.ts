/**
 * What happens when an inbound call rings an extension (`NOTIFY_INTERNAL`): the extension's user gets the
 * `call.ringing` popup with the caller's contact card.
 * Why: the agent sees who is calling before picking up.
 */
import { publishLive } from '../../../platform/live/live-events.js';
import type { CallEvent } from '../domain/call-event.js';
import type { StoredCall } from '../ports.js';
import type { TelephonyServices } from '../telephony-services.js';
import { toApiDirection } from './call-view.js';
import { loadContactCard } from './contact-card.js';

/** Opens the popup of a ringing inbound call for the ringing extension's user. Why: one popup per ringing agent. */
export async function handleCallRinging(
  services: TelephonyServices,
  event: Extract<CallEvent, { kind: 'internal' }>,
  call: StoredCall,
): Promise<void> {
  if (!event.extension) {
    return;
  }
  if (call.status !== 'ringing') {
    return; // answered or ended already (out-of-order delivery, §5.7): no popup to open
  }
  const userId = await services.assignments.findUserId(event.extension);
  if (!userId) {
    return;
  }
  const contact = call.contactId
    ? await loadContactCard(services.db, call.contactId, { excludeCallId: call.id })
    : null;
  await publishLive(services.publisher, 'call.ringing', [userId], {
    pbxCallId: call.pbxCallId,
    callId: call.id,
    direction: toApiDirection(call.direction),
    extension: event.extension,
    clientNumber: call.clientNumber,
    clientE164: call.clientE164,
    startedAt: call.startedAt ?? call.createdAt,
    contact,
  });
}
