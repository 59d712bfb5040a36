/**
 * Who may read a call: the one rule behind `/api/calls`, `/api/calls/:id`, notes on calls and the call items
 * of contact timelines.
 */
import { type Expression, type Kysely, type SqlBool, sql } from 'kysely';
import type { Actor } from '../../../platform/auth/actor.js';
import type { Database } from '../../../platform/db/schema.js';

/** The columns that identify a call's agent and contact in the query the condition goes into. */
export interface CallColumns {
  /** e.g. `'k.agent_user_id'`. */
  readonly agentUserId: string;
  /** e.g. `'k.contact_id'`. */
  readonly contactId: string;
}

/**
 * The call-reading policy as a SQL condition, or null when `actor` reads every call. Policy: an admin and the
 * system read every call; an agent reads the calls they handled (`agent_user_id`) and the calls of contacts
 * they are responsible for — not other agents' calls with other agents' contacts (their outcomes, durations,
 * notes); an API client reads none (no rule allows it yet: fail closed).
 * Why: the call log, a call's page, notes on calls and contact timelines must all show an agent the same calls.
 */
export function callReadableBy(actor: Actor, columns: CallColumns): Expression<SqlBool> | null {
  switch (actor.kind) {
    case 'system':
      return null;
    case 'api-client':
      return sql<SqlBool>`1 = 0`;
    case 'user':
      if (actor.role === 'admin') {
        return null;
      }
      return sql<SqlBool>`(${sql.ref(columns.agentUserId)} = ${actor.id} or ${sql.ref(columns.contactId)} in (select id from contacts where responsible_user_id = ${actor.id}))`;
  }
}

/**
 * Whether `actor` may read the call with this id (false when there is none).
 * Why: single-call routes answer 404 alike for a missing call and one the actor may not read.
 */
export async function canReadCall(db: Kysely<Database>, actor: Actor, callId: string): Promise<boolean> {
  let q = db.selectFrom('calls as k').select('k.id').where('k.id', '=', callId);
  const readable = callReadableBy(actor, { agentUserId: 'k.agent_user_id', contactId: 'k.contact_id' });
  if (readable) {
    q = q.where(readable);
  }
  return (await q.executeTakeFirst()) !== undefined;
}
