/**
 * What happens when a verified call notification is processed: fold it into the call record (idempotent), link
 * the client's contact (E.164) and the agent (extension mapping; `last_internal` decides, docs/zadarma-protocol.md §5.5), tell
 * the right users over the bus, and put the finished call on the contact's timeline.
 */

import { publishLive } from '../../../platform/live/live-events.js';
import { cachedNormalize, findContactByPhone } from '../../crm/contacts/find-contact-by-phone.js';
import type { CallEvent } from '../domain/call-event.js';
import { answeringExtension } from '../domain/fold-call.js';
import type { CallLinks, StoredCall } from '../ports.js';
import type { TelephonyServices } from '../telephony-services.js';
import { callExtension, toApiDirection } from './call-view.js';
import type { CallbackRequest } from './callback-requests.js';
import { loadContactCard } from './contact-card.js';
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

async function tell(
  services: TelephonyServices,
  event: CallEvent,
  call: StoredCall,
  request: CallbackRequest | null,
): Promise<void> {
  const bus = services.publisher;
  if (request) {
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
      await publishLive(bus, 'callback.status', [request.userId], {
        requestId: request.requestId,
        pbxCallId: call.pbxCallId,
        leg: event.kind === 'answer' ? 'client' : leg,
        state,
        disposition: event.kind === 'out_end' || event.kind === 'end' ? event.disposition : null,
      });
    }
    return;
  }
  if (call.direction !== 'inbound') {
    return;
  }
  if (event.kind === 'internal' && event.extension) {
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
    await publishLive(bus, 'call.ringing', [userId], {
      pbxCallId: call.pbxCallId,
      callId: call.id,
      direction: toApiDirection(call.direction),
      extension: event.extension,
      clientNumber: call.clientNumber,
      clientE164: call.clientE164,
      startedAt: call.startedAt ?? call.createdAt,
      contact,
    });
    return;
  }
  if (event.kind !== 'answer' && event.kind !== 'end') {
    return;
  }
  // The popup names who just answered — this answer's own extension (after a transfer, the new agent); the
  // record credits one by a content rule (fold-call.ts), which cannot know which of two answers came last.
  const answered = event.kind === 'answer' ? answeringExtension(event, call.direction) : null;
  const extensions = [
    ...new Set(
      [...call.ringingExtensions, call.answerExtension, call.answeredBy, answered].filter(
        (e): e is string => typeof e === 'string',
      ),
    ),
  ];
  const users = await services.usersOfExtensions(extensions);
  const audience = [...users.values(), call.agentUserId];
  if (event.kind === 'answer') {
    const extension = answered ?? call.answerExtension;
    const userId = extension ? (users.get(extension) ?? null) : null;
    const user = userId
      ? await services.db.selectFrom('users').select('name').where('id', '=', userId).executeTakeFirst()
      : undefined;
    await publishLive(bus, 'call.answered', audience, {
      pbxCallId: call.pbxCallId,
      callId: call.id,
      answeredBy: { userId, name: user?.name ?? null, extension },
    });
    return;
  }
  await publishLive(bus, 'call.ended', audience, {
    pbxCallId: call.pbxCallId,
    callId: call.id,
    status: call.status,
    disposition: call.disposition,
    duration: call.duration,
    extension: callExtension(call),
  });
}
