/**
 * `npm run bench -w @switchboard/server`: the NOTIFY_START decision round trip (issue 12 targets) on SQLite, then
 * on PostgreSQL (targets ≤ 5 ms / ≤ 10 ms; BENCH_SKIP_PG=1 skips it), with
 * 1,000,000 contacts, 100,000 blacklist entries, every NOTIFY_START switch on (routing chain, caller name,
 * blacklist) and each call's NOTIFY_INTERNAL and NOTIFY_END ingested meanwhile, at 200 calls a second. Printed:
 * p99 server-side (request received → reply flushed, timed on the server's own `request` event) and at the
 * client (the load generator's round trip, another process) beside the targets (≤ 2 ms / ≤ 5 ms), and the
 * same load against a bare `node:http` server answering `{}` in the same run. Not a unit test.
 * Env: BENCH_CONTACTS (1000000), BENCH_BLACKLIST (100000), BENCH_RATE (200 calls/s), BENCH_SECONDS (10),
 * BENCH_PG_URL (default the local test database), BENCH_SKIP_PG=1, BENCH_ONLY_PG=1.
 */
import { fork } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import pg from 'pg';
import { BENCH_DATA_VERSION, benchPhone, ensurePostgresBenchDb, ensureSqliteBenchDb } from './bench-data.js';
import { type BenchServer, startBenchServer } from './bench-server.js';
import type { StartLoadRequest, StartLoadResult } from './notify-start-load.js';
import { ms, printTable, type Row, summarize } from './stats.js';

const COUNT = Number(process.env.BENCH_CONTACTS ?? 1_000_000);
const BLACKLIST = Number(process.env.BENCH_BLACKLIST ?? 100_000);
const RATE = Number(process.env.BENCH_RATE ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const SECRET = 'bench-secret-0123456789abcdef';
const PG_URL =
  process.env.BENCH_PG_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SERVER_DIR = new URL('..', import.meta.url).pathname;
const CACHE = join(
  SERVER_DIR,
  '.bench-data',
  `contacts-${COUNT}-v${BENCH_DATA_VERSION}`,
  'switchboard.sqlite',
);
const BENCH_USERS = ['00000000-bench-7000-8000-u00000000001', '00000000-bench-7000-8000-u00000000002'];
const log = (s: string) => console.log(s);

function load(url: string, runTag: string, callers: string[]): Promise<StartLoadResult> {
  const execArgv = process.execArgv.filter((a) => !a.startsWith('--cpu-prof'));
  const child = fork(fileURLToPath(new URL('./notify-start-load.ts', import.meta.url)), [], {
    execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    let result: StartLoadResult | null = null;
    child.once('message', (m) => {
      result = m as StartLoadResult;
    });
    child.once('error', reject);
    child.once('exit', (code) =>
      result ? resolve(result) : reject(new Error(`load generator exited with ${code} and no result`)),
    );
    const request: StartLoadRequest = { url, seconds: SECONDS, rate: RATE, secret: SECRET, runTag, callers };
    child.send(request);
  });
}

/** 80% known callers spread over the million, 10% blacklisted numbers, 5% a blacklisted prefix, 5% strangers. */
function callers(blacklisted: string[]): string[] {
  const list: string[] = [];
  for (let k = 0; k < 4000; k++) {
    const slot = k % 20;
    if (slot < 16) {
      list.push(benchPhone((k * 2_654_435_761) % COUNT).e164.slice(1));
    } else if (slot < 18) {
      list.push((blacklisted[(k * 7919) % blacklisted.length] as string).slice(1));
    } else if (slot === 18) {
      list.push(`7495${String(1_000_000 + k).slice(-7)}`);
    } else {
      list.push(`3365${String(1_000_000 + k).slice(-7)}`);
    }
  }
  return list;
}

type Dialect = 'sqlite' | 'postgres';

/** The targets of issue 12 per dialect: p99 server-side / at the client, ms. */
const TARGETS: Record<Dialect, { server: number; client: number }> = {
  sqlite: { server: 2, client: 5 },
  postgres: { server: 5, client: 10 },
};

/** A bench server on the prepared million contacts of `dialect`, 100,000 blocked numbers, two agents. */
async function openServer(
  dialect: Dialect,
): Promise<{ server: BenchServer; blacklisted: string[]; done: () => void }> {
  const settings = {
    features: { routeToResponsible: true, callerName: true, blacklist: true },
    callerNameFormat: {
      template: '{vip} {company} — {contact}',
      unknownLabel: 'New client',
      missedLabel: 'Missed you {missed}x today',
      vipAmount: 5000,
    },
  };
  const now = new Date().toISOString();
  const blacklisted = Array.from({ length: BLACKLIST }, (_, k) => `+3362${String(k).padStart(7, '0')}`);
  if (dialect === 'postgres') {
    const schema = `bench_contacts_${COUNT}_v${BENCH_DATA_VERSION}`;
    await ensurePostgresBenchDb(PG_URL, schema, COUNT);
    // The schema is kept between runs; a previous run's settings were sealed with its own throwaway key.
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    await client.query(`delete from ${schema}.settings where key like 'telephony.%'`);
    await client.end();
    const server = await startBenchServer({
      prefix: 'notify-start-pg',
      secret: SECRET,
      postgres: { url: PG_URL, schema },
      settings,
    });
    const db = server.database.db;
    await sql`insert into extension_assignments (extension, user_id, created_at)
      values ('101', ${BENCH_USERS[0]}, ${now}), ('102', ${BENCH_USERS[1]}, ${now}) on conflict do nothing`.execute(
      db,
    );
    await sql`insert into blacklist (id, e164, reason, created_by, created_at, is_prefix)
      select 'bl-' || k, '+3362' || lpad(k::text, 7, '0'), 'bench', null, ${now}, 0
      from generate_series(0, ${BLACKLIST - 1}::int) as k on conflict do nothing`.execute(db);
    await sql`insert into blacklist (id, e164, reason, created_by, created_at, is_prefix)
      values ('bl-prefix-7495', '+7495', 'bench prefix', null, ${now}, 1) on conflict do nothing`.execute(db);
    await sql`analyze`.execute(db);
    server.runtime.invalidate();
    return { server, blacklisted, done: () => {} };
  }
  await ensureSqliteBenchDb(CACHE, COUNT, log);
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-notify-start-bench-'));
  const file = join(dir, 'bench.sqlite');
  copyFileSync(CACHE, file);
  const server = await startBenchServer({ prefix: 'notify-start', secret: SECRET, file, settings });
  const sqlite = server.database.sqlite;
  if (!sqlite) {
    throw new Error('expected SQLite');
  }
  // The bench's two agents take extensions 101 and 102; 100,000 numbers (and a prefix) are blocked.
  const assign = sqlite.prepare(
    'insert or ignore into extension_assignments (extension, user_id, created_at) values (?, ?, ?)',
  );
  assign.run('101', BENCH_USERS[0], now);
  assign.run('102', BENCH_USERS[1], now);
  const insert = sqlite.prepare(
    'insert or ignore into blacklist (id, e164, reason, created_by, created_at, is_prefix) values (?, ?, ?, null, ?, ?)',
  );
  sqlite.transaction(() => {
    for (const [k, e164] of blacklisted.entries()) {
      insert.run(`bl-${k}`, e164, 'bench', now, 0);
    }
    insert.run('bl-prefix-7495', '+7495', 'bench prefix', now, 1);
  })();
  server.runtime.invalidate();
  return { server, blacklisted, done: () => rmSync(dir, { recursive: true, force: true }) };
}

async function measure(dialect: Dialect): Promise<Row[]> {
  log(
    `\nNOTIFY_START decision at ${RATE} calls/s for ${SECONDS} s, ${COUNT.toLocaleString('en')} contacts, ${BLACKLIST.toLocaleString('en')} blacklist entries (${dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL'})`,
  );
  const { server, blacklisted, done } = await openServer(dialect);
  const target = TARGETS[dialect];
  const name = dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL';
  try {
    // Server-side: from the `request` event (before any handler) to the reply flushed, for NOTIFY_START only.
    const serverSide: number[] = [];
    server.app.server.prependListener('request', (req: IncomingMessage, res) => {
      if (req.headers['x-bench-kind'] === 'start') {
        const t0 = performance.now();
        res.once('finish', () => serverSide.push(performance.now() - t0));
      }
    });
    const list = callers(blacklisted);

    // Baseline: the same load against a bare node:http server answering `{}`.
    const bare = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
    });
    await new Promise<void>((r) => bare.listen(0, '127.0.0.1', r));
    const bareResult = await load(
      `http://127.0.0.1:${(bare.address() as AddressInfo).port}/zadarma`,
      `bare${dialect}`,
      list,
    );
    await new Promise((r) => bare.close(r));

    const result = await load(`${server.base}/zadarma`, `start${dialect}${Date.now().toString(36)}`, list);
    const client = summarize(result.latencies);
    const serverSummary = summarize(serverSide);
    const bareClient = summarize(bareResult.latencies);
    log(
      `  replies: ${JSON.stringify(result.replies)}; other events ingested: ${result.otherEvents}; errors: ${result.errors}`,
    );
    return [
      {
        what: `${name}: NOTIFY_START p50 / p99, server-side`,
        measured: `${ms(serverSummary.p50)} / ${ms(serverSummary.p99)}`,
        target: `p99 ≤ ${target.server} ms`,
        pass: serverSummary.p99 <= target.server,
      },
      {
        what: `${name}: NOTIFY_START p50 / p99, at the client`,
        measured: `${ms(client.p50)} / ${ms(client.p99)}`,
        target: `p99 ≤ ${target.client} ms`,
        pass: client.p99 <= target.client,
      },
      {
        what: `${name}: baseline, bare node:http {} at the client`,
        measured: `${ms(bareClient.p50)} / ${ms(bareClient.p99)}`,
        target: '(same load, same run)',
        pass: null,
      },
      {
        what: `${name}: decisions that were not {} (of known/blocked callers)`,
        measured: `${(result.replies.routed ?? 0) + (result.replies.refused ?? 0)} of ${Math.round(client.n * 0.95)}`,
        target: 'all',
        pass:
          (result.replies.routed ?? 0) + (result.replies.refused ?? 0) >= Math.round(client.n * 0.95) &&
          result.errors === 0,
      },
    ];
  } finally {
    await server.close();
    done();
  }
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  if (process.env.BENCH_ONLY_PG !== '1') {
    rows.push(...(await measure('sqlite')));
  }
  if (process.env.BENCH_SKIP_PG !== '1') {
    rows.push(...(await measure('postgres')));
  }
  printTable(rows);
  process.exitCode = rows.some((r) => r.pass === false) ? 1 : 0;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
