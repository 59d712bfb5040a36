/**
 * What happens when an inbound call rings an extension (`NOTIFY_INTERNAL`): the extension's user gets the
 * `call.ringing` popup with the caller's contact card — only while the call is new to us and no earlier call
 * carries its signed fields (domain/ringing-trust.ts: NOTIFY_INTERNAL's signature covers neither the extension
 * nor the call's id, so a captured one could otherwise pop cards anywhere, any time). `judgeRinging` decides that
 * before the fold, so a refused one's extension never joins the call's `ringingExtensions` either.
 * Why: the agent sees who is calling before picking up — and only that agent.
 */
import { publishLive } from '../../../platform/live/live-events.js';
import type { CallEvent } from '../domain/call-event.js';
import { asJudged, ringingRefusal } from '../domain/ringing-trust.js';
import type {
  CallRepository,
  CrmCardReader,
  EventPublisher,
  ExtensionDirectory,
  RingingFacts,
  StoredCall,
} from '../ports.js';
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
  // Judged before the fold (`judgeRinging`); the window is checked again here, at no cost, for any other caller.
  if (event.untrusted === true || ringingRefusal(call.events, event) !== null) {
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
 * The NOTIFY_INTERNAL as its call is to store it: marked `untrusted` when the ringing-trust rule refuses it — its
 * call was first heard of longer ago than the ringing window, or an earlier call already carries its signed
 * `caller_id` and `call_start` (a captured signature replayed under a made-up `pbx_call_id`) — with the facts it
 * was judged on, which the fold then starts from (`ApplyEventOptions.read`; none for an event not judged).
 * Imported events (Zadarma's statistics, not a webhook) are Zadarma's own word and stay as they are.
 * Why before the fold: the extension a refused one names must not join `ringingExtensions`, which a reconnecting
 * tab's restore and the call workspace's access rule read (docs/zadarma-protocol.md §5.9).
 */
export async function judgeRinging<E extends Extract<CallEvent, { kind: 'internal' }>>(
  ports: { readonly calls: Pick<CallRepository, 'ringingFacts'> },
  event: E,
): Promise<{ readonly event: E; readonly facts?: RingingFacts }> {
  if (event.imported === true || !event.extension) {
    return { event };
  }
  // An unreadable signed start: nothing to look the signature up by, and nothing to bound the popup by.
  const signed =
    event.startedAt === null
      ? null
      : { callStart: event.callStart, startedAt: event.startedAt, callerId: event.callerId };
  const facts = await ports.calls.ringingFacts(event.pbxCallId, signed);
  const refused =
    ringingRefusal(facts.call?.events ?? [], event) !== null ||
    signed === null ||
    (facts.firstSigned !== null && facts.firstSigned !== event.pbxCallId);
  return { event: asJudged(event, refused), facts };
}
