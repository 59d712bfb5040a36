/**
 * What happens when a verified call notification is processed: fold it into the call record (idempotent), link
 * the client's contact (E.164) and the agent (extension mapping; `last_internal` decides, docs/zadarma-protocol.md §5.5), tell
 * the right users over the bus, and put the finished call on the contact's timeline. The dispatcher: what each
 * event means for the users is in handle-call-ringing.ts, handle-call-answered.ts, handle-call-ended.ts and
 * handle-callback-status.ts.
 */

import { cachedNormalize, findContactByPhone } from '../../crm/contacts/find-contact-by-phone.js';
import type { CallEvent } from '../domain/call-event.js';
import type { CallLinks, StoredCall } from '../ports.js';
import type { TelephonyServices } from '../telephony-services.js';
import type { CallbackRequest } from './callback-requests.js';
import { handleCallAnswered } from './handle-call-answered.js';
import { handleCallEnded } from './handle-call-ended.js';
import { handleCallRinging } from './handle-call-ringing.js';
import { handleCallbackStatus } from './handle-callback-status.js';
import { recordCallActivity } from './record-call-activity.js';

function isCallback(call: StoredCall, event: CallEvent): boolean {
  const calltype = 'calltype' in event ? event.calltype : null;
  return (call.calltype?.startsWith('callback') ?? false) || (calltype?.startsWith('callback') ?? false);
}

/**
 * Processes one call notification end to end and returns the call as stored. Rejects with
 * `CallEventRefusedError` (nothing stored, no one told) for a notification its call refuses (call-identity.ts):
 * the batch processor then marks the inbox entry failed with that reason.
 * Why: the one path for live webhooks and inbox replays.
 */
export async function handleCallEvent(services: TelephonyServices, event: CallEvent): Promise<StoredCall> {
  const { calls } = services;
  const country = await services.defaultCountry();
  const { call, duplicate } = await calls.applyEvent(event, undefined, {
    clientE164: (clientNumber) => cachedNormalize(clientNumber, country),
  });
  let current = call;
  const links: { -readonly [K in keyof CallLinks]: CallLinks[K] } = {};
  const e164 = current.clientNumber ? cachedNormalize(current.clientNumber, country) : null;
  if (e164 !== current.clientE164 && e164 !== null) {
    links.clientE164 = e164;
  }
  if (current.contactId === null && current.clientNumber) {
    const match = await findContactByPhone(services.database, current.clientNumber, country);
    if (match) {
      links.contactId = match.id;
    }
  }
  let request: CallbackRequest | null = null;
  if (isCallback(current, event)) {
    request = await services.callbacks.match({
      pbxCallId: current.pbxCallId,
      extension: current.originExtension,
      destinationE164: e164,
      firstSeenAt: current.createdAt,
    });
    if (request?.contactId && current.contactId === null && links.contactId === undefined) {
      links.contactId = request.contactId;
    }
  }
  const agentExtension =
    current.answeredBy ?? (current.direction === 'outbound' ? current.originExtension : null);
  const agentUserId =
    request?.userId ?? (agentExtension ? await services.assignments.findUserId(agentExtension) : null);
  if (agentUserId && agentUserId !== current.agentUserId) {
    links.agentUserId = agentUserId;
  }
  if (Object.keys(links).length > 0) {
    current = (await calls.link(current, links)) ?? current;
  }
  if (!duplicate) {
    await tell(services, event, current, request);
    await recordCallActivity(services.db, current);
  }
  return current;
}

/**
 * Sends each notification to the use case of what happened: a callback leg's progress, or an inbound call
 * ringing, answered or ended. Outbound calls (not callbacks) open no popup.
 */
async function tell(
  services: TelephonyServices,
  event: CallEvent,
  call: StoredCall,
  request: CallbackRequest | null,
): Promise<void> {
  if (request) {
    await handleCallbackStatus(services, event, call, request);
    return;
  }
  if (call.direction !== 'inbound') {
    return;
  }
  switch (event.kind) {
    case 'internal':
      await handleCallRinging(services, event, call);
      return;
    case 'answer':
      await handleCallAnswered(services, event, call);
      return;
    case 'end':
      await handleCallEnded(services, call);
      return;
    default:
      return;
  }
}
