/**
 * NOTIFY_START and `/api/health` while another process holds SQLite's write lock (issue 9, finding 3). Not a
 * unit test. A server on a fresh SQLite file with 1,000 contacts (each owned by an agent on extension 102)
 * gets NOTIFY_START at a steady rate and a health poll, first without a lock (the baseline, same run), then
 * while a child process holds `BEGIN IMMEDIATE` + a write for BENCH_LOCK_SECONDS (12). Latency is measured from
 * each request's scheduled send time, so a frozen event loop shows up even though the client shares it.
 * After the lock: every acknowledged event must be processed. Exits 1 when a target is missed.
 * Env: BENCH_LOCK_SECONDS (12), BENCH_BASELINE_SECONDS (4), BENCH_RATE (NOTIFY_START per second, 50).
 * Run alone: `npx tsx --conditions=@switchboard/source apps/server/bench/start-under-lock.bench.ts`.
 */
import { Agent, request as httpRequest } from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { webhookSignature } from '@switchboard/zadarma';
import { insertContact } from '../src/modules/crm/contacts/contact-repository.js';
import type { DurableInbox } from '../src/modules/telephony/adapters/journal-inbox.js';
import { createExtensionAssignmentRepository } from '../src/modules/telephony/adapters/kysely-extension-assignment-repository.js';
import { telephonyLiveOf } from '../src/modules/telephony/telephony-module.js';
import { newId } from '../src/platform/ids.js';
import { holdWriteLock } from '../src/test-support/hold-write-lock.js';
import { benchName, benchPhone } from './bench-data.js';
import { startBenchServer } from './bench-server.js';
import { ms, printTable, type Row } from './stats.js';

const LOCK_SECONDS = Number(process.env.BENCH_LOCK_SECONDS ?? 12);
const BASELINE_SECONDS = Number(process.env.BENCH_BASELINE_SECONDS ?? 4);
const RATE = Number(process.env.BENCH_RATE ?? 50);
const HEALTH_EVERY_MS = 20;
const CONTACTS = 1000;
const SECRET = 'bench-secret-0123456789abcdef';
const keepAlive = new Agent({ keepAlive: true, maxSockets: 8 });

interface Figures {
  p50: number;
  p99: number;
  max: number;
  n: number;
}

function figures(samples: readonly number[]): Figures {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? NaN;
  return { p50: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? NaN, n: sorted.length };
}

const show = (f: Figures) => `p50 ${ms(f.p50)}, p99 ${ms(f.p99)}, max ${ms(f.max)} (n=${f.n})`;

function send(
  url: string,
  options: { method: string; headers?: Record<string, string | number>; body?: string },
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: options.method, headers: options.headers, agent: keepAlive });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Zadarma's `call_start` (the account timezone is unknown here: UTC+0). */
const callStart = () => new Date().toISOString().slice(0, 19).replace('T', ' ');

async function main(): Promise<void> {
  const server = await startBenchServer({
    prefix: 'lock',
    secret: SECRET,
    settings: { features: { routeToResponsible: true, callerName: true, blacklist: true } },
  });
  const { file, database, app, base } = server;
  const now = new Date().toISOString();
  const agentId = newId();
  await database.db
    .insertInto('users')
    .values({
      id: agentId,
      email: 'agent@bench.test',
      name: 'Agent',
      role: 'agent',
      locale: 'en',
      password_hash: 'x',
      created_at: now,
      updated_at: now,
    })
    .execute();
  await createExtensionAssignmentRepository(database.db).assign('102', agentId);
  await database.db.transaction().execute(async (trx) => {
    for (let i = 0; i < CONTACTS; i++) {
      const name = benchName(i);
      await insertContact(
        trx,
        newId(),
        {
          firstName: name.first,
          lastName: name.last,
          displayName: `${name.first} ${name.last}`,
          companyId: null,
          responsibleUserId: agentId,
          notes: '',
          doNotCall: false,
          phones: [{ raw: benchPhone(i).raw, label: 'mobile' }],
          emails: [],
        },
        now,
        'FR',
      );
    }
  });
  const live = telephonyLiveOf(app);
  if (!live) {
    throw new Error('telephony routes not registered');
  }
  const inbox = live.adapters.inbox as DurableInbox;

  let sequence = 0;
  /** NOTIFY_START at RATE/s and health every HEALTH_EVERY_MS for `seconds`; latencies from the scheduled time. */
  async function phase(tag: string, seconds: number) {
    const starts: number[] = [];
    const health: number[] = [];
    const problems: string[] = [];
    let acknowledged = 0;
    const jobs: Promise<void>[] = [];
    const t0 = performance.now();
    const end = t0 + seconds * 1000;
    let nextStart = t0;
    let nextHealth = t0;
    while (performance.now() < end) {
      const at = performance.now();
      while (nextStart <= at) {
        const scheduled = nextStart;
        nextStart += 1000 / RATE;
        const i = sequence++;
        const fields = {
          event: 'NOTIFY_START',
          call_start: callStart(),
          pbx_call_id: `in_${tag}_${i}`,
          caller_id: benchPhone(i % CONTACTS).e164.slice(1),
          called_did: '442037691999',
        };
        const body = new URLSearchParams(fields).toString();
        jobs.push(
          send(`${base}/zadarma`, {
            method: 'POST',
            headers: {
              'content-type': 'application/x-www-form-urlencoded',
              'content-length': Buffer.byteLength(body),
              signature: webhookSignature(fields, SECRET),
            },
            body,
          }).then((res) => {
            starts.push(performance.now() - scheduled);
            if (res.status === 200) {
              acknowledged += 1;
            }
            if (res.status !== 200 || !res.body.includes('"redirect":"102"')) {
              problems.push(`${res.status} ${res.body}`);
            }
          }),
        );
      }
      while (nextHealth <= at) {
        const scheduled = nextHealth;
        nextHealth += HEALTH_EVERY_MS;
        jobs.push(
          send(`${base}/api/health`, { method: 'GET' }).then((res) => {
            health.push(performance.now() - scheduled);
            if (res.status !== 200) {
              problems.push(`health ${res.status}`);
            }
          }),
        );
      }
      await sleep(Math.max(0, Math.min(nextStart, nextHealth) - performance.now()));
    }
    await Promise.all(jobs);
    return { starts: figures(starts), health: figures(health), acknowledged, problems };
  }

  const rows: Row[] = [];
  try {
    console.log(
      `NOTIFY_START under another process's write lock: SQLite, ${CONTACTS} contacts, ${RATE}/s, lock ${LOCK_SECONDS} s, baseline ${BASELINE_SECONDS} s`,
    );
    await phase('warm', 1);
    await live.ingest.idle();
    const baseline = await phase('base', BASELINE_SECONDS);
    await live.ingest.idle();
    const holder = await holdWriteLock(file, { maxMs: (LOCK_SECONDS + 30) * 1000 });
    const lockedUntil = performance.now() + LOCK_SECONDS * 1000;
    // The lock is held for the whole phase: the child releases only when asked, after it.
    const locked = await phase('lock', LOCK_SECONDS);
    const journaledAtRelease = inbox.journaled();
    await sleep(Math.max(0, lockedUntil - performance.now()));
    await holder.release();
    await inbox.stored();
    await live.ingest.idle();
    const processed = await database.db
      .selectFrom('webhook_inbox')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('pbx_call_id', 'like', 'in_lock_%')
      .where('status', '=', 'processed')
      .executeTakeFirstOrThrow();
    const sent = locked.starts.n;
    const startLimit = Math.min(50, 5 * baseline.starts.p99);
    rows.push(
      { what: 'NOTIFY_START, no lock', measured: show(baseline.starts), target: 'baseline', pass: null },
      {
        what: 'NOTIFY_START, lock held',
        measured: show(locked.starts),
        target: `p99 ≤ ${ms(startLimit)} (5× baseline, ≤ 50 ms)`,
        pass: locked.starts.p99 <= startLimit,
      },
      { what: '/api/health, no lock', measured: show(baseline.health), target: 'baseline', pass: null },
      {
        what: '/api/health, lock held',
        measured: show(locked.health),
        target: 'p99 ≤ 50.00 ms',
        pass: locked.health.p99 <= 50,
      },
      {
        what: 'replies while locked: 200 with the routing',
        measured: `${sent - locked.problems.length} of ${sent} (journaled at release: ${journaledAtRelease})`,
        target: 'all',
        pass: locked.problems.length === 0 && baseline.problems.length === 0,
      },
      {
        what: 'acknowledged under lock, processed after',
        measured: `${Number(processed.n)} of ${locked.acknowledged}`,
        target: `${locked.acknowledged} (0 lost)`,
        pass: Number(processed.n) === locked.acknowledged && locked.acknowledged === sent,
      },
    );
    printTable(rows);
    for (const problem of [...baseline.problems, ...locked.problems].slice(0, 5)) {
      console.log(`  problem: ${problem}`);
    }
  } finally {
    keepAlive.destroy();
    await server.close();
  }
  if (rows.some((r) => r.pass === false)) {
    process.exitCode = 1;
  }
}

await main();
