/**
 * Counting for paged lists. With a search, the filtered query is already bounded (see planSearch), so the
 * count stays cheap at a million rows.
 */
import { type SelectQueryBuilder, sql } from 'kysely';

/** Counts the rows of a filtered query. */
export async function countRows<DB, TB extends keyof DB>(
  base: SelectQueryBuilder<DB, TB, object>,
): Promise<number> {
  const row = await base.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
  return Number((row as { n: number }).n);
}
