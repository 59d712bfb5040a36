/**
 * The calls `call-log.bench.ts` measures: a year of calls, 20 agents, a million clients, with the derived columns and
 * rollups the fold would have written, bulk-built (not through webhooks) and cached between runs (SQLite:
 * apps/server/.bench-data/, PostgreSQL: schema `bench_calls_<count>_v<version>`). Apart from the measuring so
 * that either can be read alone.
 */
import { renameSync, rmSync } from 'node:fs';
import { sql } from 'kysely';
import pg from 'pg';
import { type DatabaseHandle, openDatabase } from '../src/platform/db/database.js';
import { migrateToLatest } from '../src/platform/db/migrate.js';
import type { Row } from './stats.js';
export const COUNT = Number(process.env.BENCH_CALLS ?? 10_000_000);
export const PG_COUNT = Number(process.env.BENCH_CALLS_PG ?? COUNT);
export const RUNS = Number(process.env.BENCH_RUNS ?? 30);
export const PG_URL =
  process.env.BENCH_PG_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** Bump when the generated calls change: the caches are found by name. */
export const VERSION = 30;
/**
 * BENCH_CACHE_SUFFIX: appended to the cache's directory and schema names, so a branch whose migrations differ from
 * main's measures its own copy (`cp -r calls-10000000-v30 calls-10000000-v30-stats`) and never migrates the shared one.
 */
export const CACHE_SUFFIX = process.env.BENCH_CACHE_SUFFIX ?? '';
export const SERVER_DIR = new URL('..', import.meta.url).pathname;
/** The year of calls ends here (fixed, so the cache stays valid). */
export const END = Date.parse('2026-12-01T00:00:00Z');
export const YEAR = 365 * 86_400_000;
export const AGENTS = 20;
export const CLIENTS = 1_000_000;
export const HOUR = 3_600_000;
/**
 * Clients below this index are CRM contacts, each with a responsible agent (one in AGENTS): an agent's
 * visibility clause ("my calls and my clients'") then has calls to find beyond the agent's own.
 */
export const LINKED_CLIENTS = 50_000;
/** The user of an extension (each agent is a user; the call log's `userId` filter and visibility read it). */
export const userOf = (extension: string) => `u${extension}`;
/** The responsible agent's user of a linked client. */
const responsibleOf = (client: number) => userOf(String(101 + (client % AGENTS)));
export const rows: Row[] = [];
export const log = (s: string) => console.log(s);

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

/** The id and start time of the i-th of `count` calls, as the cache holds them (what a transcript knows of its call). */
export function benchCall(i: number, count: number): { readonly id: string; readonly startedAt: string } {
  const c = call(i, count);
  return { id: c.id, startedAt: c.started_at };
}

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

export async function buildSqlite(file: string): Promise<void> {
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
export async function fillRollups(handle: DatabaseHandle): Promise<void> {
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
  if ((await count('call_tallies_extension')) === 0) {
    await sql`insert into call_tallies_extension (extension, hour, calls, answered, inbound, missed)
      select extension, hour, sum(calls), sum(case when outcome = 'answered' then calls else 0 end),
        sum(case when direction = 'in' then calls else 0 end),
        sum(case when direction = 'in' and outcome in ('no_answer', 'busy', 'cancelled', 'ivr_hangup') then calls else 0 end)
      from call_rollups group by extension, hour`.execute(handle.db);
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

export async function buildPostgres(schema: string, count: number): Promise<void> {
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
