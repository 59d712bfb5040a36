/**
 * Inserts a `contacts` row at any schema since the contacts table's first migration: only the columns every
 * version has. Why: migration tests run at an older schema, where the CRM's own seeding would write columns that
 * do not exist yet.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../platform/db/schema.js';

export async function insertContactRow(db: Kysely<Database>, id: string, name: string): Promise<void> {
  const at = '2026-03-02T09:30:00.000Z';
  await db
    .insertInto('contacts')
    .values({
      id,
      first_name: name,
      last_name: '',
      display_name: name,
      sort_key: name.toLowerCase(),
      notes: '',
      do_not_call: 0,
      responsible_user_id: null,
      created_at: at,
      updated_at: at,
    })
    .execute();
}
