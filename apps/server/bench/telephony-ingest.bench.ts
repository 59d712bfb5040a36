/**
 * `npm run bench -w @switchboard/server` (after the CRM benches): telephony ingest on SQLite. Not a unit test.
 * (a) Webhook ingest throughput — signed NOTIFY_INTERNAL / NOTIFY_END bodies over real HTTP with autocannon,
 *     through verify + durable inbox persist + processing + fan-out — as a ratio to a bare `node:http` handler
 *     measured in the same run (target ≥ 1/3), for three workloads side by side, as real traffic mixes them:
 *     known callers (5,000 contacts calling in turn: the lookup hits, the popup reads their card), all new
 *     numbers (every call a number never seen), and new numbers whose calls each open with a NOTIFY_START (the
 *     reply decided; processing then cuts its batches to 3 ms slices, which costs commits). The load generator runs in a child process for both sides
 *     (bench/telephony-load.ts), so the server's event loop carries only the server.
 * (b) Popup latency with 500 connected SSE agents (real HTTP): webhook sent → `call.ringing` frame received by
 *     that agent's stream, p50/p99 (target p99 < 10 ms).
 * (c) The same ingest with the after-call automation on (new callers + missed-call tasks, issue 12) and the job
 *     queue running in the server, beside a run with it off in the same rounds: every NOTIFY_END of the load is a
 *     missed call, so every call queues a follow-up job in the batch's transaction. Target: processed events/s
 *     with the jobs held ≥ 90 % of off (the webhook path only pays the job's insert).
 *     Printed: ingest while the jobs run / ingest without them (target ≥ 0.8), and with the jobs held (≥ 0.9).
 * Env: BENCH_ONLY=after-call (only (c)), BENCH_PROFILE_AFTER_CALL (a file: CPU profile of one "on" run),
 * BENCH_SECONDS (default 5 per throughput run), BENCH_ROUNDS (3 alternating bare/new/known/ringing rounds;
 * the ratios are of the medians), BENCH_AGENTS (500), BENCH_POPUPS (400), BENCH_PROFILE (a file: CPU profile of the
 * measured rounds), BENCH_WORKLOAD (known | new | ringing: measure only that workload; all three by default —
 * `ringing` is new numbers whose every call opens with its NOTIFY_START, so processing slices its batches).
 */
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createSimulator } from '@switchboard/zadarma-sim';
import { createExtensionAssignmentRepository } from '../src/modules/telephony/adapters/kysely-extension-assignment-repository.js';
import { telephonyLiveOf } from '../src/modules/telephony/telephony-module.js';
import { seedCompany, seedContact } from '../src/modules/telephony/test-support/seed-crm.js';
import { createSession } from '../src/platform/auth/session-repository.js';
import { newId } from '../src/platform/ids.js';
import { benchName } from './bench-data.js';
import { type BenchServer, startBenchServer } from './bench-server.js';
import { openSse, postWebhook, seedAgents } from './popup-agents.js';
import { ms, printTable, type Row, summarize } from './stats.js';
import { KNOWN_CALLERS, knownCaller, type LoadRequest, type LoadResult } from './telephony-load.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
const AGENTS = Number(process.env.BENCH_AGENTS ?? 500);
const POPUPS = Number(process.env.BENCH_POPUPS ?? 400);
const CONNECTIONS = 16;
/** BENCH_WORKLOAD=known|new|ringing: only that workload's measured rounds (to profile one); default all three. */
const WORKLOAD = process.env.BENCH_WORKLOAD ?? 'both';
const SECRET = 'bench-secret-0123456789abcdef';
const rows: Row[] = [];
const log = (s: string) => console.log(s);

/** The next run's block of new numbers (telephony-load.ts `newCaller`): every run calls from its own. */
let nextCallerBlock = 0;

/** Runs the load in a separate process (bench/telephony-load.ts) and returns its figures. */
function cannon(url: string, runTag: string, callers: LoadRequest['callers'] = 'new'): Promise<LoadResult> {
  // Same loader flags as this process (tsx), minus profiling flags meant for the server only.
  const execArgv = process.execArgv.filter((a) => !a.startsWith('--cpu-prof'));
  const child = fork(fileURLToPath(new URL('./telephony-load.ts', import.meta.url)), [], {
    execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    let result: LoadResult | null = null;
    child.once('message', (message) => {
      result = message as LoadResult;
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (result) {
        resolve(result);
      } else {
        reject(new Error(`load generator exited with ${code} and no result`));
      }
    });
    const request: LoadRequest = {
      url,
      seconds: SECONDS,
      connections: CONNECTIONS,
      secret: SECRET,
      runTag,
      callers,
      callerBlock: nextCallerBlock++,
    };
    child.send(request);
  });
}

async function bareBaseline(runTag: string): Promise<LoadResult & { cpu: NodeJS.CpuUsage }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      Buffer.concat(chunks);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  try {
    const cpu = process.cpuUsage();
    const result = await cannon(`http://127.0.0.1:${port}/zadarma`, runTag);
    return { ...result, cpu: process.cpuUsage(cpu) };
  } finally {
    await new Promise((r) => server.close(r));
  }
}

import { Agent } from 'node:http';

/**
 * With `BENCH_PROFILE=<file>`, records a V8 CPU profile of the ingest run only (not the baseline nor the
 * popups), to open in Chrome DevTools. Why: `--cpu-prof` mixes in the baseline and start-up.
 */
async function profileIf(file: string | undefined): Promise<() => Promise<void>> {
  if (!file) {
    return async () => {};
  }
  const { Session } = await import('node:inspector/promises');
  const { writeFileSync } = await import('node:fs');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
    log(`CPU profile of the ingest run: ${file}`);
  };
}

const keepAlive = new Agent({ keepAlive: true, maxSockets: 4 });
/** A signed webhook to this bench's server; resolves with the status. */
const post = (base: string, fields: Record<string, string>) => postWebhook(base, fields, SECRET, keepAlive);

/**
 * Bytes and write calls this process has made so far (Linux `/proc/self/io`; null elsewhere). Why: what the
 * commits write per event (WAL frames: one page per dirty page per commit) is a figure the machine's load does
 * not skew, unlike time; more, smaller commits show here first.
 */
function writtenSoFar(): { bytes: number; calls: number } | null {
  try {
    const fields = new Map(
      readFileSync('/proc/self/io', 'utf8')
        .trim()
        .split('\n')
        .map((line) => line.split(': ') as [string, string]),
    );
    return { bytes: Number(fields.get('wchar')), calls: Number(fields.get('syscw')) };
  } catch {
    return null;
  }
}

function writesPer(
  runs: { written: { bytes: number; calls: number } | null; requests: { total: number } }[],
) {
  const total = runs.reduce((sum, r) => sum + r.requests.total, 0);
  if (total === 0 || runs.some((r) => r.written === null)) {
    return 'n/a';
  }
  const sum = (pick: (w: { bytes: number; calls: number }) => number) =>
    runs.reduce((s, r) => s + pick(r.written as { bytes: number; calls: number }), 0);
  return `${(sum((w) => w.bytes) / total / 1024).toFixed(1)} KiB in ${(sum((w) => w.calls) / total).toFixed(1)} writes`;
}

/**
 * Ingest with the after-call switches off and on (each a fresh server with the job queue running), in alternating
 * rounds; the figures go in `rows`.
 */
async function automationRuns(): Promise<void> {
  // The after-call job asks Zadarma for our own numbers (cached): the simulator answers, as Zadarma would.
  const zadarma = await createSimulator({ key: 'bench', secret: SECRET, host: '127.0.0.1' });
  const run = async (on: boolean, runTag: string, jobs: 'run' | 'hold' = 'run', profile?: string) => {
    const server = await startBenchServer({
      prefix: `after-${on ? 'on' : 'off'}`,
      secret: SECRET,
      jobs,
      apiBaseUrl: zadarma.url,
      settings: { features: { autoCreate: on, missedCallTasks: on } },
    });
    try {
      const live = telephonyLiveOf(server.app);
      const stopProfile = await profileIf(profile);
      const cpu = process.cpuUsage();
      const result = await cannon(`${server.base}/zadarma`, runTag);
      await live?.ingest.idle();
      const drained = Date.now();
      const count = async (status: string) =>
        Number(
          (
            await server.database.db
              .selectFrom('jobs')
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .where('status', '=', status as 'done')
              .executeTakeFirstOrThrow()
          ).n,
        );
      const ingestCpu = process.cpuUsage(cpu);
      // Then the backlog the flood left: the jobs alone, their CPU per job (bounded: at most 10 s).
      const doneBefore = await count('done');
      const drainCpu = process.cpuUsage();
      const drainUntil = Date.now() + 10_000;
      // Polled through the index, rarely: a COUNT over the jobs table would be charged to the jobs' CPU.
      const pending = async () =>
        (await server.database.db
          .selectFrom('jobs')
          .select('id')
          .where('status', 'in', ['queued', 'running'])
          .limit(1)
          .executeTakeFirst()) !== undefined;
      while (jobs === 'run' && on && Date.now() < drainUntil && (await pending())) {
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      const drainUsed = process.cpuUsage(drainCpu);
      await stopProfile();
      const drainedJobs = (await count('done')) - doneBefore;
      return {
        processed: result.requests.total / ((drained - result.startedAt) / 1000),
        jobCpuMs: drainedJobs > 0 ? (drainUsed.user + drainUsed.system) / 1000 / drainedJobs : 0,
        p99: result.latency.p99,
        failures: result.non2xx + result.errors,
        cpuPerRequest: (ingestCpu.user + ingestCpu.system) / Math.max(1, result.requests.total),
        jobsDone: await count('done'),
        jobsQueued: (await count('queued')) + (await count('running')),
        jobsDead: await count('dead'),
        tasks: Number(
          (
            await server.database.db
              .selectFrom('tasks')
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        ),
      };
    } finally {
      await server.close();
    }
  };
  await run(false, 'xw');
  await run(true, 'yw', 'run', process.env.BENCH_PROFILE_AFTER_CALL);
  const offs: Awaited<ReturnType<typeof run>>[] = [];
  const ons: Awaited<ReturnType<typeof run>>[] = [];
  const held: Awaited<ReturnType<typeof run>>[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    offs.push(await run(false, `x${round}`));
    ons.push(await run(true, `y${round}`));
    held.push(await run(true, `z${round}`, 'hold'));
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
  const list = (values: number[]) => values.map((v) => Math.round(v)).join(', ');
  const off = median(offs.map((r) => r.processed));
  const on = median(ons.map((r) => r.processed));
  const failures = [...offs, ...ons].reduce((sum, r) => sum + r.failures, 0);
  rows.push(
    {
      what: 'ingest fully processed, after-call automation off (median)',
      measured: `${Math.round(off)} events/s (${list(offs.map((r) => r.processed))}), reply p99 ${Math.max(...offs.map((r) => r.p99))} ms`,
      target: 'baseline',
      pass: null,
    },
    {
      what: 'ingest fully processed, after-call automation on (median)',
      measured: `${Math.round(on)} events/s (${list(ons.map((r) => r.processed))}), reply p99 ${Math.max(...ons.map((r) => r.p99))} ms`,
      target: 'info',
      pass: null,
    },
    {
      what: 'after-call automation on, jobs queued but not run (the webhook path alone)',
      measured: `${Math.round(median(held.map((r) => r.processed)))} events/s (${list(held.map((r) => r.processed))}), reply p99 ${Math.max(...held.map((r) => r.p99))} ms, ${list(held.map((r) => r.jobsQueued))} jobs queued`,
      target: 'info',
      pass: null,
    },
    {
      what: 'after-call jobs of the "on" rounds: run / still queued / dead; tasks',
      measured: `${list(ons.map((r) => r.jobsDone))} / ${list(ons.map((r) => r.jobsQueued))} / ${list(ons.map((r) => r.jobsDead))}; ${list(ons.map((r) => r.tasks))}`,
      target: 'info',
      pass: null,
    },
    {
      what: 'after-call job: server CPU per follow-up, draining the backlog after the flood (median)',
      measured: `${median(ons.map((r) => r.jobCpuMs)).toFixed(2)} ms (${ons.map((r) => r.jobCpuMs.toFixed(2)).join(', ')})`,
      target: 'info',
      pass: null,
    },
    {
      what: 'server CPU per request: automation off / on, jobs run / on, jobs held',
      measured: `${median(offs.map((r) => r.cpuPerRequest)).toFixed(1)} µs / ${median(ons.map((r) => r.cpuPerRequest)).toFixed(1)} µs / ${median(held.map((r) => r.cpuPerRequest)).toFixed(1)} µs`,
      target: 'info',
      pass: null,
    },
    {
      what: "ingest, automation on with its jobs held / off (the webhook path's own cost)",
      measured: `${(median(held.map((r) => r.processed)) / off).toFixed(3)}`,
      target: '≥ 0.9',
      pass: median(held.map((r) => r.processed)) / off >= 0.9 && failures === 0,
    },
    {
      what: 'ingest while after-call jobs run / ingest without them (events/s, medians)',
      measured: `${(on / off).toFixed(3)}`,
      target: '≥ 0.8',
      pass: on / off >= 0.8 && failures === 0 && ons.every((r) => r.jobsDead === 0),
    },
    {
      // Events per second of the server's own CPU: what the jobs take from the webhook path, which the other
      // processes of a shared machine (and the load generator's own starvation) do not skew.
      what: 'the same as capacity: server CPU per event without jobs / with them running',
      measured: `${(median(offs.map((r) => r.cpuPerRequest)) / median(ons.map((r) => r.cpuPerRequest))).toFixed(3)}`,
      target: '≥ 0.8',
      pass:
        median(offs.map((r) => r.cpuPerRequest)) / median(ons.map((r) => r.cpuPerRequest)) >= 0.8 &&
        failures === 0,
    },
  );
  await zadarma.close();
}

/**
 * Stores the `known` workload's callers as contacts (bench/telephony-load.ts `knownCaller`): half with a
 * company, a third with an open task, so the popup's card has something to read. Numbers stored as the CRM
 * stores them (E.164), which the lookup normalises the callers to.
 */
async function seedKnownCallers(db: BenchServer['database']['db'], ownerId: string | null): Promise<void> {
  const now = new Date().toISOString();
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < KNOWN_CALLERS; i++) {
      const { first, last } = benchName(i);
      const display = `${first} ${last}`;
      const companyId = i % 2 === 0 ? await seedCompany(trx, `Company ${i}`) : null;
      const id = await seedContact(trx, {
        displayName: display,
        phones: [`+${knownCaller(i)}`],
        companyId,
        responsibleUserId: ownerId,
      });
      if (i % 3 === 0) {
        await trx
          .insertInto('tasks')
          .values({
            id: newId(),
            title: `Call back ${display}`,
            description: '',
            due_at: now,
            status: 'open',
            assignee_id: ownerId,
            subject_type: 'contact',
            subject_id: id,
            created_by_id: ownerId,
            created_at: now,
            updated_at: now,
            completed_at: null,
          })
          .execute();
      }
    }
  });
}

async function main(): Promise<void> {
  if (process.env.BENCH_ONLY === 'after-call') {
    // Only (c): the after-call automation's cost on the webhook path.
    await automationRuns();
    printTable(rows);
    const failed = rows.filter((r) => r.pass === false).length;
    log(`${rows.filter((r) => r.pass === true).length} passed, ${failed} failed`);
    process.exitCode = failed > 0 ? 1 : 0;
    keepAlive.destroy();
    return;
  }
  const server = await startBenchServer({ prefix: 'ingest', secret: SECRET });
  const { database, app, base } = server;
  const live = telephonyLiveOf(app);
  if (!live) {
    throw new Error('telephony routes not registered');
  }
  const assignments = createExtensionAssignmentRepository(database.db);
  const users = await seedAgents(database.db, AGENTS, {
    assign: (extension, id) => assignments.assign(extension, id),
    createSession,
  });

  await seedKnownCallers(database.db, users[0]?.id ?? null);

  /** One ingest run: the load, then the wait until every event is processed; events/s over the whole span. */
  async function ingestRun(runTag: string, callers: LoadRequest['callers']) {
    const cpuBefore = process.cpuUsage();
    const writesBefore = writtenSoFar();
    const result = await cannon(`${base}/zadarma`, runTag, callers);
    await live?.ingest.idle();
    const drained = Date.now();
    const writesAfter = writtenSoFar();
    return {
      ...result,
      cpu: process.cpuUsage(cpuBefore),
      written:
        writesBefore && writesAfter
          ? { bytes: writesAfter.bytes - writesBefore.bytes, calls: writesAfter.calls - writesBefore.calls }
          : null,
      processed: result.requests.total / ((drained - result.startedAt) / 1000),
      drainMs: Math.max(0, drained - result.finishedAt),
    };
  }

  try {
    log(
      `telephony ingest bench: SQLite, ${CONNECTIONS} connections, ${ROUNDS} rounds of ${SECONDS} s per side, ${AGENTS} agents`,
    );
    // Warm-up of both paths (JIT, prepared statements).
    await bareBaseline('w');
    await ingestRun('w', 'new');
    await ingestRun('v', 'known');
    // The known workload is what it says only if its calls find their contacts.
    const linked = await database.db
      .selectFrom('calls')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('pbx_call_id', 'like', 'in_v%')
      .where('contact_id', 'is not', null)
      .executeTakeFirstOrThrow();
    log(`warm-up, known callers: ${Number(linked.n)} calls linked to their contact`);
    // Rounds alternate bare / new numbers / known callers and the ratios are of the medians: a shared machine's
    // slow spell then hits every side instead of deciding a ratio.
    const bares: Awaited<ReturnType<typeof bareBaseline>>[] = [];
    const ingests: Awaited<ReturnType<typeof ingestRun>>[] = [];
    const knowns: Awaited<ReturnType<typeof ingestRun>>[] = [];
    const ringings: Awaited<ReturnType<typeof ingestRun>>[] = [];
    const stopProfile = await profileIf(process.env.BENCH_PROFILE);
    for (let round = 0; round < ROUNDS; round++) {
      bares.push(await bareBaseline(`b${round}`));
      if (WORKLOAD === 'both' || WORKLOAD === 'new') {
        ingests.push(await ingestRun(`i${round}`, 'new'));
      }
      if (WORKLOAD === 'both' || WORKLOAD === 'known') {
        knowns.push(await ingestRun(`k${round}`, 'known'));
      }
      if (WORKLOAD === 'both' || WORKLOAD === 'ringing') {
        ringings.push(await ingestRun(`r${round}`, 'ringing'));
      }
    }
    await stopProfile();
    // CPU per request of this (server) process: a figure that other load on the machine does not skew.
    const cpuPer = (runs: { cpu: NodeJS.CpuUsage; requests: { total: number } }[]) =>
      runs.reduce((sum, r) => sum + r.cpu.user + r.cpu.system, 0) /
      Math.max(
        1,
        runs.reduce((sum, r) => sum + r.requests.total, 0),
      );
    const median = (values: number[]) =>
      [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
    const bareRate = median(bares.map((b) => b.requests.average));
    const failed = await database.db
      .selectFrom('webhook_inbox')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '!=', 'processed')
      .executeTakeFirstOrThrow();
    if (Number(failed.n) > 0) {
      const samples = await database.db
        .selectFrom('webhook_inbox')
        .select(['status', 'error', 'event'])
        .where('status', '!=', 'processed')
        .limit(3)
        .execute();
      log(`not processed, e.g.: ${JSON.stringify(samples)}`);
    }
    const list = (values: number[]) => values.map((v) => Math.round(v)).join(', ');
    rows.push(
      {
        what: 'bare node:http handler (median of rounds)',
        measured: `${Math.round(bareRate)} req/s (${list(bares.map((b) => b.requests.average))})`,
        target: 'baseline',
        pass: null,
      },
      {
        what: 'server CPU per request: bare',
        measured: `${cpuPer(bares).toFixed(1)} µs`,
        target: 'info',
        pass: null,
      },
    );
    // Real traffic mixes clients the CRM knows and numbers it has never seen: both, each beside the baseline.
    for (const [name, runs] of [
      [`known callers (${KNOWN_CALLERS} contacts)`, knowns],
      ['all new numbers', ingests],
      ['new numbers, each call from its NOTIFY_START', ringings],
    ] as const) {
      if (runs.length === 0) {
        continue;
      }
      const processed = median(runs.map((i) => i.processed));
      const non2xx = runs.reduce((sum, i) => sum + i.non2xx + i.errors, 0);
      const ratio = processed / bareRate;
      rows.push(
        {
          what: `ingest, ${name}: replies (verify + inbox persist)`,
          measured: `${list(runs.map((i) => i.requests.average))} req/s, p99 ${Math.max(...runs.map((i) => i.latency.p99))} ms, non-2xx/errors ${non2xx}`,
          target: 'info',
          pass: null,
        },
        {
          what: `ingest, ${name}: fully processed (+ fold + fan-out)`,
          measured: `${Math.round(processed)} events/s (${list(runs.map((i) => i.processed))}; drain ≤ ${Math.max(...runs.map((i) => i.drainMs))} ms)`,
          target: 'info',
          pass: null,
        },
        {
          what: `ingest, ${name}: server CPU per request`,
          measured: `${cpuPer(runs).toFixed(1)} µs`,
          target: 'info',
          pass: null,
        },
        {
          what: `ingest, ${name}: server writes per request (WAL, journal, sockets)`,
          measured: writesPer(runs),
          target: 'info',
          pass: null,
        },
        {
          what: `ingest, ${name}: fully processed / bare ratio`,
          measured: `1/${(1 / ratio).toFixed(2)} (${ratio.toFixed(3)})`,
          target: '≥ 1/3',
          pass: ratio >= 1 / 3 && non2xx === 0 && Number(failed.n) === 0,
        },
      );
    }
    log(`events not processed: ${Number(failed.n)}`);

    // (c) the after-call automation on vs off, rounds alternating, each on its own fresh server.
    if (process.env.BENCH_ONLY !== 'ingest') {
      await automationRuns();
    }

    // (b) popup latency with AGENTS connected SSE streams.
    const waiting = new Map<string, (at: number) => void>();
    const closers: (() => void)[] = [];
    for (const user of users) {
      closers.push(
        await openSse(base, user.cookie, (event, data) => {
          if (event !== 'call.ringing') {
            return;
          }
          const { pbxCallId } = JSON.parse(data) as { pbxCallId: string };
          waiting.get(`${user.id}|${pbxCallId}`)?.(performance.now());
        }),
      );
    }
    const hub = live.hub;
    log(`SSE streams open: ${hub?.size ?? '?'}`);
    const samples: number[] = [];
    for (let k = 0; k < POPUPS + 50; k++) {
      const user = users[(k * 7919) % users.length] as (typeof users)[number];
      const pbx = `in_popup${k.toString(16).padStart(35, '0')}`;
      const fields = {
        event: 'NOTIFY_INTERNAL',
        call_start: new Date().toISOString().slice(0, 19).replace('T', ' '),
        pbx_call_id: pbx,
        // One caller per call: a signed caller and start shared by two calls opens no second card.
        caller_id: `44208199${k.toString().padStart(4, '0')}`,
        called_did: '442037691999',
        internal: user.extension,
      };
      const delivered = new Promise<number>((resolve) => waiting.set(`${user.id}|${pbx}`, resolve));
      const sent = performance.now();
      const status = await post(base, fields);
      if (status !== 200) {
        throw new Error(`webhook answered ${status}`);
      }
      const at = await Promise.race([
        delivered,
        new Promise<number>((_, reject) =>
          setTimeout(() => reject(new Error('popup not delivered in 2 s')), 2000),
        ),
      ]);
      if (k >= 50) {
        samples.push(at - sent);
      }
      waiting.delete(`${user.id}|${pbx}`);
    }
    const popup = summarize(samples);
    rows.push({
      what: `popup latency, ${AGENTS} SSE agents (p50 / p99, n=${popup.n})`,
      measured: `${ms(popup.p50)} / ${ms(popup.p99)}`,
      target: 'p99 < 10 ms',
      pass: popup.p99 < 10,
    });
    for (const close of closers) {
      close();
    }
  } finally {
    await server.close();
    keepAlive.destroy();
  }
  printTable(rows);
  const failed = rows.filter((r) => r.pass === false).length;
  log(`${rows.filter((r) => r.pass === true).length} passed, ${failed} failed`);
  process.exitCode = failed > 0 ? 1 : 0;
}

await main();
