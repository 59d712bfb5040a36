/** The admins' "agents see all calls" switch as the settings page shows it. */
import type { CallReadPolicy } from './call-visibility.js';

/**
 * Where the switch is kept (the one settings service, group `telephony`). Why a port: the routes and the use cases
 * never build the settings service over the database.
 */
export interface CallReadPolicySettings {
  /** Picks up a change another instance made (one version check). */
  checkForChanges(): Promise<boolean>;
  read(): Promise<CallReadPolicy>;
  update(change: (current: CallReadPolicy) => Partial<CallReadPolicy>): Promise<CallReadPolicy>;
}

/**
 * The switch as stored now. Why the version check first: the calls' SQL condition reads the row uncached, so this
 * page must never show another instance's older value.
 */
export async function readCallVisibilityPolicy(settings: CallReadPolicySettings): Promise<CallReadPolicy> {
  await settings.checkForChanges();
  const { agentsSeeAllCalls } = await settings.read();
  return { agentsSeeAllCalls };
}
