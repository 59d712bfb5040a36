/**
 * Who may read a call: the one rule behind `/api/calls`, `/api/calls/:id`, notes on calls and the call items
 * of contact timelines. The adapters apply it as a query condition (adapters/kysely-call-visibility.ts).
 */
import type { Actor } from '../../../platform/auth/actor.js';
import type { CallReadScope } from '../ports.js';

/**
 * The calls `actor` reads. Policy: an admin and the system read every call; an agent reads the calls they
 * handled (`agent_user_id`) and the calls of contacts they are responsible for — not other agents' calls with
 * other agents' contacts (their outcomes, durations, notes); an API client reads none (no rule allows it yet:
 * fail closed). Why: the call log, a call's page, notes on calls and contact timelines must all show an agent
 * the same calls.
 */
export function callReadScope(actor: Actor): CallReadScope {
  switch (actor.kind) {
    case 'system':
      return { kind: 'all' };
    case 'api-client':
      return { kind: 'none' };
    case 'user':
      return actor.role === 'admin' ? { kind: 'all' } : { kind: 'agent', userId: actor.id };
  }
}
