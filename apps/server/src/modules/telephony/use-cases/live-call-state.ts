/**
 * A call's live state as the popups receive it (`call.ringing`, then `call.answered`): built once here for the
 * live events and for a tab that connects in the middle of a call (restore-live-calls.ts), so both say the same.
 */
import type { ContactCard, StoredCall } from '../ports.js';
import { callExtension, toApiDirection } from './call-view.js';

/** The `call.ringing` payload: who is calling, on which extension, with the contact's card. */
export function ringingPayload(
  call: StoredCall,
  extension: string | null,
  contact: ContactCard | null,
  requestId: string | null = null,
) {
  return {
    pbxCallId: call.pbxCallId,
    callId: call.id,
    direction: toApiDirection(call.direction),
    extension: extension ?? '',
    clientNumber: call.clientNumber,
    clientE164: call.clientE164,
    startedAt: call.startedAt ?? call.createdAt,
    contact,
    ...(requestId !== null ? { requestId } : {}),
  };
}

/** The `call.answered` payload: who answered, and since when (the card's timer survives a reload). */
export function answeredPayload(
  call: StoredCall,
  answeredBy: { userId: string | null; name: string | null; extension: string | null },
) {
  return {
    pbxCallId: call.pbxCallId,
    callId: call.id,
    answeredBy,
    answeredAt: call.answeredAt,
  };
}

/** The `call.ended` payload: how the call ended (handle-call-ended.ts sends the same to the call's audience). */
export function endedPayload(call: StoredCall) {
  return {
    pbxCallId: call.pbxCallId,
    callId: call.id,
    status: call.status,
    disposition: call.disposition,
    duration: call.duration,
    extension: callExtension(call),
  };
}
