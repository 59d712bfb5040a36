/**
 * Whether a NOTIFY_INTERNAL may open a ringing popup (docs/zadarma-protocol.md §5.9). Its signature covers only
 * `caller_id . called_did . call_start` — the same string as the call's NOTIFY_START and NOTIFY_END — and neither
 * `pbx_call_id` nor `internal`: anyone holding one signed notification of a call can post a NOTIFY_INTERNAL for
 * any extension, under that call's id or a made-up one, for the 4 hours the freshness check (call-freshness.ts)
 * lets its `call_start` through. So the popup is bounded: it opens
 * only while the call is new to us (its first notification arrived within the ringing window), and never for a
 * call whose signed fields an earlier call already carries (a signature belongs to one call). Why not the signed
 * `call_start` against our clock: it is in the account's timezone, and a timezone read wrong would silence every
 * popup; the receipt times are ours.
 * A refused NOTIFY_INTERNAL is stored marked `untrusted` (`asJudged`): it opens no popup, and the fold keeps its
 * extension out of the call's `ringingExtensions`, so neither a tab's restore nor the call workspace's access rule
 * lets that extension's user into the call.
 * Pure: the use case (use-cases/handle-call-ringing.ts) reads, this decides.
 */
import type { CallEvent } from './call-event.js';

/** How long after its first notification a call may still ring someone: queues and IVRs included. */
const RINGING_WINDOW_MS = 15 * 60_000;

/** When the first of a call's notifications arrived (null: none yet). */
function firstHeardAt(events: readonly CallEvent[]): string | null {
  return events.reduce<string | null>(
    (min, e) => (min === null || e.receivedAt < min ? e.receivedAt : min),
    null,
  );
}

/**
 * Why `event` may not open a popup for the call whose notifications so far are `events` (null: it may).
 * `receivedAt`: when this one arrived — an inbox replay later is outside the window too, as it should be.
 */
export function ringingRefusal(
  events: readonly CallEvent[],
  event: { readonly receivedAt: string },
): string | null {
  const first = firstHeardAt(events);
  if (first === null) {
    return null;
  }
  const age = Date.parse(event.receivedAt) - Date.parse(first);
  return age > RINGING_WINDOW_MS
    ? `the call's first notification arrived ${Math.round(age / 1000)} s ago: outside the ringing window`
    : null;
}

/**
 * The NOTIFY_INTERNAL as its call stores it: marked `untrusted` when refused. Why: the decision must travel with
 * the event into the fold, like the blacklist's refusal on NOTIFY_START.
 */
export function asJudged<E extends { readonly kind: 'internal' }>(event: E, refused: boolean): E {
  return refused ? { ...event, untrusted: true as const } : event;
}
