/**
 * Filter conditions that several CRM lists share, for their Kysely `where` callbacks.
 */
import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';

/**
 * The condition of an owner filter (`responsibleUserId`, `assigneeId`): `none` selects unassigned records, any
 * other value one user's. Why: the list contract gives `none` the same meaning on every list.
 */
export function ownerCondition<DB, TB extends keyof DB>(
  eb: ExpressionBuilder<DB, TB>,
  column: string,
  owner: string,
): Expression<SqlBool> {
  return owner === 'none' ? eb(sql.ref(column), 'is', null) : eb(sql.ref(column), '=', owner);
}
