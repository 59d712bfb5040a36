/**
 * Who may do what with CRM records. The policy (also in the OpenAPI description):
 * - every signed-in user sees every contact, company, lead, deal and task (a caller's card must open for
 *   whoever answers);
 * - admins create, edit and delete everything and assign records to anyone;
 * - agents create records (assigned to themselves unless they choose nobody), and edit or delete only records
 *   that are theirs (responsible/assignee/author) or unassigned; they cannot assign a record to someone else.
 */
import { AppError } from '../../../platform/errors/errors.js';
import type { SessionUser } from '../../../platform/http/auth-guards.js';

export interface RecordOwnership {
  /** Responsible user or assignee. */
  readonly ownerId: string | null;
  /** Whoever created it, when tracked (tasks). */
  readonly createdById?: string | null;
}

/** True when the user may edit or delete the record. */
function canModify(user: SessionUser, record: RecordOwnership): boolean {
  if (user.role === 'admin') {
    return true;
  }
  return record.ownerId === null || record.ownerId === user.id || record.createdById === user.id;
}

/** Throws 403 unless the user may edit or delete the record. Why: one rule for every CRM entity. */
export function assertCanModify(user: SessionUser, record: RecordOwnership, what: string): void {
  if (!canModify(user, record)) {
    throw new AppError('SB_ERR_FORBIDDEN', `agents can only change ${what} that are theirs or unassigned`);
  }
}

/**
 * The owner a record gets from a create/update by this user: agents may only pick themselves or nobody.
 * `requested` undefined means "not given": agents then own what they create.
 */
export function resolveOwner(
  user: SessionUser,
  requested: string | null | undefined,
  field: string,
  current?: string | null,
): string | null | undefined {
  if (requested === undefined) {
    return current === undefined && user.role === 'agent' ? user.id : undefined;
  }
  if (user.role === 'agent' && requested !== null && requested !== user.id && requested !== current) {
    throw new AppError('SB_ERR_FORBIDDEN', `agents can only assign ${field} to themselves or nobody`, [
      { path: field, message: 'must be yourself or null' },
    ]);
  }
  return requested;
}
