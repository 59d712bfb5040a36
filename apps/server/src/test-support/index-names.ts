/**
 * The names of a table's indexes matching a LIKE pattern, sorted, on either dialect. Why: migration tests check
 * which indexes a migration adds and removes, and SQLite and PostgreSQL list them in different catalogues.
 */
import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../platform/db/database.js';
import type { Database } from '../platform/db/schema.js';

export async function indexNames(
  db: Kysely<Database>,
  dialect: Dialect,
  table: string,
  pattern: string,
): Promise<string[]> {
  const rows =
    dialect === 'sqlite'
      ? await sql<{ name: string }>`select name from sqlite_master
          where type = 'index' and tbl_name = ${table} and name like ${pattern}`.execute(db)
      : await sql<{ name: string }>`select indexname as name from pg_indexes
          where schemaname = current_schema() and tablename = ${table} and indexname like ${pattern}`.execute(
          db,
        );
  return rows.rows.map((r) => r.name).sort();
}
