/**
 * What happens when an inbound call rings an extension (`NOTIFY_INTERNAL`): the extension's user gets the
 * `call.ringing` popup with the caller's contact card — only while the call is new to us and no earlier call
 * carries its signed fields (domain/ringing-trust.ts: NOTIFY_INTERNAL's signature covers neither the extension
 * nor the call's id, so a captured one could otherwise pop cards anywhere, any time).
 * Why: the agent sees who is calling before picking up.
 */
import { publishLive } from '../../../platform/live/live-events.js';
import type { CallEvent } from '../domain/call-event.js';
import { ringingRefusal } from '../domain/ringing-trust.js';
import type {
  CallRepository,
  CrmCardReader,
  EventPublisher,
  ExtensionDirectory,
  StoredCall,
} from '../ports.js';
import { ringingPayload } from './live-call-state.js';

/** The ports the ringing popup needs. */
export interface CallRingingPorts {
  readonly calls: Pick<CallRepository, 'firstSignedWith'>;
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
  if (ringingRefusal(call.events, event) !== null || (await signedForAnotherCall(ports, call, event))) {
    return;
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

/**
 * Whether an earlier call already carries this call's signed `caller_id` and `call_start`: a signature belongs to
 * one call, so this one is a captured signature replayed under a made-up `pbx_call_id`.
 */
async function signedForAnotherCall(
  ports: Pick<CallRingingPorts, 'calls'>,
  call: StoredCall,
  event: Extract<CallEvent, { kind: 'internal' }>,
): Promise<boolean> {
  if (call.startedAt === null) {
    return true; // an unreadable signed start: nothing to bound the popup by
  }
  const first = await ports.calls.firstSignedWith({
    callStart: event.callStart,
    startedAt: call.startedAt,
    callerId: event.callerId,
  });
  return first !== null && first !== call.pbxCallId;
}
