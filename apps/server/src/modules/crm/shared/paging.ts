/**
 * Counting and paging for paged lists. With a search, the filtered query is already bounded (see planSearch), so
 * the count stays cheap at a million rows.
 */
import { type SelectQueryBuilder, sql } from 'kysely';
import type { Page } from './list-query.js';

/** Counts the rows of a filtered query. */
export async function countRows<DB, TB extends keyof DB>(
  base: SelectQueryBuilder<DB, TB, object>,
): Promise<number> {
  const row = await base.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
  return Number((row as { n: number }).n);
}

/** How `pageOfIds` pages: the page asked for, whether a search bounds the query, how to count and load. */
export interface PageOfIdsOptions<T> {
  page: number;
  pageSize: number;
  /** True when a search plan bounds the query (see searchCondition). */
  searched: boolean;
  /** Counts every row of the unsearched filters (only called without a search). */
  count: () => Promise<number>;
  /** Loads the records of these ids, in this order. */
  load: (ids: readonly string[]) => Promise<T[]>;
}

/**
 * A page of records from a filtered query that selects their ids in list order.
 * Why: every searchable CRM list pages, counts and loads the same way.
 */
export async function pageOfIds<DB, TB extends keyof DB, T>(
  ordered: SelectQueryBuilder<DB, TB, { id: string }>,
  options: PageOfIdsOptions<T>,
): Promise<Page<T>> {
  const { page, pageSize } = options;
  const offset = (page - 1) * pageSize;
  if (options.searched) {
    // A search is a bounded set (see searchCondition): sort it once, page and count it in memory.
    const ids = (await ordered.execute()).map((r) => r.id);
    const items = await options.load(ids.slice(offset, offset + pageSize));
    return { items, total: ids.length, page, pageSize };
  }
  const [rows, total] = await Promise.all([
    ordered.limit(pageSize).offset(offset).execute(),
    options.count(),
  ]);
  return { items: await options.load(rows.map((r) => r.id)), total, page, pageSize };
}
