/**
 * One "missed and not returned" rule: on a seeded scenario, the dashboard's missed calls to return, the
 * missed-calls list, the call log's filter and the statistics' `not_returned` count the very same calls — a
 * later connected call with the number (either way) returns a missed call; an unanswered attempt does not.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../../test-support/test-database.js';
import { type CrmTestContext, openCrmTest } from '../crm/shared/test-crm.js';
import { insertTestCall } from './test-support/test-calls.js';

const HOUR = 3_600_000;

describe.each(TEST_DIALECTS)('missed and not returned, one rule on %s', (dialect) => {
  let t: CrmTestContext;
  beforeAll(async () => {
    t = await openCrmTest(dialect);
  });
  afterAll(async () => {
    await t.close();
  });

  it('is the same set of calls on the dashboard, the missed-calls list, the call log and the statistics', async () => {
    const db = t.database.db;
    // Calls of the last hours, every one on a contact the agent is responsible for (so "mine" everywhere).
    const now = Date.now();
    const ago = (hours: number) => new Date(now - hours * HOUR).toISOString();
    const contactOf = new Map<string, string>();
    for (const [i, e164] of ['+33610000001', '+33610000002', '+33610000003', '+33610000004'].entries()) {
      const res = await t.as(t.agent, {
        method: 'POST',
        url: '/api/contacts',
        payload: { firstName: `Client ${i}`, phones: [{ raw: e164, label: '' }] },
      });
      expect(res.statusCode, res.body).toBe(201);
      contactOf.set(e164, res.json().id);
    }
    const call = (e164: string, hours: number, kind: 'missed' | 'in' | 'out' | 'out-unanswered') =>
      insertTestCall(db, {
        agentUserId: null,
        contactId: contactOf.get(e164) ?? null,
        clientE164: e164,
        at: ago(hours),
        status: kind === 'missed' || kind === 'out-unanswered' ? 'missed' : 'answered',
        direction: kind === 'out' || kind === 'out-unanswered' ? 'outbound' : 'inbound',
      });
    const open: string[] = [];
    // 1: missed twice, never returned.
    open.push(await call('+33610000001', 5, 'missed'), await call('+33610000001', 1, 'missed'));
    // 2: missed, returned by us 20 minutes later.
    await call('+33610000002', 4, 'missed');
    await call('+33610000002', 4 - 1 / 3, 'out');
    // 3: missed, the client called back and was answered.
    await call('+33610000003', 3, 'missed');
    await call('+33610000003', 2, 'in');
    // 4: missed, our call back went unanswered: still to return.
    open.push(await call('+33610000004', 2, 'missed'));
    await call('+33610000004', 1.5, 'out-unanswered');

    const dashboard = (
      await t.as(t.agent, {
        method: 'GET',
        url: `/api/dashboard?todayFrom=${encodeURIComponent(ago(24))}`,
      })
    ).json();
    const toReturn = dashboard.missedToReturn as { clientE164: string; attempts: number }[];
    expect(toReturn.map((m) => m.clientE164).sort()).toEqual(['+33610000001', '+33610000004']);
    expect(toReturn.reduce((n, m) => n + m.attempts, 0)).toBe(open.length);

    const missedList = (await t.as(t.agent, { method: 'GET', url: '/api/calls/missed' })).json();
    expect((missedList.items as { id: string }[]).map((c) => c.id).sort()).toEqual([...open].sort());

    const log = (
      await t.as(t.admin, { method: 'GET', url: '/api/call-log?notReturned=true&limit=50' })
    ).json();
    expect((log.items as { id: string }[]).map((c) => c.id).sort()).toEqual([...open].sort());

    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const statistics = await t.as(t.admin, {
      method: 'GET',
      url: `/api/statistics?from=${day(now - 2 * 86_400_000)}&to=${day(now)}&timeZone=UTC`,
    });
    expect(statistics.statusCode, statistics.body).toBe(200);
    expect(statistics.json().team.missedClassified).toMatchObject({
      not_returned: open.length,
      client_called_back: 1,
      returned_within_n: 1,
    });
  });
});
