/**
 * Column types that differ between the dialects, for migrations. Times are `timestamptz` on PostgreSQL and
 * ISO-8601 UTC text on SQLite (which sorts correctly as text); both read back as ISO strings (database.ts).
 */
import { type Kysely, sql } from 'kysely';

export type MigrationDialect = 'sqlite' | 'postgres';

/** Which dialect a migration runs on (Kysely's adapter tells). */
export function dialectOf(db: Kysely<unknown>): MigrationDialect {
  return db.getExecutor().adapter.constructor.name.toLowerCase().includes('postgres') ? 'postgres' : 'sqlite';
}

export function timestampType(dialect: MigrationDialect) {
  return dialect === 'postgres' ? sql`timestamptz` : sql`text`;
}
