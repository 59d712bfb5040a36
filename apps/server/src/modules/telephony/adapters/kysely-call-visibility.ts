/**
 * The call-reading rule (use-cases/call-visibility.ts) as SQL: a condition other queries embed (the call log,
 * the chart's counts, the CRM's timelines) and the `CallVisibility` port. The CRM reads it from here (a public
 * file of telephony, .dependency-cruiser.cjs).
 * The agent's condition reads the admins' "agents see all calls" switch itself (a primary-key lookup of its
 * `settings` row, evaluated once per query). Why: every query that embeds the condition — log, page, playback,
 * timelines — follows an admin's change at once, on every instance, without each caller reading the setting first.
 */
import { type Expression, type Kysely, type SqlBool, sql } from 'kysely';
import type { Actor } from '../../../platform/auth/actor.js';
import type { Database } from '../../../platform/db/schema.js';
import { CALL_VISIBILITY_SETTINGS } from '../../../platform/settings/setting-definitions.js';
import type { CallReadScope, CallVisibility } from '../ports.js';
import { type CallReadPolicy, callReadScope } from '../use-cases/call-visibility.js';

/** The columns that identify a call's agent and contact in the query the condition goes into. */
export interface CallColumns {
  /** e.g. `'k.agent_user_id'`. */
  readonly agentUserId: string;
  /** e.g. `'k.contact_id'`. */
  readonly contactId: string;
}

/** A scope as a SQL condition, or null when it reads every call. */
export function scopeCondition(scope: CallReadScope, columns: CallColumns): Expression<SqlBool> | null {
  switch (scope.kind) {
    case 'all':
      return null;
    case 'none':
      return sql<SqlBool>`1 = 0`;
    case 'agent':
      return sql<SqlBool>`(exists (select 1 from settings where key = ${AGENTS_SEE_ALL_KEY} and value = 'true') or ${sql.ref(columns.agentUserId)} = ${scope.userId} or ${sql.ref(columns.contactId)} in (select id from contacts where responsible_user_id = ${scope.userId}))`;
  }
}

/** The switch's row; its value is stored as JSON (`true`/`false`) by the settings service. */
const AGENTS_SEE_ALL_KEY = CALL_VISIBILITY_SETTINGS.agentsSeeAllCalls.key;

/**
 * The admins' policy as stored now (uncached, like the SQL condition above). Why: the statistics choose which
 * extensions an agent counts before they query, so they read the same switch the call log's condition reads.
 */
export async function readCallReadPolicy(db: Kysely<Database>): Promise<CallReadPolicy> {
  const row = await db
    .selectFrom('settings')
    .select('value')
    .where('key', '=', AGENTS_SEE_ALL_KEY)
    .executeTakeFirst();
  return { agentsSeeAllCalls: row?.value === 'true' };
}

/** The calls `actor` may read as a SQL condition, or null when it reads every call. */
export function callReadableBy(actor: Actor, columns: CallColumns): Expression<SqlBool> | null {
  return scopeCondition(callReadScope(actor), columns);
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

/** The `CallVisibility` port over `db`. */
export function createKyselyCallVisibility(db: Kysely<Database>): CallVisibility {
  return { canRead: (actor, callId) => canReadCall(db, actor, callId) };
}
