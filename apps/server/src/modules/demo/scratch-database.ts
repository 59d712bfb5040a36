/**
 * Runs writes through the use cases into a scratch SQLite database in memory, then copies what they wrote into
 * the target database in bulk, in the caller's transaction.
 *
 * Why: the demo's records go through the CRM's use cases one by one — about 5,700 statements. On SQLite each is
 * a function call and the demo takes ~0.2 s; on PostgreSQL each is a round trip, and the same seed took 1.3 s on
 * an idle machine and over 5 s on a busy one. Written in memory and copied as multi-row inserts, it is a few
 * dozen statements. The rows are the use cases' own, copied verbatim: both dialects read and write the same
 * shapes (ISO-8601 times, numbers, 0/1 booleans).
 */
import type SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { openDatabase } from '../../platform/db/database.js';
import { migrateToLatest } from '../../platform/db/migrate.js';
import type { Database } from '../../platform/db/schema.js';

/** What the use cases read from the target: who acts and owns, the pipeline's stages, the company settings. */
const READ_TABLES = ['users', 'pipelines', 'pipeline_stages', 'settings'] as const;

/** What the CRM's create use cases write, in foreign-key order. */
const WRITTEN_TABLES = [
  'companies',
  'contacts',
  'contact_phones',
  'contact_emails',
  'leads',
  'deals',
  'tasks',
  'notes',
  'activities',
  'search_tokens',
  // The demo's call history (demo-call-history.ts) and the statistics its fold keeps.
  'calls',
  'call_rollups',
  'call_rollups_daily',
  'call_rollups_team',
  // The missed calls' classes the same fold keeps (migration 0017).
  'call_missed_rollups',
  'call_missed_rollups_daily',
  // The monthly grains and the team's hourly tallies (migration 0022).
  'call_rollups_monthly',
  'call_missed_rollups_monthly',
  'call_tallies_team',
  // Each extension's hourly tallies (migration 0031).
  'call_tallies_extension',
] as const;

type Table = keyof Database;

async function insertAll(db: Kysely<Database>, table: Table, rows: readonly object[]): Promise<void> {
  // Chunks keep every statement under SQLite's and PostgreSQL's bound-parameter limits.
  const size = Math.max(1, Math.floor(4000 / Math.max(1, Object.keys(rows[0] ?? {}).length)));
  for (let i = 0; i < rows.length; i += size) {
    await db
      .insertInto(table)
      .values(rows.slice(i, i + size) as never)
      .execute();
  }
}

const readAll = (db: Kysely<Database>, table: Table) =>
  db
    .selectFrom(table as 'users')
    .selectAll()
    .execute() as Promise<object[]>;

/** The row count of every other table of the scratch database. */
async function otherTableCounts(db: Kysely<Database>): Promise<Map<string, number>> {
  const tables = await db.introspection.getTables();
  const counts = new Map<string, number>();
  for (const { name } of tables) {
    if ((WRITTEN_TABLES as readonly string[]).includes(name)) {
      continue;
    }
    const row = await db
      .selectFrom(name as 'users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    counts.set(name, Number(row.n));
  }
  return counts;
}

/**
 * Runs `write` against a scratch in-memory SQLite database holding the target's users, pipelines and settings,
 * then inserts every row it wrote into `db` (a transaction, so the whole seed commits or not at all).
 * Why: bulk inserts instead of one round trip per statement on PostgreSQL (see the file's comment).
 */
export async function writeThroughScratchDatabase(
  db: Kysely<Database>,
  write: (scratch: Kysely<Database>, scratchSqlite: SQLite.Database | null) => Promise<void>,
): Promise<void> {
  const scratch = openDatabase({ dialect: 'sqlite', file: ':memory:' });
  try {
    await migrateToLatest(scratch.db);
    await scratch.db.transaction().execute(async (trx) => {
      // The migrations seed a pipeline and may seed settings: the target's own replace them.
      for (const table of ['pipeline_stages', 'pipelines', 'settings', 'users'] as const) {
        await trx.deleteFrom(table).execute();
      }
      for (const table of READ_TABLES) {
        await insertAll(trx, table, await readAll(db, table));
      }
      const before = await otherTableCounts(trx);
      await write(trx, scratch.sqlite);
      // A use case that starts writing elsewhere (events, jobs…) must not lose those rows here: fail loudly.
      for (const [table, count] of await otherTableCounts(trx)) {
        if (before.get(table) !== count) {
          throw new Error(
            `the demo seed wrote into ${table}: add it to WRITTEN_TABLES in scratch-database.ts`,
          );
        }
      }
    });
    for (const table of WRITTEN_TABLES) {
      await insertAll(db, table, await readAll(scratch.db, table));
    }
  } finally {
    await scratch.close();
  }
}
