/**
 * The Kysely unit of work's commit policy on PostgreSQL: a unit asked to commit without its WAL flush runs with
 * `synchronous_commit = off` for its own transaction only — every other transaction on the same connections (the
 * acknowledged writes among them) still waits for its flush. And the database handle asks for it only on
 * PostgreSQL, unless its target turns it off.
 */
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../platform/db/database.js';
import type { Database } from '../../../platform/db/schema.js';
import type { EventBus } from '../../../platform/events/event-bus.js';
import { createInProcessEventBus } from '../../../platform/events/in-process-event-bus.js';
import {
  openTestDatabase,
  TEST_DATABASE_URL,
  type TestDatabase,
} from '../../../test-support/test-database.js';
import { createKyselyUnitOfWork } from './kysely-unit-of-work.js';

/** The pool size `openTestDatabase` gives PostgreSQL (test-database.ts). */
const TEST_POOL_SIZE = 5;

const synchronousCommit = async (db: Kysely<Database>) =>
  (await sql<{ synchronous_commit: string }>`show synchronous_commit`.execute(db)).rows[0]
    ?.synchronous_commit;

describe('Kysely unit of work on PostgreSQL: commits without flush', () => {
  let database: TestDatabase;
  let bus: EventBus;
  beforeAll(async () => {
    database = await openTestDatabase('postgres');
    bus = createInProcessEventBus({ db: database.db, sqlite: null });
  });
  afterAll(async () => {
    await bus?.close();
    await database?.cleanup();
  });

  const unitOf = (commitWithoutFlush: boolean) =>
    createKyselyUnitOfWork<{ trx: Kysely<Database> }>({
      db: database.db,
      bus,
      bind: (trx) => ({ trx }),
      commitWithoutFlush,
    });

  it('runs the unit with synchronous_commit off, and only that transaction', async () => {
    const inside = await unitOf(true).run(({ trx }) => synchronousCommit(trx));
    expect(inside).toBe('off');
    // Every connection of the pool at once (each transaction holds its own until all have read): none kept it.
    let release: () => void = () => {};
    const allIn = new Promise<void>((r) => {
      release = r;
    });
    let started = 0;
    const settings = await Promise.all(
      Array.from({ length: TEST_POOL_SIZE }, () =>
        database.db.transaction().execute(async (trx) => {
          const value = await synchronousCommit(trx);
          started += 1;
          if (started === TEST_POOL_SIZE) {
            release();
          }
          await allIn;
          return value;
        }),
      ),
    );
    expect(settings).toEqual(Array(TEST_POOL_SIZE).fill('on'));
  });

  it('leaves the flush alone when not asked', async () => {
    expect(await unitOf(false).run(({ trx }) => synchronousCommit(trx))).toBe('on');
  });

  it('keeps a unit committed without flush, visible at once to other connections', async () => {
    await sql`create table unflushed_probe (id int primary key)`.execute(database.db);
    await unitOf(true).run(({ trx }) => sql`insert into unflushed_probe values (1)`.execute(trx));
    const rows = await sql<{ id: number }>`select id from unflushed_probe`.execute(
      database.replyDb ?? database.db,
    );
    expect(rows.rows).toEqual([{ id: 1 }]);
  });
});

describe('DatabaseHandle.derivedCommitsUnflushed', () => {
  it('is on for PostgreSQL by default and off when the target says so', async () => {
    const on = openDatabase({ dialect: 'postgres', url: TEST_DATABASE_URL });
    const off = openDatabase({ dialect: 'postgres', url: TEST_DATABASE_URL, unflushedDerivedCommits: false });
    try {
      expect(on.derivedCommitsUnflushed).toBe(true);
      expect(off.derivedCommitsUnflushed).toBe(false);
    } finally {
      await Promise.all([on.close(), off.close()]);
    }
  });

  it('is never on for SQLite, whose synchronous=NORMAL commits without a flush already', async () => {
    const sqlite = await openTestDatabase('sqlite');
    try {
      expect(sqlite.derivedCommitsUnflushed ?? false).toBe(false);
    } finally {
      await sqlite.cleanup();
    }
  });
});
