/**
 * The history import and the reconciliation end to end, on both databases, against the simulator over real HTTP:
 * calls the simulator played whose webhooks never reached us are imported from its `/v1/statistics/pbx/`, twice,
 * with exactly its count and nothing duplicated; webhooks dropped on the way (a proxy between the simulator and
 * us loses some) are healed by "Reconcile now", which reports it; and an import stopped mid-way by a restart of the
 * job worker goes on from its cursor (SQLite: the table queue a restarted process reopens).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Simulator } from '@switchboard/zadarma-sim';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { loadConfig } from '../../platform/config/config.js';
import { createSqliteJobQueue } from '../../platform/jobs/sqlite-job-queue.js';
import { TEST_DIALECTS } from '../../test-support/test-database.js';
import { until } from '../../test-support/until.js';
import type { StoredCall } from './ports.js';
import { seedContact } from './test-support/seed-crm.js';
import { type TelephonyTestContext, useTelephonyTest } from './test-support/test-telephony.js';

const DID = '442037691999';

interface RunView {
  id: string;
  status: string;
  callsChecked: number;
  callsMissing: number;
  callsHealed: number;
  pages: number;
  rows: number;
  progress: number;
  resumeAt: string | null;
  error: string | null;
}

/** Distinct calls in the simulator's own statistics. */
function simCalls(sim: Simulator): Set<string> {
  return new Set(sim.data.pbxStats.map((r) => r.pbx_call_id));
}

describe.each(TEST_DIALECTS)('history import and reconciliation on %s', (dialect) => {
  const t = useTelephonyTest(dialect, { jobs: true });

  /** A simulator of its own for a test (its statistics are only its calls), the server's REST pointed at it. */
  async function ownSimulator(options: Parameters<TelephonyTestContext['extraSimulator']>[0] = {}) {
    const sim = await t.extraSimulator({ rateLimits: { statistics: 1000 }, ...options });
    await t.runtime.update({ apiBaseUrl: sim.url });
    return sim;
  }

  async function latest(kind: 'import' | 'reconcile'): Promise<RunView | null> {
    const res = await t.as(t.admin, { method: 'GET', url: '/api/telephony/history' });
    expect(res.statusCode).toBe(200);
    return (res.json() as Record<string, RunView | null>)[kind] ?? null;
  }

  function finished(kind: 'import' | 'reconcile', id: string) {
    return until(async () => {
      const run = await latest(kind);
      return run?.id === id && ['done', 'failed', 'cancelled'].includes(run.status) ? run : null;
    }, `${kind} ${id} finished`);
  }

  async function ours(ids: Iterable<string>): Promise<StoredCall[]> {
    const calls: StoredCall[] = [];
    for (const id of ids) {
      const call = await t.live.adapters.calls.get(id);
      if (call) {
        calls.push(call);
      }
    }
    return calls;
  }

  it('imports calls whose webhooks never came, twice, with exactly the simulator count and no duplicate', async () => {
    const sim = await ownSimulator();
    sim.setWebhookUrl(null);
    const placed = [
      sim.placeInbound({ from: '+33611111101', to: DID, answer: '101', talkSeconds: 30 }),
      sim.placeInbound({ from: '+33611111102', to: DID, answer: '101', talkSeconds: 40, transferTo: '102' }),
      sim.placeInbound({ from: '+33611111103', to: DID, answer: null }),
      sim.placeOutbound({ extension: '102', to: '+33611111104', talkSeconds: 25 }),
      sim.placeOutbound({ extension: '101', to: '+33611111105', outcome: 'busy' }),
    ];
    for (const { pbxCallId } of placed) {
      await sim.waitForCall(pbxCallId, { timeoutMs: 20_000 });
    }
    const expected = simCalls(sim);
    expect(expected.size).toBe(5);
    expect(await ours(expected)).toHaveLength(0);

    // Pages of 2 rows: the walk crosses pages, and a call's legs on two pages are kept whole.
    const started = await t.as(t.admin, {
      method: 'POST',
      url: '/api/telephony/history/import',
      payload: { days: 30, pageSize: 2 },
    });
    expect(started.statusCode).toBe(202);
    const first = await finished('import', (started.json() as RunView).id);
    expect(first).toMatchObject({
      status: 'done',
      callsChecked: 5,
      callsMissing: 5,
      callsHealed: 5,
      progress: 1,
    });
    const imported = await ours(expected);
    expect(imported).toHaveLength(5);
    for (const call of imported) {
      const outcome = sim.getCall(call.pbxCallId)?.outcome;
      expect(call.disposition).toBe(outcome?.disposition);
      expect(call.duration).toBe(outcome?.duration);
    }
    const transferred = imported.find((c) => c.clientNumber?.endsWith('11111102'));
    expect(transferred).toMatchObject({ answeredBy: '102', agentUserId: t.agent2.id, status: 'answered' });

    const again = await t.as(t.admin, {
      method: 'POST',
      url: '/api/telephony/history/import',
      payload: { days: 30 },
    });
    const second = await finished('import', (again.json() as RunView).id);
    expect(second).toMatchObject({ status: 'done', callsChecked: 5, callsMissing: 0, callsHealed: 0 });
    const after = await ours(expected);
    expect(after.map((c) => [c.id, c.version])).toEqual(imported.map((c) => [c.id, c.version]));
    // One row per call in the whole table for these ids: the count is the simulator's.
    const rows = await t.database.db
      .selectFrom('calls')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('pbx_call_id', 'in', [...expected])
      .executeTakeFirstOrThrow();
    expect(Number(rows.n)).toBe(5);
  }, 60_000);

  it('heals calls whose webhooks were dropped, merging with what did arrive, and reports it', async () => {
    const sim = await ownSimulator();
    // A proxy between the simulator and us that loses the end of one call and every notification of another.
    const target = `${t.url}/zadarma`;
    const proxy: Server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', async () => {
        const body = Buffer.concat(chunks);
        const fields = new URLSearchParams(body.toString('latin1'));
        const caller = (fields.get('caller_id') ?? '').replace(/\D/g, '');
        const event = fields.get('event') ?? '';
        if (caller.endsWith('22222202') || (caller.endsWith('22222201') && event === 'NOTIFY_END')) {
          res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
          return;
        }
        const answer = await fetch(target, {
          method: 'POST',
          headers: {
            'content-type': req.headers['content-type'] ?? '',
            signature: String(req.headers.signature ?? ''),
          },
          body,
        });
        res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'text/plain' });
        res.end(Buffer.from(await answer.arrayBuffer()));
      });
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      sim.setWebhookUrl(`http://127.0.0.1:${(proxy.address() as AddressInfo).port}/zadarma`);
      // The caller whose every notification is lost is a known contact: the healed call is linked to them.
      const contactId = await seedContact(t.database.db, {
        displayName: 'Lara Lost',
        phones: ['+33622222202'],
      });
      const placed = [
        sim.placeInbound({ from: '+33622222200', to: DID, answer: '101', talkSeconds: 20 }),
        sim.placeInbound({ from: '+33622222201', to: DID, answer: '102', talkSeconds: 35 }),
        sim.placeInbound({ from: '+33622222202', to: DID, answer: null }),
      ];
      for (const { pbxCallId } of placed) {
        await t.settle(sim, pbxCallId);
      }
      const [whole, endless, lost] = placed.map((p) => p.pbxCallId) as [string, string, string];
      const before = await t.live.adapters.calls.get(endless);
      expect(before?.end).toBeNull();
      expect(before?.status).toBe('in_progress');
      expect(await t.live.adapters.calls.get(lost)).toBeNull();
      const wholeBefore = await t.live.adapters.calls.get(whole);

      // Admins only: an agent neither reads the runs nor starts one.
      for (const [method, url] of [
        ['GET', '/api/telephony/history'],
        ['POST', '/api/telephony/history/reconcile'],
        ['POST', '/api/telephony/history/import'],
        ['POST', '/api/telephony/history/some-run/cancel'],
      ] as const) {
        const refused = await t.as(t.agent1, { method, url, ...(method === 'POST' ? { payload: {} } : {}) });
        expect(refused.statusCode, `${method} ${url}`).toBe(403);
      }
      const started = await t.as(t.admin, {
        method: 'POST',
        url: '/api/telephony/history/reconcile',
        payload: {},
      });
      expect(started.statusCode).toBe(202);
      const report = await finished('reconcile', (started.json() as RunView).id);
      expect(report).toMatchObject({ status: 'done', callsChecked: 3, callsMissing: 2, callsHealed: 2 });

      // The half call keeps the id and the DID its webhooks signed, and gets the end Zadarma recorded.
      const healed = await t.live.adapters.calls.get(endless);
      expect(healed).toMatchObject({ id: before?.id, status: 'answered', duration: 35, answeredBy: '102' });
      expect(healed?.calledDid).toBe(before?.calledDid);
      expect(await t.live.adapters.calls.get(lost)).toMatchObject({ status: 'missed', contactId });
      const timeline = await t.database.db
        .selectFrom('activities')
        .select(['ref_id'])
        .where('subject_type', '=', 'contact')
        .where('subject_id', '=', contactId)
        .execute();
      expect(timeline.map((a) => a.ref_id)).toContain((await t.live.adapters.calls.get(lost))?.id);
      expect((await t.live.adapters.calls.get(whole))?.version).toBe(wholeBefore?.version);
      // The statistics see the healed calls: the day's answered rollup counts both answered calls.
      const log = await t.as(t.admin, { method: 'GET', url: '/api/call-log?limit=50' });
      expect(log.statusCode).toBe(200);
      const logged = (log.json() as { items: { pbxCallId?: string; id: string }[] }).items.map((i) => i.id);
      expect(logged).toEqual(
        expect.arrayContaining([healed?.id, (await t.live.adapters.calls.get(lost))?.id]),
      );
    } finally {
      await new Promise((resolve) => proxy.close(resolve));
    }
  }, 60_000);
});

// The restart is the table queue's (SQLite, the default): a new worker on the same file takes the queued next page.
describe('a history import across a restart (sqlite)', () => {
  const t = useTelephonyTest('sqlite', { jobs: true });

  async function latest(): Promise<RunView | null> {
    const res = await t.as(t.admin, { method: 'GET', url: '/api/telephony/history' });
    return (res.json() as { import: RunView | null }).import;
  }

  async function ownSimulator(options: Parameters<TelephonyTestContext['extraSimulator']>[0]) {
    const sim = await t.extraSimulator(options);
    await t.runtime.update({ apiBaseUrl: sim.url });
    return sim;
  }

  function finished(_kind: 'import', id: string) {
    return until(async () => {
      const run = await latest();
      return run?.id === id && ['done', 'failed', 'cancelled'].includes(run.status) ? run : null;
    }, `import ${id} finished`);
  }

  async function ours(ids: Iterable<string>): Promise<StoredCall[]> {
    const calls: StoredCall[] = [];
    for (const id of ids) {
      const call = await t.live.adapters.calls.get(id);
      if (call) {
        calls.push(call);
      }
    }
    return calls;
  }

  it('goes on from its cursor after the job worker restarts mid-import, reading no page twice', async () => {
    // Zadarma's statistics limit, shortened: two requests per 3 s; the third is a 429 the run waits out.
    const sim = await ownSimulator({ rateLimits: { statistics: 2, windowMs: 3_000 } });
    sim.setWebhookUrl(null);
    const placed = [1, 2, 3, 4].map((n) =>
      sim.placeInbound({ from: `+3363333330${n}`, to: DID, answer: '101', talkSeconds: 10 + n }),
    );
    for (const { pbxCallId } of placed) {
      await sim.waitForCall(pbxCallId, { timeoutMs: 20_000 });
    }
    const expected = simCalls(sim);
    const started = await t.as(t.admin, {
      method: 'POST',
      url: '/api/telephony/history/import',
      payload: { days: 7, pageSize: 1 },
    });
    const id = (started.json() as RunView).id;
    const waiting = await until(async () => {
      const run = await latest();
      return run?.status === 'waiting' ? run : null;
    }, 'the import waits out a 429');
    expect(waiting).toMatchObject({ pages: 2, rows: 2 });
    expect(waiting.resumeAt).not.toBeNull();
    // The worker stops (the process goes down) while the run waits; a new process opens the same queue.
    await t.jobs?.stop();
    const config = loadConfig({ LOG_LEVEL: 'silent', DATA_DIR: t.dataDir });
    const jobs = createSqliteJobQueue({
      database: t.database,
      pollMs: 20,
      backoff: { baseMs: 50, maxMs: 200 },
    });
    const restarted = await buildApp({ config, database: t.database, telephony: t.runtime, jobs });
    await restarted.ready();
    await jobs.start();
    try {
      const done = await finished('import', id);
      expect(done).toMatchObject({ status: 'done', callsChecked: 4, callsHealed: 4, rows: 4 });
      // Four rows and one last short page: had it started again, it would have read more pages.
      expect(done.pages).toBe(5);
      expect(await ours(expected)).toHaveLength(4);
    } finally {
      await jobs.stop();
      await restarted.close();
      await jobs.close();
      await t.jobs?.start();
    }
  }, 60_000);
});
