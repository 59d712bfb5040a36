/**
 * Counting and paging for paged lists. With a search, the filtered query is already bounded (see planSearch), so
 * the count stays cheap at a million rows.
 */
import { type Kysely, type SelectQueryBuilder, sql } from 'kysely';
import type { SearchEntity } from '../../../platform/db/schema/crm.js';
import type { Database } from '../../../platform/db/schema.js';
import { planSearch, type SearchPlan } from '../search/search-index.js';
import type { Page } from './list-query.js';

/** Counts the rows of a filtered query. */
export async function countRows<DB, TB extends keyof DB>(
  base: SelectQueryBuilder<DB, TB, object>,
): Promise<number> {
  const row = await base.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
  return Number((row as { n: number }).n);
}

/** How `pageOfIds` pages: the page asked for, whether a search bounds the query, how to count and load. */
interface PageOfIdsOptions<T> {
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
async function pageOfIds<DB, TB extends keyof DB, T>(
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

/** What `pageOfRecords` needs of a list: its filtered query, its sort, and how to load its records. */
export interface RecordListOptions<DB, TB extends keyof DB, T> {
  readonly db: Kysely<Database>;
  readonly entity: SearchEntity;
  /** The search's word prefixes (none: no search). */
  readonly prefixes: readonly string[];
  readonly query: {
    readonly page: number;
    readonly pageSize: number;
    readonly sort: { readonly direction: 'asc' | 'desc' };
  };
  /** The list's filters, and the search when `plan` is given (the same query the CSV export reads). */
  readonly filtered: (plan: SearchPlan | null) => SelectQueryBuilder<DB, TB, object>;
  /** The column sorted on (`c.sort_key`…) and the id column that breaks ties (`c.id`). */
  readonly sortColumn: string;
  readonly idColumn: string;
  readonly load: (ids: readonly string[]) => Promise<T[]>;
}

/**
 * A page of a searchable CRM list (contacts, companies, leads, deals): the search planned, the filtered ids
 * sorted (ties by id), paged, counted and loaded. Why: every list pages and searches the same way.
 */
export async function pageOfRecords<DB, TB extends keyof DB, T>(
  options: RecordListOptions<DB, TB, T>,
): Promise<Page<T>> {
  const { query } = options;
  const plan = await planSearch(options.db, options.entity, options.prefixes);
  const ordered = options
    .filtered(plan)
    .select(sql<string>`${sql.ref(options.idColumn)}`.as('id'))
    .orderBy(sql.ref(options.sortColumn), query.sort.direction)
    .orderBy(sql.ref(options.idColumn), query.sort.direction) as SelectQueryBuilder<DB, TB, { id: string }>;
  return pageOfIds(ordered, {
    page: query.page,
    pageSize: query.pageSize,
    searched: plan !== null,
    count: () => countRows(options.filtered(null)),
    load: options.load,
  });
}
