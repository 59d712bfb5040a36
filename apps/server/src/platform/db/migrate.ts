/**
 * Applies every pending migration, in order, at start-up (and in tests). Migrations are TypeScript modules
 * listed in `migrations/index.ts`, written with Kysely's schema builder so the same DDL runs on both dialects.
 */
import {
  type DatabaseIntrospector,
  type Kysely,
  type Migration,
  type MigrationProvider,
  Migrator,
  sql,
} from 'kysely';
import { dialectOf } from './column-types.js';
import { MIGRATIONS } from './migrations/index.js';
import type { Database } from './schema.js';

class StaticMigrationProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return MIGRATIONS;
  }
}

/**
 * Kysely's PostgreSQL introspector lists the tables of every schema and calls `has_schema_privilege(name)` on
 * each, which throws when another connection drops a schema meanwhile (parallel test suites do, constantly).
 * The migrator only asks whether its own two tables exist, so it gets an introspector scoped to our schema.
 */
function scopedToSchema(db: Kysely<Database>, schema: string): Kysely<Database> {
  const introspection: DatabaseIntrospector = {
    async getSchemas() {
      return [{ name: schema }];
    },
    async getTables() {
      const result = await sql<{ name: string; kind: string }>`
        select c.relname as name, c.relkind as kind from pg_catalog.pg_class c
        join pg_catalog.pg_namespace n on n.oid = c.relnamespace
        where n.nspname = ${schema} and c.relkind in ('r', 'p', 'v')`.execute(db);
      return result.rows.map((r) => ({ name: r.name, schema, isView: r.kind === 'v', columns: [] }));
    },
    async getMetadata() {
      return { tables: await this.getTables() };
    },
  };
  return new Proxy(db, {
    get(target, property) {
      if (property === 'introspection') {
        return introspection;
      }
      const value = Reflect.get(target, property, target);
      // Kysely keeps its state in private fields: methods must run on the real instance.
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  return migrateTo(db, null);
}

/**
 * Applies the migrations up to and including `target` (null: all). Why: a migration test builds a database at
 * an older schema, fills it as users did, then migrates it to the latest.
 */
export async function migrateTo(db: Kysely<Database>, target: string | null): Promise<string[]> {
  // Kysely looks for its migration tables in every schema unless told which one: with another schema on the
  // same PostgreSQL database holding them (parallel test schemas, another app), it would skip creating ours.
  const migrationTableSchema =
    dialectOf(db as unknown as Kysely<unknown>) === 'postgres'
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema
      : undefined;
  const migrator = new Migrator({
    db: migrationTableSchema ? scopedToSchema(db, migrationTableSchema) : db,
    provider: new StaticMigrationProvider(),
    ...(migrationTableSchema ? { migrationTableSchema } : {}),
  });
  const { error, results } =
    target === null ? await migrator.migrateToLatest() : await migrator.migrateTo(target);
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
