/**
 * What keeping the planner's statistics costs (platform/db/database.ts, PRAGMA optimize), on a copy of the
 * call-log bench's cached SQLite database with its statistics dropped — a grown database that never ran ANALYZE.
 * Measured beside baselines from the same run: the event loop's delay while the checkpointer thread runs the first
 * `optimize=0x10002`, beside the same handle's delay once it is done; the plain `optimize` the handle runs at
 * close, beside one indexed page of the call log. Not a unit test; the shared cache is only read (copied).
 * Env: BENCH_PLANNER_SOURCE (default apps/server/.bench-data/calls-1000000-v30-stats/switchboard.sqlite, built by
 * `BENCH_CALLS=1000000 call-log.bench.ts`).
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { openDatabase } from '../src/platform/db/database.js';
import { SERVER_DIR } from './call-log-data.js';

const source =
  process.env.BENCH_PLANNER_SOURCE ??
  join(SERVER_DIR, '.bench-data/calls-1000000-v30-stats/switchboard.sqlite');
if (!existsSync(source)) {
  throw new Error(`${source} is missing: build it with BENCH_CALLS=1000000 bench/call-log.bench.ts first`);
}
const dir = mkdtempSync(join(tmpdir(), 'switchboard-planner-'));
const file = join(dir, 'copy.sqlite');
try {
  copyFileSync(source, file);
  const raw = new SQLite(file);
  raw.exec('DELETE FROM sqlite_stat1');
  raw.close();

  // The first optimize comes one period after the thread starts (an hour in production): here 200 ms.
  const handle = openDatabase({ dialect: 'sqlite', file }, { optimizeMs: 200 });
  const statRows = async () =>
    Number(
      (
        await sql<{ n: number }>`select count(*) as n from sqlite_stat1`
          .execute(handle.db)
          .catch(() => ({ rows: [{ n: 0 }] }))
      ).rows[0]?.n,
    );
  const during = monitorEventLoopDelay({ resolution: 5 });
  during.enable();
  const started = performance.now();
  while ((await statRows()) === 0) {
    await sleep(20);
  }
  const analysing = performance.now() - started;
  during.disable();
  await sleep(1000);
  const after = monitorEventLoopDelay({ resolution: 5 });
  after.enable();
  await sleep(analysing);
  after.disable();
  const ms = (ns: number) => (ns / 1e6).toFixed(1);
  console.log(
    `first optimize=0x10002 on the checkpointer thread: statistics after ${analysing.toFixed(0)} ms`,
  );
  console.log(
    `  event loop delay meanwhile: max ${ms(during.max)} ms, p99 ${ms(during.percentile(99))} ms` +
      ` | baseline, same handle after: max ${ms(after.max)} ms, p99 ${ms(after.percentile(99))} ms`,
  );
  const page0 = performance.now();
  await sql`select id from calls order by started_at desc limit 50`.execute(handle.db);
  const page = performance.now() - page0;
  const close0 = performance.now();
  handle.sqlite?.pragma('optimize');
  const close = performance.now() - close0;
  console.log(
    `plain optimize (what close runs): ${close.toFixed(2)} ms | baseline, one 50-row call-log page: ${page.toFixed(2)} ms` +
      ` (ratio ${(close / page).toFixed(2)})`,
  );
  await handle.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
