/**
 * Who may do what with CRM records. The policy (also in the OpenAPI description):
 * - every signed-in user sees every contact, company, lead, deal and task (a caller's card must open for
 *   whoever answers);
 * - admins create, edit and delete everything and assign records to anyone;
 * - agents create records (assigned to themselves unless they choose nobody), and edit or delete only records
 *   that are theirs (responsible/assignee/author) or unassigned; they cannot assign a record to someone else;
 * - the system (automation) creates, edits and deletes like an admin but owns nothing: what it creates is
 *   assigned to whoever it names, nobody by default;
 * - API clients are refused (no rule allows them yet: platform/auth/actor.ts).
 */
import {
  type Actor,
  refuseApiClient,
  type SystemActor,
  type UserActor,
} from '../../../platform/auth/actor.js';
import { AppError } from '../../../platform/errors/errors.js';

export interface RecordOwnership {
  /** Responsible user or assignee. */
  readonly ownerId: string | null;
  /** Whoever created it, when tracked (tasks). */
  readonly createdById?: string | null;
}

/** True when the actor may edit or delete the record. */
function canModify(actor: UserActor | SystemActor, record: RecordOwnership): boolean {
  if (actor.kind === 'system' || actor.role === 'admin') {
    return true;
  }
  return record.ownerId === null || record.ownerId === actor.id || record.createdById === actor.id;
}

/** Throws 403 unless the actor may edit or delete the record. Why: one rule for every CRM entity. */
export function assertCanModify(actor: Actor, record: RecordOwnership, what: string): void {
  refuseApiClient(actor, `change ${what}`);
  if (!canModify(actor, record)) {
    throw new AppError('SB_ERR_FORBIDDEN', `agents can only change ${what} that are theirs or unassigned`);
  }
}

/**
 * The owner a record gets from a create/update by this actor: agents may only pick themselves or nobody.
 * `requested` undefined means "not given": agents then own what they create; admins and the system leave it
 * unset (nobody). API clients are refused.
 */
export function resolveOwner(
  actor: Actor,
  requested: string | null | undefined,
  field: string,
  current?: string | null,
): string | null | undefined {
  refuseApiClient(actor, current === undefined ? 'create records' : 'change records');
  const agentId = actor.kind === 'user' && actor.role === 'agent' ? actor.id : undefined;
  if (requested === undefined) {
    return current === undefined ? agentId : undefined;
  }
  if (agentId !== undefined && requested !== null && requested !== agentId && requested !== current) {
    throw new AppError('SB_ERR_FORBIDDEN', `agents can only assign ${field} to themselves or nobody`, [
      { path: field, message: 'must be yourself or null', reason: 'owner_self' },
    ]);
  }
  return requested;
}
