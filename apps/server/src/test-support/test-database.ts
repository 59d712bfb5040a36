/**
 * Test databases for both dialects. Every repository and integration suite runs on each:
 * `describe.each(TEST_DIALECTS)('… on %s', (dialect) => …)`. PostgreSQL is required, never skipped: a suite
 * fails with a clear message when it cannot connect (TEST_DATABASE_URL, default the local server).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type DatabaseHandle, type Dialect, openDatabase } from '../platform/db/database.js';
import { migrateToLatest } from '../platform/db/migrate.js';

export const TEST_DIALECTS: Dialect[] = ['sqlite', 'postgres'];

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase extends DatabaseHandle {
  /** Closes the connection and removes everything the test created (file or schema). */
  cleanup(): Promise<void>;
}

/** Opens a fresh, migrated, empty database of that dialect. */
export async function openTestDatabase(
  dialect: Dialect,
  options: { migrate?: boolean } = {},
): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-db-'));
    const handle = openDatabase({ dialect: 'sqlite', file: join(dir, 'test.sqlite') });
    if (options.migrate !== false) {
      await migrateToLatest(handle.db);
    }
    return {
      ...handle,
      async cleanup() {
        await handle.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(
      `PostgreSQL is required for the test suites and was not reachable at ${TEST_DATABASE_URL} (set TEST_DATABASE_URL): ${(error as Error).message}`,
    );
  }
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const handle = openDatabase({ dialect: 'postgres', url: TEST_DATABASE_URL, schema, poolSize: 5 });
  if (options.migrate !== false) {
    await migrateToLatest(handle.db);
  }
  return {
    ...handle,
    async cleanup() {
      await handle.close();
      const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await c.end();
    },
  };
}
