/**
 * What a played call leaves for inspection: its trace (every notification, every routing step and why) and
 * its outcome. These are the public shapes of the PBX, shared by every scenario.
 */
import type { DeliveryRecord } from '../webhooks/deliver.js';
import type { Outcome } from './scenarios.js';

/** One routing decision. Why: the trace explains where a call went, not only which events it produced. */
export interface RoutingStep {
  /** Virtual time, account timezone. */
  readonly at: string;
  readonly action: string;
  readonly why: string;
}

/** How a call ended, as its NOTIFY_(OUT_)END said. Why: tests compare it with what the CRM stored. */
export interface CallOutcome {
  readonly disposition: string;
  readonly statusCode: number;
  /** Talk time in seconds (`duration`). */
  readonly duration: number;
  /** The extension that answered first (`internal`), if any. */
  readonly answeredBy: string | null;
  /** The extension last on the call (`last_internal`). */
  readonly lastInternal: string | null;
  readonly isRecorded: boolean;
  readonly callIdWithRec: string | null;
}

/** Everything about one played call. Why: the control API and tests inspect calls through it. */
export interface CallTrace {
  readonly pbxCallId: string;
  readonly direction: 'inbound' | 'outbound' | 'callback';
  readonly from: string;
  readonly to: string;
  readonly callStart: string;
  state: 'in progress' | 'finished';
  /** Every notification produced, in production order, with what the receiver answered. */
  readonly webhooks: DeliveryRecord[];
  /** Where the call went and why. */
  readonly routing: RoutingStep[];
  /** What the ringing phones displayed: the CRM's `caller_name`, else the caller's number. */
  displayName: string;
  outcome: CallOutcome | null;
  error: string | null;
}

/**
 * The Q.931 `status_code` Zadarma reports for each outcome (docs/zadarma-protocol.md §5.5).
 * Why: every scenario ends with one, and NOTIFY_END / NOTIFY_OUT_END must agree with the trace.
 */
export const STATUS_CODE: Readonly<Record<Outcome, number>> = {
  answered: 16,
  cancel: 16,
  busy: 17,
  'no answer': 19,
};
