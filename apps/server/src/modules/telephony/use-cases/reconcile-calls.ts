/**
 * Reconciliation (issue 11): compares the last days of Zadarma's call history with our calls, adds the calls whose
 * webhooks never arrived and completes those whose end never came, folding them into what the webhooks built; the
 * run's report — "N calls checked, N missing, N healed", with when it ran — is what proves the log complete.
 * The walk is the history import's (`import-call-history.ts`); this file decides what a reconciliation covers and
 * when the nightly one runs.
 */
import { type Actor, systemActor } from '../../../platform/auth/actor.js';
import type { HistoryRun } from '../ports.js';
import { type HistoryPorts, startHistoryRun } from './import-call-history.js';

/** Yesterday and today: a webhook lost late last night is caught by the next night's run. */
const RECONCILE_DAYS = 2;

/** Starts a reconciliation of the last {@link RECONCILE_DAYS} days (an admin's "Reconcile now"). */
export function reconcileCalls(ports: HistoryPorts, actor: Actor): Promise<HistoryRun> {
  return startHistoryRun(ports, actor, { kind: 'reconcile', days: RECONCILE_DAYS });
}

/**
 * The nightly run: started by the scheduled job as the system, once a day (the job's idempotency key is the day).
 * An admin's run still in progress makes the night skip, not fail.
 */
export async function reconcileNightly(ports: HistoryPorts): Promise<HistoryRun | null> {
  if (await ports.runs.active('reconcile')) {
    return null;
  }
  return reconcileCalls(ports, systemActor('nightly call reconciliation'));
}
