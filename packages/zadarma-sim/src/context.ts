/** Everything a REST method or control route may use: the account, the played calls, the clock, the PBX. */
import type { SimClock } from './clock.js';
import type { Faults } from './faults.js';
import type { CallEngine } from './pbx/call-engine.js';
import type { Outcome } from './pbx/scenarios.js';
import type { ApiCredentials } from './rest/auth.js';
import type { SimState } from './state.js';
import type { SimData } from './store.js';
import type { DeliveryRecord } from './webhooks/deliver.js';

/** How API callbacks (`/v1/request/callback/`) play out, since the REST request cannot say. */
export interface CallbackPlan {
  outcome: Outcome;
  extensionOutcome?: Outcome;
  talkSeconds?: number;
  ringSeconds?: number;
}

export interface SimContext {
  readonly state: SimState;
  readonly data: SimData;
  readonly clock: SimClock;
  readonly engine: CallEngine;
  readonly credentials: readonly ApiCredentials[];
  /** Base URL the simulator is reachable at (recording links point there). */
  baseUrl(): string;
  /** Secret that signs recording download links. */
  readonly linkSecret: string;
  /** Real milliseconds the `zd_echo` check waits for the receiver. */
  readonly echoTimeoutMs: number;
  callbackPlan: CallbackPlan;
  /** Sends an "other events" webhook (SMS, SPEECH_RECOGNITION…) to the events URL; `null` when none is set. */
  sendEventWebhook(
    fields: readonly (readonly [string, string])[],
    hook: keyof SimState['webhooks']['hooks'],
  ): Promise<DeliveryRecord | null>;
  /** Failures planned through the control API (`/_sim/faults`). */
  readonly faults: Faults;
  /** Every "other events" webhook sent. */
  readonly eventWebhooks: DeliveryRecord[];
}
