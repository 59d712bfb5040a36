/** The agent's call workspace, click-to-call requests and the provider that places calls. (Part of the telephony ports; import them from `../ports.js`.) */
import type { CallbackMatcher, CallbackRequest } from './webhook-path.js';

/** The outcomes an agent records after a call (Pipedrive's call logging). */
export const CALL_OUTCOMES = ['connected', 'no_answer', 'left_message', 'wrong_number', 'busy'] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

/** The after-call work recorded on a call. */
export interface CallWrapUp {
  readonly outcome: CallOutcome | null;
  readonly outcomeBy: string | null;
  readonly outcomeAt: string | null;
}

/**
 * What the agent's call workspace reads and writes beyond the call's fold (issue 13): the calls in progress a
 * user's tab restores, the missed calls still to return, and the wrap-up. Everything is derived from the calls
 * table or stored beside it, never held in one instance's memory. Why: a reload or a second tab, on any
 * instance, brings the call back.
 */
export interface CallWorkspaceStore {
  /**
   * Ids of the calls in the user's audience (their extension rang, answered or placed it, or they are its
   * agent) that still ring (started since `ringingSince`) or are in progress (since `inProgressSince`).
   */
  inProgressFor(query: {
    readonly userId: string;
    readonly extension: string | null;
    readonly ringingSince: string;
    readonly inProgressSince: string;
  }): Promise<string[]>;
  /**
   * Ids of the missed inbound calls since `since` that rang the user's extension or whose contact the user is
   * responsible for, not returned (no answered call with the same number after it) nor dismissed; newest first.
   */
  missedFor(query: {
    readonly userId: string;
    readonly extension: string | null;
    readonly since: string;
    readonly limit: number;
  }): Promise<string[]>;
  /** Whether `userId` is responsible for the call's contact. */
  isResponsibleFor(contactId: string, userId: string): Promise<boolean>;
  /** Whether the contact has this number (E.164) among its phones. */
  contactHasNumber(contactId: string, e164: string): Promise<boolean>;
  wrapUpOf(callId: string): Promise<CallWrapUp>;
  setOutcome(callId: string, outcome: CallOutcome | null, userId: string | null, at: string): Promise<void>;
  dismissMissed(callId: string, userId: string | null, at: string): Promise<void>;
}

/**
 * Click-to-call requests awaiting their call (`callback.requested`). Why: Zadarma returns no call id for a
 * callback, so the request is remembered — on every instance — before the PBX is asked, and its legs matched later.
 */
export interface CallbackRequestLog extends CallbackMatcher {
  remember(request: CallbackRequest): Promise<void>;
}

/** Asks the PBX to place calls for the CRM (Zadarma's `/v1/request/callback/`, adapters/zadarma). */
export interface TelephonyProvider {
  /** The dialler of the current credentials; null while telephony is not configured. */
  callbackDialer(): Promise<CallbackDialer | null>;
}

interface CallbackDialer {
  /**
   * Rings `from` (an extension) first, then `to` (E.164). Never retried: a retry would ring twice. Rejects
   * with the catalogue's Zadarma errors (refused, unreachable, balance…).
   */
  requestCallback(request: { readonly from: string; readonly to: string }): Promise<void>;
}
