/**
 * The call log and the statistics against the simulator, over real HTTP webhooks, on both dialects: the log
 * filters, pages and exports what the PBX played; the statistics count exactly the calls the log attributes.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../../../test-support/test-database.js';
import { useTelephonyTest } from '../test-support/test-telephony.js';

const NUMBER = '442037691999';
const CLIENT_A = '+33612340001';
const CLIENT_B = '+33612340002';
const CLIENT_C = '+33612340003';

interface Entry {
  id: string;
  pbxCallId: string;
  direction: 'in' | 'out';
  outcome: string;
  attribution: { extension: string | null; rule: string };
  talkSeconds: number | null;
}

describe.each(TEST_DIALECTS)('the call log and statistics on %s', (dialect) => {
  const t = useTelephonyTest(dialect);
  const ids: Record<string, string> = {};
  let today: string;

  beforeAll(async () => {
    const place = async (name: string, placed: { pbxCallId: string }) => {
      await t.settle(t.sim, placed.pbxCallId);
      ids[name] = placed.pbxCallId;
    };
    await place(
      'answered',
      t.sim.placeInbound({ from: CLIENT_A, to: NUMBER, answer: '101', talkSeconds: 20 }),
    );
    await place('missed', t.sim.placeInbound({ from: CLIENT_B, to: NUMBER, answer: null }));
    await place('busy', t.sim.placeInbound({ from: CLIENT_C, to: NUMBER, answer: null, outcome: 'busy' }));
    await place(
      'transferred',
      t.sim.placeInbound({ from: CLIENT_A, to: NUMBER, answer: '101', transferTo: '102', talkSeconds: 40 }),
    );
    await place('returned', t.sim.placeOutbound({ extension: '102', to: CLIENT_B, talkSeconds: 15 }));
    today = new Date().toISOString().slice(0, 10);
  }, 120_000);

  const log = async (query: string, user = t.admin) => {
    const res = await t.as(user, { method: 'GET', url: `/api/call-log?${query}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { items: Entry[]; nextCursor: string | null };
  };
  const byPbx = (items: Entry[]) => Object.fromEntries(items.map((e) => [e.pbxCallId, e]));

  it('lists every call with its outcome and the rule that attributed it', async () => {
    const page = await log('limit=50');
    expect(page.items).toHaveLength(5);
    expect(page.nextCursor).toBeNull();
    const calls = byPbx(page.items);
    expect(calls[ids.answered as string]).toMatchObject({
      outcome: 'answered',
      attribution: { extension: '101', rule: 'answered' },
      talkSeconds: 20,
    });
    expect(calls[ids.transferred as string]?.attribution).toEqual({
      extension: '102',
      rule: 'transfer_last_participant',
    });
    expect(calls[ids.missed as string]).toMatchObject({
      outcome: 'no_answer',
      attribution: { rule: 'missed_first_rung' },
    });
    expect(calls[ids.busy as string]?.outcome).toBe('busy');
    expect(calls[ids.returned as string]).toMatchObject({
      direction: 'out',
      attribution: { extension: '102', rule: 'placed_by' },
    });
  });

  it('filters by outcome, missed and not returned, extension, direction and client', async () => {
    const ofQuery = async (q: string) => (await log(q)).items.map((e) => e.pbxCallId).sort();
    expect(await ofQuery('outcome=missed')).toEqual([ids.missed, ids.busy].sort());
    expect(await ofQuery('notReturned=true')).toEqual([ids.busy]);
    expect(await ofQuery('extension=102')).toEqual([ids.transferred, ids.returned].sort());
    expect(await ofQuery('direction=out')).toEqual([ids.returned]);
    expect(await ofQuery(`client=${encodeURIComponent(CLIENT_A)}`)).toEqual(
      [ids.answered, ids.transferred].sort(),
    );
    expect(
      await ofQuery(
        `from=${encodeURIComponent('2000-01-01T00:00:00Z')}&to=${encodeURIComponent('2000-01-02T00:00:00Z')}`,
      ),
    ).toEqual([]);
  });

  it('filters by the class of a missed call, for the return window asked, and refuses another window', async () => {
    const ofQuery = async (q: string) => (await log(q)).items.map((e) => e.pbxCallId).sort();
    // B was missed, then 102 called B back at once: returned within any window; C's busy call never was.
    expect(await ofQuery('fate=returned_within_n&within=5')).toEqual([ids.missed]);
    expect(await ofQuery('fate=returned_within_24h&within=5')).toEqual([]);
    expect(await ofQuery('fate=not_returned')).toEqual([ids.busy]);
    expect(await ofQuery('fate=client_called_back')).toEqual([]);
    for (const bad of ['fate=returned_within_n&within=7', 'fate=sometime']) {
      const res = await t.as(t.admin, { method: 'GET', url: `/api/call-log?${bad}` });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('SB_ERR_VALIDATION');
    }
  });

  it('pages with a cursor, newest and oldest first, without a repeat or a gap', async () => {
    for (const order of ['newest', 'oldest']) {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await log(`limit=2&order=${order}${cursor ? `&cursor=${cursor}` : ''}`);
        seen.push(...page.items.map((e) => e.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toHaveLength(5);
      expect(new Set(seen).size).toBe(5);
    }
    const bad = await t.as(t.admin, { method: 'GET', url: '/api/call-log?cursor=not-a-cursor' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('SB_ERR_VALIDATION');
  });

  it('shows a missed call returned by the agent, with its notifications', async () => {
    const all = byPbx((await log('limit=50')).items);
    const missed = all[ids.missed as string] as Entry;
    const res = await t.as(t.admin, { method: 'GET', url: `/api/call-log/${missed.id}` });
    expect(res.statusCode, res.body).toBe(200);
    const detail = res.json();
    expect(detail.missed.classification).toBe('returned_within_n');
    expect(detail.missed.secondsToCallBack).toBeGreaterThan(0);
    expect(detail.legs.map((l: { kind: string }) => l.kind)).toEqual(
      expect.arrayContaining(['start', 'internal', 'end']),
    );
    const busy = all[ids.busy as string] as Entry;
    expect(
      (await t.as(t.admin, { method: 'GET', url: `/api/call-log/${busy.id}` })).json().missed.classification,
    ).toBe('not_returned');
    // Agent 3 handled none of these calls and is responsible for no client.
    expect((await t.as(t.agent3, { method: 'GET', url: `/api/call-log/${busy.id}` })).statusCode).toBe(404);
  });

  it('exports the filtered set as CSV', async () => {
    const res = await t.as(t.admin, { method: 'GET', url: '/api/call-log/export.csv?outcome=missed' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const lines = res.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toContain('attribution_rule');
    expect(lines).toHaveLength(3);
  });

  it('counts, per agent and for the team, exactly the calls the log attributes', async () => {
    const res = await t.as(t.admin, {
      method: 'GET',
      url: `/api/statistics?from=${today}&to=${today}&timeZone=UTC`,
    });
    expect(res.statusCode, res.body).toBe(200);
    const stats = res.json();
    expect(stats.team).toMatchObject({
      inbound: 4,
      outbound: 1,
      answered: 2,
      outboundAnswered: 1,
      missed: 2,
      missedByReason: { no_answer: 1, busy: 1, cancelled: 0, ivr_hangup: 0, blacklisted: 0 },
      answerRate: 0.5,
      talkSecondsTotal: 75,
      missedClassified: { returned_within_n: 1, not_returned: 1, client_called_back: 0 },
    });
    const entries = (await log('limit=50')).items;
    for (const agent of stats.agents as {
      extension: string;
      figures: { inbound: number; outbound: number };
    }[]) {
      const mine = entries.filter((e) => (e.attribution.extension ?? '') === agent.extension);
      expect(agent.figures.inbound + agent.figures.outbound).toBe(mine.length);
    }
    const agent102 = stats.agents.find((a: { extension: string }) => a.extension === '102');
    expect(agent102.user.name).toBe('Tom Two');
    expect(stats.daily.find((d: { day: string }) => d.day === today)).toMatchObject({
      calls: 5,
      answered: 3,
      missed: 2,
    });
    expect(stats.heatmap.reduce((n: number, c: { inbound: number }) => n + c.inbound, 0)).toBe(4);
  });

  it('shows an agent only their own figures', async () => {
    const res = await t.as(t.agent1, { method: 'GET', url: `/api/statistics?from=${today}&to=${today}` });
    expect(res.statusCode, res.body).toBe(200);
    const stats = res.json();
    expect(stats.agents.map((a: { extension: string }) => a.extension)).toEqual(
      stats.team.inbound + stats.team.outbound > 0 ? ['101'] : [],
    );
    const refused = await t.as(t.admin, {
      method: 'GET',
      url: '/api/statistics?from=2026-01-10&to=2026-01-01',
    });
    expect(refused.statusCode).toBe(400);
  });
});
