/**
 * What happens when a verified call notification is processed: fold it into the call record (idempotent), link
 * the client's contact (E.164) and the agent (extension mapping; `last_internal` decides, docs/zadarma-protocol.md §5.5), tell
 * the right users, and put the finished call on the contact's timeline. The dispatcher: what each event means
 * for the users is in handle-call-ringing.ts, handle-call-answered.ts, handle-call-ended.ts and
 * handle-callback-status.ts.
 */

import { type CallEvent, withRoutingRefusal } from '../domain/call-event.js';
import { refusesCaller } from '../domain/routing-policy.js';
import type { CallbackRequest, CallLinks, CallProcessingPorts, RingingFacts, StoredCall } from '../ports.js';
import { type CallRouting, recordRoutingDecision } from './decide-call-routing.js';
import { handleCallAnswered } from './handle-call-answered.js';
import { handleCallEnded } from './handle-call-ended.js';
import { handleCallMissed } from './handle-call-missed.js';
import { handleCallRinging, judgeRinging } from './handle-call-ringing.js';
import { handleCallbackStatus } from './handle-callback-status.js';
import { handleOutgoingCall } from './handle-outgoing-call.js';
import { recordCallActivity } from './record-call-activity.js';
import { scheduleCallFollowUp } from './schedule-call-follow-up.js';

/** One notification to process, with what its batch read once. */
export interface CallEventInput {
  readonly event: CallEvent;
  /** The company's default country (phone normalisation). */
  readonly defaultCountry: string;
  /** When it is processed (ISO-8601): the record's timestamps. */
  readonly now: string;
  /**
   * The NOTIFY_START decision, with the caller it looked up: the contact link comes from it (no second
   * normalisation or lookup) and the decision goes on the call's trace.
   */
  readonly routing?: CallRouting | undefined;
  /**
   * Without `routing` (a recovery after a crash, an admin's replay): whether the reply refused the caller, as
   * stored on the inbox entry before the reply left (migration 0030).
   */
  readonly refused?: boolean | undefined;
  /** When the notification arrived (ISO-8601): the time of the decision on the trace. */
  readonly receivedAt?: string;
  /** Queue the follow-up of a call this event ends (an after-call switch is on; read before the batch). */
  readonly followUp?: boolean;
}

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
export async function handleCallEvent(
  ports: CallProcessingPorts,
  input: CallEventInput,
): Promise<StoredCall> {
  const { calls, contacts } = ports;
  const { defaultCountry: country } = input;
  // The NOTIFY_START decision is stored with the event it answered, so the fold and the statistics read it: the
  // decision in memory when processing follows the reply, else the refusal its inbox entry stored.
  const decided = withRoutingRefusal(
    input.event,
    input.routing ? refusesCaller(input.routing.decision) : (input.refused ?? false),
  );
  // A NOTIFY_INTERNAL is judged before the fold: a forged or replayed one's extension rings no one (§5.9).
  const judged: { event: CallEvent; facts?: RingingFacts } =
    decided.kind === 'internal' ? await judgeRinging(ports, decided) : { event: decided };
  const { event } = judged;
  const caller = input.routing?.caller ?? null;
  const e164Of = (clientNumber: string) =>
    caller !== null && clientNumber === caller.number ? caller.e164 : contacts.e164Of(clientNumber, country);
  const { call, duplicate } = await calls.applyEvent(event, input.now, {
    clientE164: e164Of,
    ...(judged.facts ? { read: judged.facts } : {}),
  });
  let current = call;
  const links: { -readonly [K in keyof CallLinks]: CallLinks[K] } = {};
  const e164 = current.clientNumber ? e164Of(current.clientNumber) : null;
  if (e164 !== current.clientE164 && e164 !== null) {
    links.clientE164 = e164;
  }
  if (current.contactId === null && current.clientNumber) {
    // The caller NOTIFY_START looked up, when it is this number; otherwise one lookup now.
    const match =
      caller !== null && caller.number === current.clientNumber
        ? caller
        : await contacts.findCaller(current.clientNumber, country);
    if (match.contact) {
      links.contactId = match.contact.id;
    }
  }
  let request: CallbackRequest | null = null;
  if (isCallback(current, event)) {
    request = await ports.callbacks.match({
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
    request?.userId ?? (agentExtension ? await ports.directory.userOf(agentExtension) : null);
  if (agentUserId && agentUserId !== current.agentUserId) {
    links.agentUserId = agentUserId;
  }
  if (Object.keys(links).length > 0) {
    current = (await calls.link(current, links, input.now)) ?? current;
  }
  if (!duplicate && event.kind === 'record') {
    // The file is complete from NOTIFY_RECORD on (docs/zadarma-protocol.md §4.5): fetch it from now.
    await ports.recordings.recordingReady({
      callId: current.id,
      pbxCallId: current.pbxCallId,
      recordingId: event.recordingId,
      at: input.now,
    });
  }
  if (!duplicate) {
    await tell(ports, event, current, request);
    await recordCallActivity(ports, current);
    if (input.followUp) {
      await scheduleCallFollowUp(ports, event, current);
    }
  }
  if (input.routing) {
    await recordRoutingDecision(ports, current, input.routing, input.receivedAt ?? input.now);
  }
  return current;
}

/**
 * Sends each notification to the use case of what happened: a callback leg's progress, or an inbound call
 * ringing, answered, ended or missed; a callback's card to the user who clicked. Outbound calls placed from a
 * phone (not callbacks) open no popup.
 */
async function tell(
  ports: CallProcessingPorts,
  event: CallEvent,
  call: StoredCall,
  request: CallbackRequest | null,
): Promise<void> {
  if (request) {
    await handleCallbackStatus(ports, event, call, request);
    await handleOutgoingCall(ports, event, call, request);
    return;
  }
  if (call.direction !== 'inbound') {
    return;
  }
  switch (event.kind) {
    case 'internal':
      await handleCallRinging(ports, event, call);
      return;
    case 'answer':
      await handleCallAnswered(ports, event, call);
      return;
    case 'end':
      await handleCallEnded(ports, call);
      await handleCallMissed(ports, call);
      return;
    default:
      return;
  }
}
