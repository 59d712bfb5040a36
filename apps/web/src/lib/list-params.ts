// List state (search, filters, sort, page) lives in the URL so a list can be shared, bookmarked and reloaded.

export interface ListParams {
  q: string;
  page: number;
  pageSize: number;
  sort: string;
  filters: Record<string, string>;
}

export const PAGE_SIZES = [10, 25, 50, 100] as const;
const RESERVED = new Set(['q', 'page', 'pageSize', 'sort']);

/** Reads list state from URL search params. Why: the URL is the single source of truth for a list. */
export function readListParams(
  search: URLSearchParams,
  defaults: { sort: string; pageSize?: number },
): ListParams {
  const page = Number.parseInt(search.get('page') ?? '', 10);
  const pageSize = Number.parseInt(search.get('pageSize') ?? '', 10);
  const filters: Record<string, string> = {};
  for (const [key, value] of search) {
    if (!RESERVED.has(key) && value !== '') {
      filters[key] = value;
    }
  }
  return {
    q: search.get('q') ?? '',
    page: Number.isFinite(page) && page > 0 ? page : 1,
    pageSize: (PAGE_SIZES as readonly number[]).includes(pageSize) ? pageSize : (defaults.pageSize ?? 25),
    sort: search.get('sort') || defaults.sort,
    filters,
  };
}

/** Writes list state back to search params, omitting defaults. Why: short, stable URLs. */
export function writeListParams(
  params: ListParams,
  defaults: { sort: string; pageSize?: number },
): URLSearchParams {
  const out = new URLSearchParams();
  if (params.q) {
    out.set('q', params.q);
  }
  for (const [key, value] of Object.entries(params.filters).sort(([a], [b]) => a.localeCompare(b))) {
    if (value !== '') {
      out.set(key, value);
    }
  }
  if (params.sort && params.sort !== defaults.sort) {
    out.set('sort', params.sort);
  }
  if (params.pageSize !== (defaults.pageSize ?? 25)) {
    out.set('pageSize', String(params.pageSize));
  }
  if (params.page > 1) {
    out.set('page', String(params.page));
  }
  return out;
}

/** Next sort after clicking a column: ascending, then descending, then back to ascending. */
export function toggleSort(current: string, field: string): string {
  return current === field ? `-${field}` : field;
}

/** The API query for a list. Why: the same object feeds the list request and the CSV export link. */
export function listQuery(params: ListParams): Record<string, string | number> {
  return { ...params.filters, q: params.q, page: params.page, pageSize: params.pageSize, sort: params.sort };
}
