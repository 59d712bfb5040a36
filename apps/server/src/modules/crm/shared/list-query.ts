/**
 * The list conventions of the REST contract: `?q=&page=1&pageSize=25&sort=field|-field` → `{items,total,page,pageSize}`.
 * Shared by every CRM list so paging and sorting behave the same everywhere.
 */
import { z } from 'zod';

const MAX_PAGE_SIZE = 200;

/** Query-string fields every list accepts. */
export const ListQueryShape = {
  q: z.string().trim().max(200).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(25),
  sort: z.string().trim().optional(),
};

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface SortSpec<F extends string> {
  field: F;
  direction: 'asc' | 'desc';
}

/** A zod schema for `sort` accepting `field` or `-field` among the allowed fields. */
export function sortSchema<const F extends string>(
  fields: readonly [F, ...F[]],
  fallback: NoInfer<`${'' | '-'}${F}`>,
) {
  const allowed = new Set<string>(fields);
  return z
    .string()
    .trim()
    .optional()
    .transform((v, ctx): SortSpec<F> => {
      const raw = v && v.length > 0 ? v : fallback;
      const direction = raw.startsWith('-') ? 'desc' : 'asc';
      const field = raw.replace(/^-/, '');
      if (!allowed.has(field)) {
        ctx.addIssue({
          code: 'custom',
          message: `must be one of ${fields.join(', ')} (prefix - for descending)`,
        });
        return z.NEVER;
      }
      return { field: field as F, direction };
    });
}

/** A `0`/`1`/`true`/`false` query flag. */
export const queryBoolean = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1')
  .optional();
