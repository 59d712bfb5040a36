/**
 * One Kysely instance over SQLite (better-sqlite3, the embedded default) or PostgreSQL (`DATABASE_URL`).
 * Both dialects return the same JS shapes: times as ISO-8601 UTC strings, counts and int8 as numbers,
 * booleans as 0/1 integers (SQLite cannot bind JS booleans), so repositories are written once.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';

export type Dialect = 'sqlite' | 'postgres';

export type DatabaseTarget =
  | { readonly dialect: 'sqlite'; readonly file: string }
  | {
      readonly dialect: 'postgres';
      readonly url: string;
      readonly schema?: string;
      readonly poolSize?: number;
    };

export interface DatabaseHandle {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  /** The raw SQLite connection (only on SQLite), for pragmas and checkpoints. */
  readonly sqlite: SQLite.Database | null;
  close(): Promise<void>;
}

const PG_INT8 = 20;
const PG_NUMERIC = 1700;
const PG_TIMESTAMPTZ = 1184;
const PG_TIMESTAMP = 1114;

function pgTypeParser(oid: number, format?: string): (value: string) => unknown {
  if (oid === PG_INT8 || oid === PG_NUMERIC) {
    return Number;
  }
  if (oid === PG_TIMESTAMPTZ || oid === PG_TIMESTAMP) {
    return (value) => new Date(oid === PG_TIMESTAMP ? `${value}Z` : value).toISOString();
  }
  return pg.types.getTypeParser(oid, format as 'text');
}

/** Opens the database; SQLite files and their folder are created on first start. */
export function openDatabase(target: DatabaseTarget): DatabaseHandle {
  if (target.dialect === 'sqlite') {
    if (target.file !== ':memory:') {
      mkdirSync(dirname(target.file), { recursive: true });
    }
    const sqlite = new SQLite(target.file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
    return { db, dialect: 'sqlite', sqlite, close: () => db.destroy() };
  }
  const pool = new pg.Pool({
    connectionString: target.url,
    max: target.poolSize ?? 10,
    types: { getTypeParser: pgTypeParser as typeof pg.types.getTypeParser },
    ...(target.schema ? { options: `-c search_path=${target.schema}` } : {}),
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', sqlite: null, close: () => db.destroy() };
}
