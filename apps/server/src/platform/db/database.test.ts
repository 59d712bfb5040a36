import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type AddressInfo, connect, createServer as createNetServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  decisionConnectionStatements,
  HOLD_STATEMENT,
  holdDecisionPool,
} from '../../test-support/hold-decision-pool.js';
import { holdWriteLock, type WriteLockHolder } from '../../test-support/hold-write-lock.js';
import { TEST_DATABASE_URL } from '../../test-support/test-database.js';
import { until } from '../../test-support/until.js';
import {
  checkpointStep,
  type DatabaseHandle,
  isDatabaseBusy,
  onSqliteConnection,
  openDatabase,
} from './database.js';

describe('SQLite while another process holds the write lock', () => {
  let dir: string;
  let file: string;
  let handle: DatabaseHandle;
  let holder: WriteLockHolder | null = null;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'switchboard-lock-'));
    file = join(dir, 'db.sqlite');
    handle = openDatabase({ dialect: 'sqlite', file }, { busyDeadlineMs: 20_000 });
    await sql`create table t (x integer)`.execute(handle.db);
    await sql`insert into t (x) values (1)`.execute(handle.db);
  });

  afterEach(async () => {
    await holder?.release();
    holder = null;
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const count = async () =>
    Number((await sql<{ n: number }>`select count(*) as n from t`.execute(handle.db)).rows[0]?.n);

  it('waits for the lock without blocking the event loop: reads and timers run, the write lands after', async () => {
    holder = await holdWriteLock(file);
    const order: string[] = [];
    const write = sql`insert into t (x) values (2)`.execute(handle.db).then(() => order.push('write'));
    const transaction = handle.db
      .transaction()
      .execute(async (trx) => {
        await sql`insert into t (x) values (3)`.execute(trx);
      })
      .then(() => order.push('transaction'));
    const raw = handle.sqlite?.prepare('insert into t (x) values (4)');
    const prepared = onSqliteConnection(handle.db, () => raw?.run()).then(() => order.push('prepared'));
    // The loop turns and the connection serves reads while the three writes wait (SQLite's own busy wait
    // would have frozen this turn for its whole timeout, then failed).
    let turns = 0;
    while (turns < 20) {
      await nextTurn();
      turns += 1;
    }
    order.push(`read ${await count()}`);
    order.push('release');
    await holder.release();
    await Promise.all([write, transaction, prepared]);
    expect(order.slice(0, 2)).toEqual(['read 1', 'release']);
    expect(order.slice(2).sort()).toEqual(['prepared', 'transaction', 'write']);
    expect(await count()).toBe(4);
  });

  it('gives up with SQLITE_BUSY once its deadline has passed, and the connection stays usable', async () => {
    const impatient = openDatabase({ dialect: 'sqlite', file }, { busyDeadlineMs: 30, checkpointMs: 0 });
    try {
      holder = await holdWriteLock(file);
      const failure = await sql`insert into t (x) values (9)`.execute(impatient.db).catch((e: unknown) => e);
      expect(isDatabaseBusy(failure)).toBe(true);
      const inTransaction = await impatient.db
        .transaction()
        .execute(async (trx) => sql`insert into t (x) values (9)`.execute(trx))
        .catch((e: unknown) => e);
      expect(isDatabaseBusy(inTransaction)).toBe(true);
      expect(impatient.sqlite?.inTransaction).toBe(false);
      await holder.release();
      holder = null;
      await sql`insert into t (x) values (5)`.execute(impatient.db);
      expect(await count()).toBe(2);
    } finally {
      await impatient.close();
    }
  });
});

describe('PostgreSQL: the decision pool', () => {
  it("answers the decision's named statement while every reply-pool connection is held by a write", async () => {
    const handle = openDatabase({
      dialect: 'postgres',
      url: TEST_DATABASE_URL,
      replyPoolSize: 1,
      decisionPoolSize: 1,
    });
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    try {
      const { replyDb, replyPrepared } = handle;
      if (!replyDb || !replyPrepared) {
        throw new Error('expected PostgreSQL');
      }
      // The reply pool's one connection, taken as an inbox commit waiting for its flush would take it.
      let acquired: () => void = () => {};
      const holding = new Promise<void>((resolve) => {
        acquired = resolve;
      });
      const holder = replyDb.connection().execute(async () => {
        acquired();
        await released;
      });
      await holding;
      // A deadlock detector, not a timing: on the reply pool the statement would wait for `release` forever.
      const answer = await Promise.race([
        replyPrepared<{ n: number }>('sb_test_decision', 'select $1::int as n', [7]),
        new Promise<'waited'>((resolve) => setTimeout(() => resolve('waited'), 10_000).unref()),
      ]);
      expect(answer).toEqual([{ n: 7 }]);
      release();
      await holder;
    } finally {
      release();
      await handle.close();
    }
  });
});

describe('PostgreSQL: a decision statement abandoned (its signal aborted) before it is sent', () => {
  let handle: DatabaseHandle;
  const run = () => {
    if (!handle.replyPrepared) {
      throw new Error('expected PostgreSQL');
    }
    return handle.replyPrepared;
  };

  beforeEach(() => {
    // One decision connection: what it was sent is what pg_prepared_statements shows on it.
    handle = openDatabase({
      dialect: 'postgres',
      url: TEST_DATABASE_URL,
      poolSize: 1,
      replyPoolSize: 1,
      decisionPoolSize: 1,
    });
  });

  afterEach(async () => {
    await handle.close();
  });

  it('is refused with the signal’s reason, unsent, when the signal was aborted before it asked for a connection', async () => {
    const gaveUp = new Error('gave up');
    const abandoned = new AbortController();
    abandoned.abort(gaveUp);
    await expect(run()('sb_test_never', 'select 1 as n', [], abandoned.signal)).rejects.toBe(gaveUp);
    expect(await run()<{ n: number }>('sb_test_sent', 'select 2 as n', [])).toEqual([{ n: 2 }]);
    expect((await decisionConnectionStatements(handle)).names).toEqual(['sb_test_sent']);
  });

  it('is never sent when its signal is aborted while it waits for a busy connection, which then serves the next', async () => {
    const hold = await holdDecisionPool(handle);
    const gaveUp = new Error('gave up');
    const abandoned = new AbortController();
    const late = run()<{ n: number }>('sb_test_late', 'select 1 as n', [], abandoned.signal);
    late.catch(() => {});
    const patient = new AbortController();
    const next = run()<{ n: number }>('sb_test_next', 'select 2 as n', [], patient.signal);
    abandoned.abort(gaveUp);
    const pid = await hold.release();
    await expect(late).rejects.toBe(gaveUp);
    expect(await next).toEqual([{ n: 2 }]);
    // The same backend all along (a new one would show no statement at all), and the late one never reached it.
    expect(await decisionConnectionStatements(handle)).toEqual({
      pid,
      names: [HOLD_STATEMENT, 'sb_test_next'].sort(),
    });
  });

  it('fails the statement whose connection is cut under it, and the next one runs on a new connection', async () => {
    // The decision pool reaches the server through a relay this test can cut (a TCP reset, as a network drop
    // would): the client then sees a socket error, not the server's own goodbye.
    const server = new URL(TEST_DATABASE_URL);
    const relayed: Socket[] = [];
    const relay = createNetServer((inbound) => {
      relayed.push(inbound);
      const outbound = connect(Number(server.port || 5432), server.hostname);
      inbound.pipe(outbound).pipe(inbound);
      inbound.on('error', () => outbound.destroy());
      outbound.on('error', () => inbound.destroy());
      inbound.on('close', () => outbound.destroy());
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    const viaRelay = new URL(TEST_DATABASE_URL);
    viaRelay.hostname = '127.0.0.1';
    viaRelay.port = String((relay.address() as AddressInfo).port);
    const cut = openDatabase({ dialect: 'postgres', url: viaRelay.href, decisionPoolSize: 1 });
    try {
      const hold = await holdDecisionPool(cut);
      for (const socket of relayed) {
        socket.resetAndDestroy();
      }
      // Had the connection's 'error' event gone unheard, it would have ended the process (this test run).
      await expect(hold.release()).rejects.toThrow();
      const after = await decisionConnectionStatements(cut);
      expect(after.pid).not.toBe(hold.backendPid);
      expect(after.names).toEqual([]);
    } finally {
      await cut.close();
      await new Promise((resolve) => relay.close(resolve));
    }
  });

  it('keeps the connection usable after a statement fails', async () => {
    await expect(
      run()('sb_test_fails', 'select 1 / 0 as n', [], new AbortController().signal),
    ).rejects.toThrow(/division by zero/);
    expect(await run()<{ n: number }>('sb_test_after', 'select 3 as n', [])).toEqual([{ n: 3 }]);
  });
});

describe('the query planner’s statistics on SQLite (PRAGMA optimize)', () => {
  let dir: string;
  let file: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'switchboard-optimize-'));
    file = join(dir, 'db.sqlite');
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  async function fill(handle: DatabaseHandle, rows: number): Promise<void> {
    const insert = handle.sqlite?.prepare('insert into t (k) values (?)');
    await onSqliteConnection(
      handle.db,
      handle.sqlite?.transaction(() => {
        for (let i = 0; i < rows; i++) {
          insert?.run(`k${i % 97}`);
        }
      }) ?? (() => {}),
    );
  }

  /** The row count sqlite_stat1 holds for index t_k, or null before ANALYZE has seen it. */
  async function analysedRows(handle: DatabaseHandle): Promise<number | null> {
    const stat = await sql<{ stat: string }>`select stat from sqlite_stat1 where idx = 't_k'`
      .execute(handle.db)
      .catch(() => ({ rows: [] }));
    const first = stat.rows[0]?.stat.split(' ')[0];
    return first === undefined ? null : Number(first);
  }

  it('are gathered off the event loop for a table never analysed, and refreshed once it has grown tenfold', async () => {
    const handle = openDatabase({ dialect: 'sqlite', file }, { optimizeMs: 50 });
    try {
      await sql`create table t (id integer primary key, k text)`.execute(handle.db);
      await sql`create index t_k on t (k)`.execute(handle.db);
      await fill(handle, 1000);
      await vi.waitFor(async () => expect(await analysedRows(handle)).toBe(1000), {
        timeout: 20_000,
        interval: 50,
      });
      await fill(handle, 30_000);
      await vi.waitFor(async () => expect(await analysedRows(handle)).toBe(31_000), {
        timeout: 20_000,
        interval: 50,
      });
    } finally {
      await handle.close();
    }
  });

  it('are written at close for the tables the connection queried, without a checkpointer thread', async () => {
    const handle = openDatabase({ dialect: 'sqlite', file }, { checkpointMs: 0 });
    await sql`create table t (id integer primary key, k text)`.execute(handle.db);
    await sql`create index t_k on t (k)`.execute(handle.db);
    await fill(handle, 2000);
    await sql`select id from t where k = 'k3'`.execute(handle.db);
    expect(await analysedRows(handle)).toBeNull();
    await handle.close();
    const raw = new SQLite(file, { readonly: true });
    try {
      expect(raw.prepare("select stat from sqlite_stat1 where idx = 't_k'").get()).toEqual({
        stat: '2000 21',
      });
    } finally {
      raw.close();
    }
  });
});

describe('the SQLite write-ahead log under a steady stream of commits', () => {
  let dir: string;
  let file: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'switchboard-wal-'));
    file = join(dir, 'db.sqlite');
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  /** The log's salt (WAL header bytes 16–23): SQLite draws a new one each time the log starts over. */
  const logSalt = () => readFileSync(`${file}-wal`).subarray(16, 24).toString('hex');

  it('starts over at each checkpoint step that finds it long, while another thread keeps committing', async () => {
    const handle = openDatabase({ dialect: 'sqlite', file }, { checkpointMs: 0 });
    await sql`create table t (id integer primary key, v text)`.execute(handle.db);
    await handle.close();
    // The writer: another thread committing one row at a time with only ~0.2 ms between commits, as a server's
    // event loop does under load — never long enough for a PASSIVE pass to find the whole log copied.
    const stop = new Int32Array(new SharedArrayBuffer(4));
    const writer = new Worker(
      `const { workerData } = require('node:worker_threads');
       const Database = require(workerData.driver);
       const db = new Database(workerData.file, { timeout: 5000 });
       db.pragma('journal_mode = WAL');
       db.pragma('synchronous = NORMAL');
       db.pragma('wal_autocheckpoint = 0');
       const insert = db.prepare('insert into t (v) values (?)');
       const pause = new Int32Array(new SharedArrayBuffer(4));
       while (Atomics.load(workerData.stop, 0) === 0) {
         insert.run('x'.repeat(200));
         Atomics.wait(pause, 0, 0, 0.2);
       }
       db.close();`,
      {
        eval: true,
        workerData: { driver: createRequire(import.meta.url).resolve('better-sqlite3'), file, stop },
      },
    );
    const checkpointer = new SQLite(file, { timeout: 50 });
    try {
      await until(
        async () => (existsSync(`${file}-wal`) && logSalt() !== '0'.repeat(16) ? true : null),
        'first commits',
      );
      const salts = new Set<string>([logSalt()]);
      for (let step = 0; step < 200 && salts.size < 4; step++) {
        await sleep(10);
        // 32 frames: a log this long ends the step with a RESTART.
        expect(checkpointStep(checkpointer, 32)).not.toBeNull();
        await sleep(5);
        salts.add(logSalt());
      }
      expect(salts.size).toBeGreaterThanOrEqual(4);
    } finally {
      Atomics.store(stop, 0, 1);
      await new Promise((resolve) => writer.once('exit', resolve));
      checkpointer.close();
    }
  });

  it('gives up its RESTART while another connection reads an old snapshot, and the writers go on after it', () => {
    const writer = new SQLite(file, { timeout: 0 });
    writer.pragma('journal_mode = WAL');
    writer.pragma('wal_autocheckpoint = 0');
    writer.exec('create table t (id integer primary key)');
    const insert = writer.prepare('insert into t default values');
    insert.run();
    const reader = new SQLite(file);
    reader.exec('begin');
    reader.prepare('select count(*) from t').get();
    for (let i = 0; i < 50; i++) {
      insert.run();
    }
    const checkpointer = new SQLite(file, { timeout: 50 });
    // The reader's snapshot keeps the later frames in the log: the PASSIVE pass stops short of them, and the
    // RESTART, after its busy timeout, leaves them.
    const copied = checkpointStep(checkpointer, 1);
    expect(copied).toMatchObject({ busy: 0 });
    expect(copied?.checkpointed).toBeLessThan(copied?.log ?? 0);
    expect(() => insert.run()).not.toThrow();
    reader.exec('commit');
    for (const connection of [checkpointer, reader, writer]) {
      connection.close();
    }
  });
});
