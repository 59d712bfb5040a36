/**
 * Who may read a call: the one rule behind `/api/calls`, `/api/calls/:id`, the call log, recordings and transcripts,
 * statistics, notes on calls and the call items of contact timelines. The adapters apply it as a query condition
 * (adapters/kysely-call-visibility.ts).
 */
import type { Actor } from '../../../platform/auth/actor.js';
import type { CallReadScope } from '../ports.js';

/**
 * The admins' choice (setting `telephony.calls.agentsSeeAllCalls`, off by default): whether every agent reads
 * every call, as admins do.
 */
export interface CallReadPolicy {
  readonly agentsSeeAllCalls: boolean;
}

/**
 * The calls `actor` reads. Policy: an admin and the system read every call; an agent reads the calls they
 * handled (`agent_user_id`) and the calls of contacts they are responsible for — not other agents' calls with
 * other agents' contacts (their outcomes, durations, notes, recordings) — unless the admins let agents see all
 * calls; an API client reads none (no rule allows it yet: fail closed). Why: the call log, a call's page, its
 * recording, the statistics, notes on calls and contact timelines must all show an agent the same calls.
 * Without `policy` an agent gets the `agent` scope, which the SQL adapter widens itself when the setting is on.
 */
export function callReadScope(actor: Actor, policy?: CallReadPolicy): CallReadScope {
  switch (actor.kind) {
    case 'system':
      return { kind: 'all' };
    case 'api-client':
      return { kind: 'none' };
    case 'user':
      return actor.role === 'admin' || policy?.agentsSeeAllCalls === true
        ? { kind: 'all' }
        : { kind: 'agent', userId: actor.id };
  }
}
