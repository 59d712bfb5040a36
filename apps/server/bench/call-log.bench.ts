/**
 * `npm run bench -w @switchboard/server`: the call log's first page and the statistics at 10,000,000 calls, on
 * SQLite and PostgreSQL, beside their targets (SQLite: log 50 ms, statistics 100 ms; PostgreSQL 200 ms) and
 * baselines measured in the same run: a plain indexed point lookup, and the naive GROUP BY over the calls the
 * rollups replace. Not a unit test.
 * The calls are bulk-built (not through webhooks): a year of calls, 20 agents, a million clients, the derived
 * columns and rollups the fold would have written; cached between runs (SQLite: apps/server/.bench-data/,
 * PostgreSQL: schema `bench_calls_<count>_v<version>`).
 * Env: BENCH_CALLS (default 10000000), BENCH_CALLS_PG (default BENCH_CALLS), BENCH_SKIP_PG=1, BENCH_SKIP_SQLITE=1,
 * BENCH_RUNS (30), BENCH_ONLY=statistics (skip the call log's filters), BENCH_LOG_MATCH=<text> (only the log's lines
 * whose name contains it).
 */
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { deriveMissedRollups } from '../src/modules/telephony/adapters/call-read-model-rebuild.js';
import { createKyselyCallLog } from '../src/modules/telephony/adapters/kysely-call-log.js';
import { createKyselyCallStatistics } from '../src/modules/telephony/adapters/kysely-call-statistics.js';
import type { CallLogQuery, StatisticsRange } from '../src/modules/telephony/ports.js';
import { listCallLog } from '../src/modules/telephony/use-cases/list-call-log.js';
import { readCallStatistics } from '../src/modules/telephony/use-cases/read-call-statistics.js';
import { type Actor, systemActor, userActor } from '../src/platform/auth/actor.js';
import { type DatabaseHandle, openDatabase } from '../src/platform/db/database.js';
import { migrateToLatest } from '../src/platform/db/migrate.js';
import { ms, printTable, type Row, summarize } from './stats.js';

const COUNT = Number(process.env.BENCH_CALLS ?? 10_000_000);
const PG_COUNT = Number(process.env.BENCH_CALLS_PG ?? COUNT);
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const PG_URL =
  process.env.BENCH_PG_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** Bump when the generated calls change: the caches are found by name. */
const VERSION = 30;
const SERVER_DIR = new URL('..', import.meta.url).pathname;
/** The year of calls ends here (fixed, so the cache stays valid). */
const END = Date.parse('2026-12-01T00:00:00Z');
const YEAR = 365 * 86_400_000;
const AGENTS = 20;
const CLIENTS = 1_000_000;
const HOUR = 3_600_000;
/**
 * Clients below this index are CRM contacts, each with a responsible agent (one in AGENTS): an agent's
 * visibility clause ("my calls and my clients'") then has calls to find beyond the agent's own.
 */
const LINKED_CLIENTS = 50_000;
/** The user of an extension (each agent is a user; the call log's `userId` filter and visibility read it). */
const userOf = (extension: string) => `u${extension}`;
/** The responsible agent's user of a linked client. */
const responsibleOf = (client: number) => userOf(String(101 + (client % AGENTS)));
const rows: Row[] = [];
const log = (s: string) => console.log(s);

/** A deterministic hash of (i, salt) in [0, 1). */
function h(i: number, salt: number): number {
  let x = Math.imul(i ^ Math.imul(salt, 0x9e3779b1), 0x85ebca6b) >>> 0;
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35) >>> 0;
  return ((x ^ (x >>> 16)) >>> 0) / 4294967296;
}

const IN_OUTCOMES: [string, number][] = [
  ['answered', 0.72],
  ['no_answer', 0.82],
  ['cancelled', 0.91],
  ['busy', 0.94],
  ['ivr_hangup', 0.98],
  ['failed', 1],
];
const OUT_OUTCOMES: [string, number][] = [
  ['answered', 0.65],
  ['no_answer', 0.9],
  ['busy', 0.97],
  ['failed', 1],
];
const STATUS: Record<string, string> = {
  answered: 'answered',
  no_answer: 'missed',
  cancelled: 'missed',
  busy: 'busy',
  ivr_hangup: 'missed',
  failed: 'failed',
};

function pickOutcome(table: [string, number][], r: number): string {
  return (table.find(([, upTo]) => r < upTo) ?? table[0])?.[0] as string;
}

/** The client of the i-th call (an index among CLIENTS). */
const clientOf = (i: number) => Math.floor(h(i, 7) * CLIENTS);

/**
 * Each missed call's return as the fold keeps it (missed-call-fates.ts): the first connected call with the same
 * client after it. Calls are generated in start order, so one pass from the newest call back finds it.
 */
function missedReturns(count: number): { at: Float64Array; outbound: Uint8Array } {
  const nextAt = new Float64Array(CLIENTS).fill(Number.NaN);
  const nextOut = new Uint8Array(CLIENTS);
  const at = new Float64Array(count).fill(Number.NaN);
  const outbound = new Uint8Array(count);
  for (let i = count - 1; i >= 0; i--) {
    const c = call(i, count);
    const client = clientOf(i);
    if (c.direction === 'inbound' && MISSED.has(c.outcome)) {
      at[i] = nextAt[client] as number;
      outbound[i] = nextOut[client] as number;
    }
    if (c.outcome === 'answered') {
      nextAt[client] = Date.parse(c.started_at);
      nextOut[client] = c.direction === 'outbound' ? 1 : 0;
    }
  }
  return { at, outbound };
}

const MISSED = new Set(['no_answer', 'cancelled', 'busy', 'ivr_hangup']);

/** The i-th call's columns. */
function call(i: number, count: number) {
  const startedMs = END - YEAR + Math.floor((i / count) * YEAR) + Math.floor(h(i, 1) * 1000);
  const outbound = h(i, 2) < 0.3;
  const outcome = pickOutcome(outbound ? OUT_OUTCOMES : IN_OUTCOMES, h(i, 3));
  const extension = outcome === 'ivr_hangup' ? null : String(101 + Math.floor(h(i, 4) * AGENTS));
  const answered = outcome === 'answered';
  const duration = answered ? 10 + Math.floor(h(i, 5) * 600) : 0;
  const wait = 2 + Math.floor(h(i, 6) * 30);
  const client = `+3361${String(clientOf(i)).padStart(7, '0')}`;
  const startedAt = new Date(startedMs).toISOString();
  const rule = outbound ? 'placed_by' : answered ? 'answered' : extension ? 'missed_first_rung' : 'unrouted';
  return {
    id: `b${String(i).padStart(9, '0')}`,
    pbx_call_id: `${outbound ? 'out' : 'in'}_bench${i}`,
    direction: outbound ? 'outbound' : 'inbound',
    status: outbound && STATUS[outcome] === 'missed' ? 'no_answer' : (STATUS[outcome] as string),
    started_at: startedAt,
    client_number: client.slice(1),
    client_e164: client,
    origin_extension: outbound ? extension : null,
    answered_by: answered && !outbound ? extension : null,
    disposition: outcome,
    duration,
    ended_at: new Date(startedMs + (wait + duration) * 1000).toISOString(),
    is_recorded: answered && h(i, 8) < 0.6 ? 1 : 0,
    outcome,
    agent_extension: extension,
    attribution_rule: rule,
    wait_seconds: wait,
    agent_user_id: extension ? userOf(extension) : null,
    contact_id: clientOf(i) < LINKED_CLIENTS ? `c${clientOf(i)}` : null,
  };
}

const COLUMNS = Object.keys(call(0, 1));

/** The agents' users and the linked clients' contacts the calls refer to (foreign keys). */
function insertUsersAndContacts(run: (text: string, ...values: unknown[]) => unknown): void {
  const at = new Date(END - YEAR).toISOString();
  for (let a = 0; a < AGENTS; a++) {
    const id = userOf(String(101 + a));
    run(
      'insert into users (id, email, name, role, password_hash, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?)',
      id,
      `${id}@bench.invalid`,
      id,
      'agent',
      '-',
      at,
      at,
    );
  }
  for (let c = 0; c < LINKED_CLIENTS; c++) {
    run(
      'insert into contacts (id, display_name, sort_key, responsible_user_id, created_at, updated_at) values (?, ?, ?, ?, ?, ?)',
      `c${c}`,
      `Client ${c}`,
      `client ${c}`,
      responsibleOf(c),
      at,
      at,
    );
  }
}

async function buildSqlite(file: string): Promise<void> {
  const tmp = `${file}.building`;
  rmSync(tmp, { force: true });
  const handle = openDatabase({ dialect: 'sqlite', file: tmp });
  await migrateToLatest(handle.db);
  await handle.close();
  const SQLite = (await import('better-sqlite3')).default;
  const db = new SQLite(tmp);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  // Indexes are built once after the load (as the migrations define them), not row by row.
  const indexes = db
    .prepare(
      "select name, sql from sqlite_master where type = 'index' and tbl_name = 'calls' and sql is not null",
    )
    .all() as { name: string; sql: string }[];
  for (const index of indexes) {
    db.exec(`drop index ${index.name}`);
  }
  db.transaction(() => insertUsersAndContacts((text, ...values) => db.prepare(text).run(...values)))();
  const insert = db.prepare(
    `insert into calls (${COLUMNS.join(', ')}, ringing_extensions, recording_ids, events, version, created_at, updated_at, return_at, return_direction) ` +
      `values (${COLUMNS.map(() => '?').join(', ')}, '[]', '[]', '[]', 1, ?, ?, ?, ?)`,
  );
  const returns = missedReturns(COUNT);
  log("  sqlite: missed calls' returns computed");
  const started = Date.now();
  const batch = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const c = call(i, COUNT);
      const returnMs = returns.at[i] as number;
      const returned = !Number.isNaN(returnMs);
      insert.run(
        ...COLUMNS.map((k) => c[k as keyof typeof c]),
        c.started_at,
        c.started_at,
        returned ? new Date(returnMs).toISOString() : null,
        returned ? (returns.outbound[i] ? 'out' : 'in') : null,
      );
    }
  });
  for (let i = 0; i < COUNT; i += 100_000) {
    batch(i, Math.min(COUNT, i + 100_000));
    if (i % 1_000_000 === 0) {
      log(`  sqlite: ${i.toLocaleString('en')} calls (${Math.round((Date.now() - started) / 1000)} s)`);
    }
  }
  for (const index of indexes) {
    log(`  sqlite: index ${index.name}`);
    db.exec(index.sql);
  }
  db.exec('analyze');
  db.close();
  renameSync(tmp, file);
}

/**
 * The statistics rollups of the bulk-built calls, as the fold would have kept them (one GROUP BY per table),
 * when they are empty. SQLite and PostgreSQL differ only in how an instant becomes an hour.
 */
async function fillRollups(handle: DatabaseHandle): Promise<void> {
  const hourOf =
    handle.dialect === 'sqlite'
      ? "cast(strftime('%s', started_at) as integer) / 3600"
      : 'floor(extract(epoch from started_at) / 3600)::int';
  const count = async (table: string) =>
    Number(
      (await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(handle.db)).rows[0]
        ?.n ?? 0,
    );
  if ((await count('call_rollups')) === 0) {
    log('  rollups: computing the hourly grain from the calls');
    await sql
      .raw(
        `insert into call_rollups (hour, extension, direction, outcome, calls, talk_seconds, wait_seconds)
         select ${hourOf}, coalesce(agent_extension, ''), case direction when 'outbound' then 'out' else 'in' end,
                outcome, count(*), sum(case when outcome = 'answered' then duration else 0 end), sum(wait_seconds)
         from calls where started_at is not null group by 1, 2, 3, 4`,
      )
      .execute(handle.db);
  }
  // The other grains sum the hourly one, as the fold's writes keep them.
  if ((await count('call_rollups_daily')) === 0) {
    await sql`insert into call_rollups_daily (day, extension, direction, outcome, calls, talk_seconds, wait_seconds)
      select hour / 24, extension, direction, outcome, sum(calls), sum(talk_seconds), sum(wait_seconds)
      from call_rollups group by hour / 24, extension, direction, outcome`.execute(handle.db);
  }
  if ((await count('call_rollups_team')) === 0) {
    await sql`insert into call_rollups_team (hour, direction, outcome, calls, talk_seconds, wait_seconds)
      select hour, direction, outcome, sum(calls), sum(talk_seconds), sum(wait_seconds)
      from call_rollups group by hour, direction, outcome`.execute(handle.db);
  }
  if ((await count('call_tallies_team')) === 0) {
    await sql`insert into call_tallies_team (hour, calls, answered, inbound, missed)
      select hour, sum(calls), sum(case when outcome = 'answered' then calls else 0 end),
        sum(case when direction = 'in' then calls else 0 end),
        sum(case when direction = 'in' and outcome in ('no_answer', 'busy', 'cancelled', 'ivr_hangup') then calls else 0 end)
      from call_rollups_team group by hour`.execute(handle.db);
  }
  if ((await count('call_rollups_monthly')) === 0) {
    const month =
      handle.dialect === 'sqlite'
        ? "(cast(strftime('%Y', day * 86400, 'unixepoch') as integer) - 1970) * 12 + cast(strftime('%m', day * 86400, 'unixepoch') as integer) - 1"
        : "(extract(year from date '1970-01-01' + day)::int - 1970) * 12 + extract(month from date '1970-01-01' + day)::int - 1";
    await sql
      .raw(
        `insert into call_rollups_monthly (month, extension, direction, outcome, calls, talk_seconds, wait_seconds)
         select ${month}, extension, direction, outcome, sum(calls), sum(talk_seconds), sum(wait_seconds)
         from call_rollups_daily group by 1, 2, 3, 4`,
      )
      .execute(handle.db);
  }
}

async function buildPostgres(schema: string, count: number): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    const exists = await client.query(
      'select 1 from information_schema.tables where table_schema = $1 and table_name = $2',
      [schema, 'call_rollups'],
    );
    const done = exists.rowCount
      ? await client.query(`select count(*)::int as n from ${schema}.calls`)
      : { rows: [{ n: 0 }] };
    if (done.rows[0]?.n === count) {
      return;
    }
    log(`  postgres: building ${count.toLocaleString('en')} calls in schema ${schema}`);
    await client.query(`drop schema if exists ${schema} cascade`);
    await client.query(`create schema ${schema}`);
    const handle = openDatabase({ dialect: 'postgres', url: PG_URL, schema, poolSize: 2 });
    await migrateToLatest(handle.db);
    await handle.close();
    await client.query(`set search_path to ${schema}`);
    const indexes = await client.query<{ indexname: string; indexdef: string }>(
      "select indexname, indexdef from pg_indexes where schemaname = $1 and tablename = 'calls' and indexname not like '%pkey'",
      [schema],
    );
    for (const index of indexes.rows) {
      await client.query(`alter table calls drop constraint if exists ${index.indexname}`);
      await client.query(`drop index if exists ${index.indexname}`);
    }
    const users = [];
    for (let a = 0; a < AGENTS; a++) {
      users.push(userOf(String(101 + a)));
    }
    const at = new Date(END - YEAR).toISOString();
    await client.query(
      `insert into users (id, email, name, role, password_hash, created_at, updated_at)
       select u, u || '@bench.invalid', u, 'agent', '-', $2, $2 from unnest($1::text[]) as u`,
      [users, at],
    );
    await client.query(
      `insert into contacts (id, display_name, sort_key, responsible_user_id, created_at, updated_at)
       select 'c' || c, 'Client ' || c, 'client ' || c, 'u' || (101 + c % ${AGENTS}), $1, $1
       from generate_series(0, ${LINKED_CLIENTS - 1}) as c`,
      [at],
    );
    // The same distribution as the SQLite build, generated server-side (hashes of i with Postgres' own hash).
    const started = Date.now();
    const step = 1_000_000;
    for (let from = 0; from < count; from += step) {
      const to = Math.min(count, from + step);
      await client.query(
        `insert into calls (id, pbx_call_id, direction, status, started_at, client_number, client_e164, origin_extension,
           answered_by, disposition, duration, ended_at, is_recorded, outcome, agent_extension, attribution_rule,
           wait_seconds, ringing_extensions, recording_ids, events, version, created_at, updated_at,
           agent_user_id, contact_id)
         select 'b' || lpad(i::text, 9, '0'), case when outb then 'out' else 'in' end || '_bench' || i,
           case when outb then 'outbound' else 'inbound' end,
           case outcome when 'answered' then 'answered' when 'busy' then 'busy' when 'failed' then 'failed'
             else case when outb then 'no_answer' else 'missed' end end,
           started, substr(client, 2), client, case when outb then ext end,
           case when outcome = 'answered' and not outb then ext end, outcome,
           case when outcome = 'answered' then dur else 0 end,
           started + make_interval(secs => wait + case when outcome = 'answered' then dur else 0 end),
           case when outcome = 'answered' and r8 < 0.6 then 1 else 0 end, outcome, ext,
           case when outb then 'placed_by' when outcome = 'answered' then 'answered' when ext is null then 'unrouted'
             else 'missed_first_rung' end,
           wait, '[]', '[]', '[]', 1, started, started,
           case when ext is not null then 'u' || ext end, case when cidx < ${LINKED_CLIENTS} then 'c' || cidx end
         from (
           select i, outb, outcome, case when outcome = 'ivr_hangup' then null else (101 + floor(r4 * ${AGENTS}))::int::text end as ext,
             dur, wait, client, r8, cidx,
             to_timestamp(${(END - YEAR) / 1000} + (i::float8 / ${count}) * ${YEAR / 1000}) as started
           from (
             select i, r2 < 0.3 as outb, r4, r8, 10 + floor(r5 * 600)::int as dur, 2 + floor(r6 * 30)::int as wait,
               '+3361' || lpad(floor(r7 * ${CLIENTS})::int::text, 7, '0') as client,
               floor(r7 * ${CLIENTS})::int as cidx,
               case when r2 < 0.3 then
                 case when r3 < 0.65 then 'answered' when r3 < 0.9 then 'no_answer' when r3 < 0.97 then 'busy' else 'failed' end
               else
                 case when r3 < 0.72 then 'answered' when r3 < 0.82 then 'no_answer' when r3 < 0.91 then 'cancelled'
                   when r3 < 0.94 then 'busy' when r3 < 0.98 then 'ivr_hangup' else 'failed' end
               end as outcome
             from (
               select i, ${[2, 3, 4, 5, 6, 7, 8]
                 .map((s) => `((hashint8(i * 31 + ${s}) & 2147483647)::float8 / 2147483648) as r${s}`)
                 .join(', ')}
               from generate_series(${from}, ${to - 1}) as i
             ) r
           ) o
         ) c`,
      );
      log(`  postgres: ${to.toLocaleString('en')} calls (${Math.round((Date.now() - started) / 1000)} s)`);
    }
    for (const index of indexes.rows) {
      log(`  postgres: ${index.indexname}`);
      await client.query(index.indexdef);
    }
    // Each missed call's return as the fold keeps it (the first connected call with the same client after it).
    log("  postgres: missed calls' returns");
    await client.query(`update calls m set return_at = r.started_at, return_direction = r.dir
      from (select k.id, f.started_at, f.dir from calls k cross join lateral (
          select c.started_at, case when c.direction = 'outbound' then 'out' else 'in' end as dir from calls c
          where c.client_e164 = k.client_e164 and c.started_at > k.started_at
            and c.status in ('answered', 'in_progress') and c.client_e164 is not null
          order by c.started_at, (c.direction = 'outbound') desc limit 1) f
        where k.direction <> 'outbound' and k.outcome in ('no_answer', 'busy', 'cancelled', 'ivr_hangup')) r
      where m.id = r.id`);
    // VACUUM as well: it sets the visibility map autovacuum keeps on a live database, without which every
    // index-only scan of the call log's streams reads the table too.
    await client.query('vacuum analyze calls');
    await client.query('analyze');
  } finally {
    await client.end();
  }
}

async function time(n: number, work: (k: number) => Promise<unknown>): Promise<number[]> {
  await work(0);
  const samples: number[] = [];
  for (let k = 0; k < n; k++) {
    const t0 = performance.now();
    await work(k + 1);
    samples.push(performance.now() - t0);
  }
  return samples;
}

const DAY = 86_400_000;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The call-log filter combinations measured, each varied by run (another agent, another week…). */
function logQueries(): {
  name: string;
  query: (k: number) => CallLogQuery;
  /** Who reads (default: the system, which reads every call). */
  reader?: (k: number) => Actor;
  /** Read through the use case as one cell of the statistics' heatmap (`localHour`). */
  heatmap?: true;
}[] {
  const base = { order: 'newest' as const, limit: 51 };
  const week = (k: number) => ({
    from: new Date(END - (7 + k) * DAY).toISOString(),
    to: new Date(END - k * DAY).toISOString(),
  });
  const ext = (k: number) => String(101 + (k % AGENTS));
  return [
    { name: 'no filter', query: () => base },
    { name: 'a week', query: (k) => ({ ...base, ...week(k * 7) }) },
    { name: 'one agent', query: (k) => ({ ...base, extension: ext(k) }) },
    { name: 'outgoing', query: () => ({ ...base, direction: 'out' }) },
    { name: 'outcome failed (rare)', query: () => ({ ...base, outcome: 'failed' }) },
    { name: 'missed', query: () => ({ ...base, outcome: 'missed' }) },
    { name: 'missed and not returned', query: () => ({ ...base, notReturned: true }) },
    { name: 'incoming, recorded', query: () => ({ ...base, direction: 'in', hasRecording: true }) },
    {
      name: 'one client',
      query: (k) => ({ ...base, clientE164: `+3361${String((k * 7919) % CLIENTS).padStart(7, '0')}` }),
    },
    {
      name: 'agent + busy + a month',
      query: (k) => ({
        ...base,
        extension: ext(k),
        outcome: 'busy',
        from: new Date(END - 30 * DAY).toISOString(),
      }),
    },
    { name: 'oldest first in a week', query: (k) => ({ ...base, order: 'oldest', ...week(k * 7) }) },
    // Combinations that match few or no calls: the first page must not scan an index to its end.
    {
      name: 'agent + missed and not returned',
      query: (k) => ({ ...base, extension: ext(k), notReturned: true }),
    },
    {
      name: 'agent + hung up in the voice menu (none)',
      query: (k) => ({ ...base, extension: ext(k), outcome: 'ivr_hangup' }),
    },
    {
      name: 'outgoing + cancelled (none)',
      query: () => ({ ...base, direction: 'out', outcome: 'cancelled' }),
    },
    {
      name: 'outgoing + recorded + a week',
      query: (k) => ({ ...base, direction: 'out', hasRecording: true, ...week(k * 7) }),
    },
    {
      name: 'incoming + failed + a week',
      query: (k) => ({ ...base, direction: 'in', outcome: 'failed', ...week(k * 7) }),
    },
    {
      name: 'missed and not returned + a week',
      query: (k) => ({ ...base, notReturned: true, ...week(k * 7) }),
    },
    {
      name: 'agent + recorded + oldest first',
      query: (k) => ({ ...base, order: 'oldest', extension: ext(k), hasRecording: true }),
    },
    {
      name: 'missed (no recording) + recorded (none)',
      query: () => ({ ...base, outcome: 'missed', hasRecording: true }),
    },
    {
      name: 'client + a week',
      query: (k) => ({
        ...base,
        clientE164: `+3361${String((k * 7919) % CLIENTS).padStart(7, '0')}`,
        ...week(k * 7),
      }),
    },
    { name: 'a user (none linked) + a week', query: (k) => ({ ...base, userId: `u${k}`, ...week(k * 7) }) },
    // Every filter alone, then the hard pairs (rare × narrow), and what an agent sees (their calls and clients').
    { name: 'incoming', query: () => ({ ...base, direction: 'in' }) },
    { name: 'recorded', query: () => ({ ...base, hasRecording: true }) },
    { name: 'not recorded, oldest first', query: () => ({ ...base, order: 'oldest', hasRecording: false }) },
    { name: 'one agent (user)', query: (k) => ({ ...base, userId: userOf(ext(k)) }) },
    { name: 'one contact', query: (k) => ({ ...base, contactId: `c${(k * 7919) % LINKED_CLIENTS}` }) },
    {
      name: 'a period with nothing in it (after the last call)',
      query: (k) => ({
        ...base,
        from: new Date(END + k * DAY).toISOString(),
        to: new Date(END + (k + 7) * DAY).toISOString(),
      }),
    },
    {
      name: 'a period with nothing in it, oldest first (before the first call)',
      query: (k) => ({
        ...base,
        order: 'oldest',
        from: new Date(END - YEAR - (k + 7) * DAY).toISOString(),
        to: new Date(END - YEAR - k * DAY).toISOString(),
      }),
    },
    { name: 'agent + failed (rare)', query: (k) => ({ ...base, extension: ext(k), outcome: 'failed' }) },
    {
      name: 'agent + cancelled, outgoing (none)',
      query: (k) => ({ ...base, extension: ext(k), direction: 'out', outcome: 'cancelled' }),
    },
    {
      name: 'user + failed + recorded (none)',
      query: (k) => ({ ...base, userId: userOf(ext(k)), outcome: 'failed', hasRecording: true }),
    },
    {
      name: 'client + recorded',
      query: (k) => ({
        ...base,
        clientE164: `+3361${String((k * 7919) % CLIENTS).padStart(7, '0')}`,
        hasRecording: true,
      }),
    },
    {
      name: 'said: 1,000 calls named by the transcripts + missed',
      query: (k) => ({
        ...base,
        outcome: 'missed',
        callIds: Array.from(
          { length: 1000 },
          (_, j) => `b${String((k * 7919 + j * 9973) % COUNT).padStart(9, '0')}`,
        ),
      }),
    },
    { name: 'an agent’s view (own calls and clients’)', reader: agent, query: () => base },
    { name: 'an agent’s view + failed', reader: agent, query: () => ({ ...base, outcome: 'failed' }) },
    {
      name: 'an agent’s view + missed and not returned',
      reader: agent,
      query: () => ({ ...base, notReturned: true }),
    },
    {
      name: 'an agent’s view + outgoing + cancelled (none)',
      reader: agent,
      query: () => ({ ...base, direction: 'out', outcome: 'cancelled' }),
    },
    {
      name: 'an agent’s view + a week, oldest first',
      reader: agent,
      query: (k) => ({ ...base, order: 'oldest', ...week(k * 7) }),
    },
    // The statistics' "missed calls classified" figures open their calls (`fate`): rare classes over no period
    // read their streams furthest.
    ...(['returned_within_n', 'returned_within_24h', 'client_called_back', 'not_returned'] as const).map(
      (missedClass) => ({
        name: `fate ${missedClass.replaceAll('_', ' ')} (30 min)`,
        query: () => ({ ...base, fate: { class: missedClass, returnWithinMinutes: 30 } }),
      }),
    ),
    {
      name: 'fate returned within 30 min + a month',
      query: (k: number) => ({
        ...base,
        from: new Date(END - (30 + k) * DAY).toISOString(),
        to: new Date(END - k * DAY).toISOString(),
        fate: { class: 'returned_within_n' as const, returnWithinMinutes: 30 },
      }),
    },
    {
      name: 'an agent’s view + fate not returned',
      reader: agent,
      query: () => ({ ...base, fate: { class: 'not_returned' as const, returnWithinMinutes: 30 } }),
    },
    {
      name: 'a heatmap cell over a year (Mondays 10:00, Paris)',
      heatmap: true,
      query: () => ({ ...base, from: new Date(END - YEAR).toISOString(), to: new Date(END).toISOString() }),
    },
    {
      name: 'a heatmap cell over a year + outgoing + cancelled (none)',
      heatmap: true,
      query: () => ({
        ...base,
        direction: 'out',
        outcome: 'cancelled',
        from: new Date(END - YEAR).toISOString(),
        to: new Date(END).toISOString(),
      }),
    },
    {
      name: 'an agent’s view + a heatmap cell over a year + missed',
      reader: agent,
      heatmap: true,
      query: () => ({
        ...base,
        outcome: 'missed',
        from: new Date(END - YEAR).toISOString(),
        to: new Date(END).toISOString(),
      }),
    },
  ];
}

/** An agent (not an admin): the log adds the visibility clause (their own calls and their clients'). */
const agent = (k: number): Actor =>
  userActor({ id: userOf(String(101 + (k % AGENTS))), role: 'agent', name: 'bench', locale: 'en' });

async function measure(label: string, handle: DatabaseHandle, count: number, target: number): Promise<void> {
  const system = systemActor('bench');
  const callLog = createKyselyCallLog(handle.db);
  const statistics = createKyselyCallStatistics(handle.db);
  // Baseline: a plain indexed point lookup on the same table.
  const point = summarize(
    await time(RUNS, (k) =>
      handle.db
        .selectFrom('calls')
        .selectAll()
        .where('pbx_call_id', '=', `in_bench${(k * 104729) % count}`)
        .execute(),
    ),
  );
  rows.push({
    what: `${label}: baseline, one call by pbx_call_id`,
    measured: `p95 ${ms(point.p95)}`,
    target: 'baseline',
    pass: null,
  });
  const noTranscripts = { callIdsSaying: async () => [] };
  // BENCH_ONLY=statistics: the statistics alone (the log's filters take minutes at 10 M).
  // BENCH_LOG_MATCH=<text>: only the log's lines whose name contains it (e.g. `fate`).
  const match = process.env.BENCH_LOG_MATCH;
  for (const { name, query, reader, heatmap } of process.env.BENCH_ONLY === 'statistics'
    ? []
    : logQueries().filter((q) => match === undefined || q.name.includes(match))) {
    const s = summarize(
      await time(RUNS, (k) => {
        const actor = reader ? reader(k) : system;
        if (!heatmap) {
          return callLog.page(actor, query(k));
        }
        const { limit, ...rest } = query(k);
        return listCallLog({ calls: callLog, transcripts: noTranscripts }, actor, {
          ...rest,
          limit: limit - 1,
          localHour: { weekday: 0, hour: 10, timeZone: 'Europe/Paris' },
        });
      }),
    );
    rows.push({
      what: `${label}: call log first page, ${name}`,
      measured: `p95 ${ms(s.p95)} (p50 ${ms(s.p50)})`,
      target: `≤ ${target === 200 ? 200 : 50} ms`,
      pass: s.p95 <= (target === 200 ? 200 : 50),
    });
  }
  const statsTarget = target === 200 ? 200 : 100;
  const range = (days: number, k: number, extensions: string[] | null = null): StatisticsRange => {
    const to = Math.floor((END - k * DAY) / HOUR);
    return { fromHour: to - days * 24, toHour: to, extensions };
  };
  const portQueries: [string, (k: number) => Promise<unknown>][] = [
    ['per agent, 30 days', (k) => statistics.byAgent(range(30, k))],
    ['per agent, a year', () => statistics.byAgent(range(364, 0))],
    [
      'trend per local day, 30 days and the 30 before',
      (k) => {
        const r = range(60, k);
        return statistics.localTallies(
          null,
          [{ fromHour: r.fromHour, toHour: r.toHour, offsetHours: 1 }],
          'day',
        );
      },
    ],
    [
      'heatmap, 30 days',
      (k) => {
        const r = range(30, k);
        return statistics.localTallies(
          null,
          [{ fromHour: r.fromHour, toHour: r.toHour, offsetHours: 1 }],
          'weekHour',
        );
      },
    ],
    ['missed calls classified, 7 days', (k) => statistics.missedFates(range(7, k))],
    ['missed calls classified, 30 days', (k) => statistics.missedFates(range(30, k))],
    ['missed calls classified, a year', () => statistics.missedFates(range(364, 0))],
    [
      'missed calls classified, one agent 30 days',
      (k) => statistics.missedFates(range(30, k, [String(101 + (k % AGENTS))])),
    ],
  ];
  for (const [name, run] of portQueries) {
    const s = summarize(await time(Math.min(RUNS, 10), run));
    rows.push({
      what: `${label}: statistics ${name}`,
      measured: `p95 ${ms(s.p95)} (p50 ${ms(s.p50)})`,
      target: `≤ ${statsTarget} ms`,
      pass: s.p95 <= statsTarget,
    });
  }
  const ports = { statistics, ownExtension: async () => null };
  for (const days of [7, 30, 365]) {
    const s = summarize(
      await time(Math.min(RUNS, 10), (k) =>
        readCallStatistics(ports, system, {
          from: day(END - (days + k) * DAY),
          to: day(END - (k + 1) * DAY),
          timeZone: 'Europe/Paris',
          returnWithinMinutes: 30,
        }),
      ),
    );
    rows.push({
      what: `${label}: the whole statistics page, ${days} days`,
      measured: `p95 ${ms(s.p95)} (p50 ${ms(s.p50)})`,
      target: `≤ ${statsTarget} ms`,
      pass: s.p95 <= statsTarget,
    });
  }
  // An agent's own page: their extension's figures, trend and heatmap (the extension's hourly rollups).
  const agentPorts = { statistics, ownExtension: async (userId: string) => userId.slice(1) };
  for (const days of [30, 365]) {
    const s = summarize(
      await time(Math.min(RUNS, 10), (k) =>
        readCallStatistics(agentPorts, agent(k), {
          from: day(END - (days + k) * DAY),
          to: day(END - (k + 1) * DAY),
          timeZone: 'Europe/Paris',
          returnWithinMinutes: 30,
        }),
      ),
    );
    rows.push({
      what: `${label}: an agent’s own statistics page, ${days} days`,
      measured: `p95 ${ms(s.p95)} (p50 ${ms(s.p50)})`,
      target: `≤ ${statsTarget} ms`,
      pass: s.p95 <= statsTarget,
    });
  }
  // Baseline: what the rollups replace, a GROUP BY over the calls of 30 days (once: seconds).
  const t0 = performance.now();
  await handle.db
    .selectFrom('calls')
    .select([
      'agent_extension',
      'direction',
      'outcome',
      (eb) => eb.fn.countAll().as('n'),
      (eb) => eb.fn.sum('duration').as('talk'),
    ])
    .where('started_at', '>=', new Date(END - 30 * DAY).toISOString())
    .groupBy(['agent_extension', 'direction', 'outcome'])
    .execute();
  rows.push({
    what: `${label}: baseline, naive GROUP BY over 30 days of calls`,
    measured: ms(performance.now() - t0),
    target: 'baseline',
    pass: null,
  });
}

async function main(): Promise<void> {
  log(
    `call log bench: ${COUNT.toLocaleString('en')} calls on SQLite${process.env.BENCH_SKIP_PG ? '' : `, ${PG_COUNT.toLocaleString('en')} on PostgreSQL`}`,
  );
  // BENCH_SKIP_SQLITE=1: PostgreSQL alone (the SQLite cache and its run take a while).
  if (!process.env.BENCH_SKIP_SQLITE) {
    const dir = join(SERVER_DIR, '.bench-data', `calls-${COUNT}-v${VERSION}`);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'switchboard.sqlite');
    if (!existsSync(file)) {
      const t0 = Date.now();
      await buildSqlite(file);
      log(`  sqlite: built in ${Math.round((Date.now() - t0) / 1000)} s (cached in ${dir})`);
    }
    const sqlite = openDatabase({ dialect: 'sqlite', file });
    // The rollups are derived from the cached calls (a migration added since the cache was built applies here).
    await migrateToLatest(sqlite.db);
    await fillRollups(sqlite);
    log(`  sqlite: missed-call rollups: ${await deriveMissedRollups(sqlite.db)} missed calls summed`);
    try {
      await measure('SQLite', sqlite, COUNT, 50);
    } finally {
      await sqlite.close();
    }
  }
  if (!process.env.BENCH_SKIP_PG) {
    const schema = `bench_calls_${PG_COUNT}_v${VERSION}`;
    const t0 = Date.now();
    await buildPostgres(schema, PG_COUNT);
    log(`  postgres: ready in ${Math.round((Date.now() - t0) / 1000)} s`);
    const handle = openDatabase({ dialect: 'postgres', url: PG_URL, schema, poolSize: 4 });
    await migrateToLatest(handle.db);
    await fillRollups(handle);
    log(`  postgres: missed-call rollups: ${await deriveMissedRollups(handle.db)} missed calls summed`);
    try {
      await measure('PostgreSQL', handle, PG_COUNT, 200);
    } finally {
      await handle.close();
    }
  }
  printTable(rows);
  const failed = rows.filter((r) => r.pass === false).length;
  const passed = rows.filter((r) => r.pass === true).length;
  log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 ? 1 : 0;
}

await main();
