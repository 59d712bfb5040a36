/**
 * Popup latency of this tree's server against another checkout's, both in this one process, popups alternating
 * between them. Not a unit test, and not in `npm run bench` (it needs a second checkout):
 *   git worktree add /tmp/baseline <rev> && ln -s "$PWD/node_modules" /tmp/baseline/node_modules
 *   BENCH_BASELINE=/tmp/baseline/apps/server npx tsx --max-semi-space-size=64 --conditions=@switchboard/source \
 *     apps/server/bench/popup-duel.bench.ts
 * (the baseline's `apps/server/node_modules` and `apps/web/node_modules` linked the same way where they exist).
 * Why: separate runs of telephony-ingest.bench.ts on this shared machine differ by ±20 % from one minute to the
 * next, far more than a change to the webhook path moves them; two servers in one process, each popup of one
 * followed by a popup of the other (in ABBA order), meet the same machine, the same event loop and the same
 * garbage collections, so what differs is their code. Without BENCH_BASELINE this tree duels itself: the
 * method's resolution (measured here: medians within 1 %). What it hides: allocation — the two share one heap,
 * so a side that allocates more makes both collect more often; the ingest bench's separate runs show that.
 * Each side: a fresh SQLite server (bench-server.ts of its own tree) with BENCH_AGENTS agents connected over SSE,
 * 300 popups each to warm up, then BENCH_POPUPS each in two halves (new servers, started in the other order),
 * webhook sent → `call.ringing` frame received (as in
 * telephony-ingest.bench.ts (b)). Printed: each side's p50/p99, the ratios, and in how many of ten blocks of the
 * run this tree's median was no worse.
 */
import { Agent } from 'node:http';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BenchAgent, openSse, postWebhook, seedAgents } from './popup-agents.js';
import { ms, printTable, type Row, summarize } from './stats.js';

const SECRET = 'bench-secret-0123456789abcdef';
const AGENTS = Number(process.env.BENCH_AGENTS ?? 500);
const POPUPS = Number(process.env.BENCH_POPUPS ?? 3000);
const WARM_UP = 300;
const BLOCKS = 10;
const HERE = resolve(fileURLToPath(new URL('..', import.meta.url)));
const BASELINE = resolve(process.env.BENCH_BASELINE ?? HERE);
const keepAlive = new Agent({ keepAlive: true, maxSockets: 4 });

interface Side {
  readonly name: string;
  readonly base: string;
  readonly users: readonly BenchAgent[];
  readonly waiting: Map<string, (at: number) => void>;
  readonly samples: number[];
  readonly closers: (() => void)[];
  close(): Promise<void>;
}

/**
 * A server of the tree at `root` (its own bench-server.ts and modules: two trees, two module graphs), with its
 * agents seeded and connected.
 */
async function startSide(name: string, root: string): Promise<Side> {
  const { startBenchServer } = (await import(
    `${root}/bench/bench-server.ts`
  )) as typeof import('./bench-server.js');
  const { createExtensionAssignmentRepository } = (await import(
    `${root}/src/modules/telephony/adapters/kysely-extension-assignment-repository.ts`
  )) as typeof import('../src/modules/telephony/adapters/kysely-extension-assignment-repository.js');
  const { createSession } = (await import(
    `${root}/src/platform/auth/session-repository.ts`
  )) as typeof import('../src/platform/auth/session-repository.js');
  const server = await startBenchServer({ prefix: `duel-${name}`, secret: SECRET });
  const db = server.database.db;
  const assignments = createExtensionAssignmentRepository(db);
  const users = await seedAgents(db, AGENTS, {
    assign: (extension, id) => assignments.assign(extension, id),
    createSession,
  });
  const side: Side = {
    name,
    base: server.base,
    users,
    waiting: new Map(),
    samples: [],
    closers: [],
    close: () => server.close(),
  };
  for (const user of users) {
    side.closers.push(
      await openSse(server.base, user.cookie, (event, data) => {
        if (event === 'call.ringing') {
          const { pbxCallId } = JSON.parse(data) as { pbxCallId: string };
          side.waiting.get(`${user.id}|${pbxCallId}`)?.(performance.now());
        }
      }),
    );
  }
  return side;
}

let sequence = 0;

/** One popup on `side`: a signed NOTIFY_INTERNAL from a new number, timed until its agent's frame arrives. */
async function popup(side: Side, k: number, record: boolean): Promise<void> {
  const user = side.users[(k * 7919) % side.users.length] as BenchAgent;
  const n = sequence++;
  const pbx = `in_duel${n.toString(16).padStart(35, '0')}`;
  const fields = {
    event: 'NOTIFY_INTERNAL',
    call_start: new Date().toISOString().slice(0, 19).replace('T', ' '),
    pbx_call_id: pbx,
    caller_id: `4420${81_990_000 + n}`,
    called_did: '442037691999',
    internal: user.extension,
  };
  const key = `${user.id}|${pbx}`;
  const delivered = new Promise<number>((done) => side.waiting.set(key, done));
  const sent = performance.now();
  const status = await postWebhook(side.base, fields, SECRET, keepAlive);
  if (status !== 200) {
    throw new Error(`${side.name}: webhook answered ${status}`);
  }
  let timer: NodeJS.Timeout | undefined;
  const at = await Promise.race([
    delivered,
    new Promise<number>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${side.name}: popup not delivered in 2 s`)), 2000);
    }),
  ]);
  clearTimeout(timer);
  side.waiting.delete(key);
  if (record) {
    side.samples.push(at - sent);
  }
}

async function main(): Promise<void> {
  const self = BASELINE === HERE;
  console.log(
    `popup duel: this tree (${HERE}) against ${self ? 'itself (the method’s resolution)' : BASELINE}, ${AGENTS} agents each, ${POPUPS} popups each`,
  );
  const current: number[] = [];
  const baseline: number[] = [];
  // Two halves, the servers started in either order: the side started first ran faster by up to 1 % (two
  // servers of the same tree, two runs).
  for (const first of ['this tree', 'baseline'] as const) {
    const started: Side[] = [];
    for (const name of first === 'this tree' ? ['this tree', 'baseline'] : ['baseline', 'this tree']) {
      started.push(await startSide(name, name === 'this tree' ? HERE : BASELINE));
    }
    const [ours, theirs] = (first === 'this tree' ? started : [...started].reverse()) as [Side, Side];
    try {
      for (let k = 0; k < WARM_UP; k++) {
        await popup(ours, k, false);
        await popup(theirs, k, false);
      }
      for (let k = 0; k < POPUPS / 2; k++) {
        // ABBA: neither side always goes first (the first of a pair meets an event loop the other just left).
        for (const side of k % 2 === 0 ? [ours, theirs] : [theirs, ours]) {
          await popup(side, k, true);
        }
      }
      current.push(...ours.samples);
      baseline.push(...theirs.samples);
    } finally {
      for (const side of started) {
        for (const close of side.closers) {
          close();
        }
        await side.close();
      }
    }
  }
  keepAlive.destroy();
  const ours = summarize(current);
  const theirs = summarize(baseline);
  let noWorse = 0;
  for (let j = 0; j < BLOCKS; j++) {
    const from = Math.floor((j * POPUPS) / BLOCKS);
    const to = Math.floor(((j + 1) * POPUPS) / BLOCKS);
    if (summarize(current.slice(from, to)).p50 <= summarize(baseline.slice(from, to)).p50) {
      noWorse++;
    }
  }
  const rows: Row[] = [
    {
      what: `popup latency, this tree (p50 / p99, n=${ours.n})`,
      measured: `${ms(ours.p50)} / ${ms(ours.p99)}`,
      target: 'info',
      pass: null,
    },
    {
      what: `popup latency, baseline (p50 / p99, n=${theirs.n})`,
      measured: `${ms(theirs.p50)} / ${ms(theirs.p99)}`,
      target: 'info',
      pass: null,
    },
    {
      what: 'this tree / baseline (p50 / p99)',
      measured: `${(ours.p50 / theirs.p50).toFixed(3)} / ${(ours.p99 / theirs.p99).toFixed(3)}`,
      target: 'info',
      pass: null,
    },
    {
      what: `blocks of ${POPUPS / BLOCKS} popup pairs where this tree's median is no worse`,
      measured: `${noWorse} of ${BLOCKS}`,
      target: 'info',
      pass: null,
    },
  ];
  printTable(rows);
}

await main();
