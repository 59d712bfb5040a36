/**
 * A second, independent connection to a test database (the same SQLite file, the same PostgreSQL schema).
 * Why: multi-instance tests (issue 9) need two "instances" that share nothing but the database.
 */
import { sql } from 'kysely';
import { type DatabaseHandle, openDatabase } from '../../../platform/db/database.js';
import { TEST_DATABASE_URL, type TestDatabase } from '../../../test-support/test-database.js';

/** Opens another handle on `database`; close it before `database.cleanup()`. */
export async function openSecondHandle(database: TestDatabase): Promise<DatabaseHandle> {
  if (database.sqlite) {
    return openDatabase({ dialect: 'sqlite', file: database.sqlite.name });
  }
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(database.db);
  const schema = rows[0]?.schema;
  if (!schema) {
    throw new Error('openSecondHandle: no current schema');
  }
  return openDatabase({ dialect: 'postgres', url: TEST_DATABASE_URL, schema, poolSize: 5 });
}
