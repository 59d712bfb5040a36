/** Changing the admins' "agents see all calls" switch: every call-reading query follows it at once. */
import type { CallReadPolicy } from './call-visibility.js';
import type { CallReadPolicySettings } from './read-call-visibility-policy.js';

/** Stores the switch and returns it as stored. Admins only: the route's guard (an agent must not widen their view). */
export async function saveCallVisibilityPolicy(
  settings: CallReadPolicySettings,
  policy: CallReadPolicy,
): Promise<CallReadPolicy> {
  const saved = await settings.update(() => ({ agentsSeeAllCalls: policy.agentsSeeAllCalls }));
  return { agentsSeeAllCalls: saved.agentsSeeAllCalls };
}
