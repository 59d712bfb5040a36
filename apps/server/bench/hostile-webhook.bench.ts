/**
 * Hostile `/zadarma` bodies against the real server (SQLite, loopback only). Not a unit test.
 * (a) The slowest refusal (median of 7 sends per body and variant) among hostile bodies within the 1 MiB limit — an `a[]` flood, deep nesting, many
 *     keys, one huge field, many multipart parts — each sent unsigned and with a forged `Signature` (which
 *     makes the body be decoded): target ≤ 20 ms.
 * (b) `/api/health` p99 while 16 connections, each from its own loopback address (so each has its own refusal
 *     budget, refusal-budget.ts), send those bodies without pause: target ≤ 50 ms, printed beside the p99 of the
 *     same probe with no hostile load, measured in the same run.
 * The load and the probe each run in a child process (this file, forked), so the server's event loop carries
 * only the server. Bounded: about 15 s in all. Exits non-zero when a target is missed.
 * Run alone: `npx tsx --conditions=@switchboard/source apps/server/bench/hostile-webhook.bench.ts`.
 */
import { fork } from 'node:child_process';
import { Agent, request as httpRequest } from 'node:http';
import { fileURLToPath } from 'node:url';
import { WEBHOOK_BODY_LIMIT } from '../src/modules/telephony/http/webhook-routes.js';
import { startBenchServer } from './bench-server.js';
import { ms, printTable, type Row, summarize } from './stats.js';

const SECRET = 'bench-secret-0123456789abcdef';
const CONNECTIONS = 16;
const BASELINE_SECONDS = 3;
const LOAD_SECONDS = 6;
const REFUSAL_REPEATS = 7;
const SLOWEST_REFUSAL_TARGET_MS = 20;
const HEALTH_P99_TARGET_MS = 50;
const FORM = 'application/x-www-form-urlencoded';

interface Hostile {
  readonly name: string;
  readonly body: Buffer;
  readonly contentType: string;
}

/** `unit` repeated to just under the body limit. */
function fill(unit: string, prefix = ''): Buffer {
  const room = WEBHOOK_BODY_LIMIT - prefix.length - 1;
  return Buffer.from(prefix + unit.repeat(Math.floor(room / unit.length)));
}

function multipartParts(): Buffer {
  const part = (i: number) => `--b\r\nContent-Disposition: form-data; name="k${i}"\r\n\r\nv\r\n`;
  const parts: string[] = [];
  let size = 6;
  for (let i = 0; ; i++) {
    const next = part(i);
    if (size + next.length >= WEBHOOK_BODY_LIMIT) {
      break;
    }
    parts.push(next);
    size += next.length;
  }
  return Buffer.from(`${parts.join('')}--b--\r\n`);
}

/** The hostile bodies, each within the size limit (a 413 would be no test of the parser). */
function hostileBodies(): Hostile[] {
  return [
    { name: 'a[] flood', body: fill('a[]&'), contentType: FORM },
    { name: 'deep nesting', body: fill(`a${'[x]'.repeat(60)}=1&`), contentType: FORM },
    { name: 'many keys', body: fill('k=1&'.replace('k', 'key')), contentType: FORM },
    { name: 'huge field', body: fill('%41', 'event=NOTIFY_START&result='), contentType: FORM },
    { name: 'multipart parts', body: multipartParts(), contentType: 'multipart/form-data; boundary=b' },
  ];
}

// One keep-alive agent per source address: the server keeps a refusal budget per source (refusal-budget.ts),
// so the load comes from 16 addresses of the loopback range — an attacker's worst case, one budget each.
const agents = new Map<string, Agent>();

function agentFor(localAddress: string): Agent {
  let agent = agents.get(localAddress);
  if (!agent) {
    agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS, localAddress });
    agents.set(localAddress, agent);
  }
  return agent;
}

function destroyAgents(): void {
  for (const agent of agents.values()) {
    agent.destroy();
  }
}

/** One request from `localAddress`; resolves with its status and its duration in ms. */
function send(
  url: string,
  method: string,
  headers: Record<string, string>,
  body?: Buffer,
  localAddress = '127.0.0.1',
): Promise<{ status: number; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const elapsed = () => Number(process.hrtime.bigint() - started) / 1e6;
    let status = 0;
    const req = httpRequest(url, { method, headers, agent: agentFor(localAddress) }, (res) => {
      status = res.statusCode ?? 0;
      res.resume();
      res.on('end', () => resolve({ status, ms: elapsed() }));
      res.on('error', () => resolve({ status, ms: elapsed() }));
    });
    // A refusal that does not read the body closes the connection while we still write it: the answer
    // (already received) counts; a reset before any answer is a failure of the bench.
    req.on('error', (error) => (status ? resolve({ status, ms: elapsed() }) : reject(error)));
    req.end(body);
  });
}

function headersOf(h: Hostile, signed: boolean): Record<string, string> {
  return {
    'content-type': h.contentType,
    'content-length': String(h.body.length),
    ...(signed ? { signature: 'Zm9yZ2VkLXNpZ25hdHVyZQ==' } : {}),
  };
}

type ChildJob =
  | { readonly kind: 'probe'; readonly url: string; readonly seconds: number }
  | { readonly kind: 'load'; readonly url: string; readonly seconds: number };

interface ChildResult {
  readonly latencies: number[];
  readonly statuses: Record<string, number>;
}

/** Child side: a /api/health probe (one request at a time) or the hostile load (16 connections). */
async function child(job: ChildJob): Promise<ChildResult> {
  const until = Date.now() + job.seconds * 1000;
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const count = (status: number) => {
    statuses[status] = (statuses[status] ?? 0) + 1;
  };
  if (job.kind === 'probe') {
    while (Date.now() < until) {
      const r = await send(`${job.url}/api/health`, 'GET', {});
      latencies.push(r.ms);
      count(r.status);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return { latencies, statuses };
  }
  const bodies = hostileBodies();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async (_, c) => {
      for (let i = c; Date.now() < until; i++) {
        const h = bodies[i % bodies.length] as Hostile;
        const r = await send(
          `${job.url}/zadarma`,
          'POST',
          headersOf(h, i % 2 === 0),
          h.body,
          `127.0.2.${10 + c}`,
        );
        latencies.push(r.ms);
        count(r.status);
      }
    }),
  );
  return { latencies, statuses };
}

function runChild(job: ChildJob): Promise<ChildResult> {
  const proc = fork(fileURLToPath(import.meta.url), ['--child'], {
    execArgv: process.execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    let result: ChildResult | null = null;
    proc.once('message', (message) => {
      result = message as ChildResult;
    });
    proc.once('error', reject);
    proc.once('exit', (code) =>
      result ? resolve(result) : reject(new Error(`bench child exited with ${code} and no result`)),
    );
    proc.send(job);
  });
}

async function main(): Promise<number> {
  const server = await startBenchServer({ prefix: 'hostile', secret: SECRET });
  const { base } = server;
  const rows: Row[] = [];
  let ok = true;
  try {
    console.log(
      `hostile webhook bench: SQLite, bodies up to ${WEBHOOK_BODY_LIMIT} bytes, ${CONNECTIONS} hostile connections`,
    );
    // (a) Each hostile body, unsigned and forged-signed, a few times; the slowest answer of all.
    const bodies = hostileBodies();
    // Per body and variant the median of a few sends (one scheduler stall on a shared machine is not the
    // body's cost); the figure is the slowest of those medians.
    let slowest = 0;
    let source = 0;
    for (const h of bodies) {
      let worst = 0;
      for (const signed of [false, true]) {
        const times: number[] = [];
        // A fresh source per body and variant, so every send is judged in full (no budget spent yet).
        const from = `127.0.1.${++source}`;
        for (let i = 0; i < REFUSAL_REPEATS; i++) {
          const r = await send(`${base}/zadarma`, 'POST', headersOf(h, signed), h.body, from);
          if (r.status < 400 || r.status >= 500 || r.status === 429) {
            throw new Error(`${h.name} answered ${r.status}, not a refusal judged in full`);
          }
          times.push(r.ms);
        }
        worst = Math.max(worst, summarize(times).p50);
      }
      slowest = Math.max(slowest, worst);
      rows.push({
        what: `refusal: ${h.name} (${h.body.length} B)`,
        measured: ms(worst),
        target: '',
        pass: null,
      });
    }
    const refusalPass = slowest <= SLOWEST_REFUSAL_TARGET_MS;
    rows.push({
      what: 'slowest refusal of a hostile body',
      measured: ms(slowest),
      target: `≤ ${SLOWEST_REFUSAL_TARGET_MS} ms`,
      pass: refusalPass,
    });

    // (b) /api/health p99, first alone, then beside 16 connections of hostile bodies.
    const baseline = summarize(
      (await runChild({ kind: 'probe', url: base, seconds: BASELINE_SECONDS })).latencies,
    );
    const [probe, load] = await Promise.all([
      runChild({ kind: 'probe', url: base, seconds: LOAD_SECONDS - 1 }),
      runChild({ kind: 'load', url: base, seconds: LOAD_SECONDS }),
    ]);
    const loaded = summarize(probe.latencies);
    const healthPass =
      loaded.p99 <= HEALTH_P99_TARGET_MS && Object.keys(probe.statuses).every((s) => s === '200');
    const served = Object.entries(load.statuses)
      .map(([status, n]) => `${n}×${status}`)
      .join(', ');
    rows.push(
      {
        what: '/api/health p99, no hostile load (baseline)',
        measured: ms(baseline.p99),
        target: '',
        pass: null,
      },
      {
        what: `/api/health p99, ${CONNECTIONS} connections of hostile bodies`,
        measured: ms(loaded.p99),
        target: `≤ ${HEALTH_P99_TARGET_MS} ms`,
        pass: healthPass,
      },
      {
        what: 'hostile requests answered meanwhile (429: refused unread, budget spent)',
        measured: served,
        target: 'no 2xx, no 5xx',
        pass: null,
      },
    );
    const badStatus = Object.keys(load.statuses).some((s) => !/^4\d\d$/.test(s));
    if (badStatus) {
      rows.push({
        what: 'hostile requests all refused with 4xx',
        measured: served,
        target: '4xx only',
        pass: false,
      });
    }
    ok = refusalPass && healthPass && !badStatus;
    printTable(rows);
  } finally {
    destroyAgents();
    await server.close();
  }
  return ok ? 0 : 1;
}

if (process.argv.includes('--child')) {
  process.once('message', (job: ChildJob) => {
    void child(job).then((result) => {
      destroyAgents();
      process.send?.(result, () => process.exit(0));
    });
  });
} else {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
