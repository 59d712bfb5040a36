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
 * whose name contains it), BENCH_CACHE_SUFFIX (a copy of the caches: `-stats` reads `calls-<count>-v<version>-stats`
 * and schema `bench_calls_<count>_v<version>_stats`).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { deriveMissedRollups } from '../src/modules/telephony/adapters/call-read-model-rebuild.js';
import { createKyselyCallLog } from '../src/modules/telephony/adapters/kysely-call-log.js';
import { createKyselyCallStatistics } from '../src/modules/telephony/adapters/kysely-call-statistics.js';
import type { CallLogQuery, StatisticsRange } from '../src/modules/telephony/ports.js';
import { listCallLog } from '../src/modules/telephony/use-cases/list-call-log.js';
import { readCallStatistics } from '../src/modules/telephony/use-cases/read-call-statistics.js';
import { type Actor, systemActor, userActor } from '../src/platform/auth/actor.js';
import { type DatabaseHandle, openDatabase } from '../src/platform/db/database.js';
import { migrateToLatest } from '../src/platform/db/migrate.js';
import {
  AGENTS,
  benchCall,
  buildPostgres,
  buildSqlite,
  CACHE_SUFFIX,
  CLIENTS,
  COUNT,
  END,
  fillRollups,
  HOUR,
  LINKED_CLIENTS,
  log,
  PG_COUNT,
  PG_URL,
  RUNS,
  rows,
  SERVER_DIR,
  userOf,
  VERSION,
  YEAR,
} from './call-log-data.js';
import { ms, printTable, summarize } from './stats.js';

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
  /** Measured for comparison with another line, not against the target. */
  baseline?: true;
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
      query: (k) => ({ ...base, outcome: 'missed', ...said(k, true) }),
    },
    {
      // What the line above read before the transcripts gave their calls' start bounds: all 1,000 calls (other
      // ids: the line above left its pages in the cache).
      name: 'said: the same without the start bounds (reads all 1,000)',
      baseline: true,
      query: (k) => ({ ...base, outcome: 'missed', ...said(k + 1000, false) }),
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
      name: 'a heatmap cell over a year + missed',
      heatmap: true,
      query: () => ({
        ...base,
        outcome: 'missed',
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

/**
 * 1,000 calls spread over the year, as a transcript search names them (run `k`: another 1,000), with their start
 * times as the transcripts keep them (`callStartBounds`) when `bounded`.
 */
function said(k: number, bounded: boolean): Pick<CallLogQuery, 'callIds' | 'callStartBounds'> {
  const calls = Array.from({ length: 1000 }, (_, j) => benchCall((k * 7919 + j * 9973) % COUNT, COUNT));
  return {
    callIds: calls.map((c) => c.id),
    ...(bounded ? { callStartBounds: new Map(calls.map((c) => [c.id, c.startedAt])) } : {}),
  };
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
  const noTranscripts = { callsSaying: async () => [] };
  // BENCH_ONLY=statistics: the statistics alone (the log's filters take minutes at 10 M).
  // BENCH_LOG_MATCH=<text>: only the log's lines whose name contains it (e.g. `fate`).
  const match = process.env.BENCH_LOG_MATCH;
  for (const { name, query, reader, heatmap, baseline } of process.env.BENCH_ONLY === 'statistics'
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
      target: baseline ? 'baseline' : `≤ ${target === 200 ? 200 : 50} ms`,
      pass: baseline ? null : s.p95 <= (target === 200 ? 200 : 50),
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
    const dir = join(SERVER_DIR, '.bench-data', `calls-${COUNT}-v${VERSION}${CACHE_SUFFIX}`);
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
    const schema = `bench_calls_${PG_COUNT}_v${VERSION}${CACHE_SUFFIX.replaceAll('-', '_')}`;
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
