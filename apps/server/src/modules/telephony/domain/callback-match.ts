/**
 * Which click-to-call request a callback call belongs to. Zadarma's `/v1/request/callback/` returns no call id
 * (docs/zadarma-protocol.md §4.2), so the legs are matched by extension, destination and time.
 */

/** How long before the click a callback's first leg may be stamped (clocks of two machines). */
export const CALLBACK_MATCH_BEFORE_MS = 5_000;
/** How long after the click a callback's first leg may appear. */
export const CALLBACK_MATCH_WINDOW_MS = 120_000;

/** A request as the rule reads it. */
interface PendingCallback {
  readonly extension: string;
  /** E.164. */
  readonly to: string;
  /** ISO instant of the click. */
  readonly at: string;
}

/**
 * Whether a call first seen at `firstSeen` (ms), from `extension` (null: unknown yet) to `to`, is this request's.
 * Why: the same rule on every instance and in every adapter.
 */
export function callbackFits(
  request: PendingCallback,
  extension: string | null,
  to: string | null,
  firstSeen: number,
): boolean {
  const at = Date.parse(request.at);
  return (
    (extension === null || request.extension === extension) &&
    request.to === to &&
    firstSeen >= at - CALLBACK_MATCH_BEFORE_MS &&
    firstSeen <= at + CALLBACK_MATCH_WINDOW_MS
  );
}
