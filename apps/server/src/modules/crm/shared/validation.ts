/**
 * Validation failures found after schema parsing (unknown company, unknown user…), reported like the
 * schema's own: 400 SB_ERR_VALIDATION with the field's path.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../../platform/db/schema.js';
import { AppError } from '../../../platform/errors/errors.js';

/**
 * Throws 400 naming the field; `reason` (one of `FIELD_REASONS`) lets the web say it in the user's language,
 * `params` fill its blanks.
 */
export function invalidField(
  path: string,
  message: string,
  reason?: FieldReason,
  params?: Readonly<Record<string, string | number>>,
): never {
  throw new AppError('SB_ERR_VALIDATION', `invalid body: ${path}: ${message}`, [
    { path, message, ...(reason ? { reason } : {}), ...(params ? { params } : {}) },
  ]);
}

/** The reasons the CRM's own checks give, beside zod's issue codes; the web has a sentence for each. */
export type FieldReason =
  | 'name_required'
  | 'reference_missing'
  | 'stage_not_in_pipeline'
  | 'phone_invalid'
  | 'owner_self'
  | 'subject_incomplete'
  | 'merge_same'
  | 'contact_required'
  | 'stage_open_required'
  | 'template_field_unknown'
  | 'template_brace_open'
  | 'number_extension'
  | 'number_own'
  | 'prefix_invalid'
  | 'prefix_length'
  | 'prefix_national'
  | 'expiry_past';

type RefTable = 'users' | 'companies' | 'contacts' | 'leads' | 'deals' | 'pipelines' | 'pipeline_stages';

/** Checks that a referenced row exists; null/undefined pass. Why: a clear 400 instead of a foreign-key 500. */
export async function assertReference(
  db: Kysely<Database>,
  table: RefTable,
  id: string | null | undefined,
  path: string,
): Promise<void> {
  if (id === null || id === undefined) {
    return;
  }
  const row = await db.selectFrom(table).select('id').where('id', '=', id).executeTakeFirst();
  if (!row) {
    invalidField(
      path,
      `no ${table === 'pipeline_stages' ? 'stage' : table.replace(/s$/, '').replace(/ie$/, 'y')} with id ${id}`,
      'reference_missing',
    );
  }
}

/** 404 with the entity and id. */
export function notFound(entity: string, id: string): AppError {
  return new AppError('SB_ERR_NOT_FOUND', `no ${entity} with id ${id}`);
}
