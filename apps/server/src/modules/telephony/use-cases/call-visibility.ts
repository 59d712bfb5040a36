/**
 * Who may read a call: the one rule behind `/api/calls`, `/api/calls/:id`, notes on calls and the call items
 * of contact timelines.
 */
import { type Expression, type Kysely, type SqlBool, sql } from 'kysely';
import type { Database } from '../../../platform/db/schema.js';
import type { SessionUser } from '../../../platform/http/auth-guards.js';

/** The columns that identify a call's agent and contact in the query the condition goes into. */
export interface CallColumns {
  /** e.g. `'k.agent_user_id'`. */
  readonly agentUserId: string;
  /** e.g. `'k.contact_id'`. */
  readonly contactId: string;
}

/**
 * The call-reading policy as a SQL condition, or null when `user` reads every call. Policy: an admin reads
 * every call; an agent reads the calls they handled (`agent_user_id`) and the calls of contacts they are
 * responsible for — not other agents' calls with other agents' contacts (their outcomes, durations, notes).
 * Why: the call log, a call's page, notes on calls and contact timelines must all show an agent the same calls.
 */
export function callReadableBy(user: SessionUser, columns: CallColumns): Expression<SqlBool> | null {
  if (user.role === 'admin') {
    return null;
  }
  return sql<SqlBool>`(${sql.ref(columns.agentUserId)} = ${user.id} or ${sql.ref(columns.contactId)} in (select id from contacts where responsible_user_id = ${user.id}))`;
}

/**
 * Whether `user` may read the call with this id (false when there is none).
 * Why: single-call routes answer 404 alike for a missing call and one the user may not read.
 */
export async function canReadCall(db: Kysely<Database>, user: SessionUser, callId: string): Promise<boolean> {
  let q = db.selectFrom('calls as k').select('k.id').where('k.id', '=', callId);
  const readable = callReadableBy(user, { agentUserId: 'k.agent_user_id', contactId: 'k.contact_id' });
  if (readable) {
    q = q.where(readable);
  }
  return (await q.executeTakeFirst()) !== undefined;
}
