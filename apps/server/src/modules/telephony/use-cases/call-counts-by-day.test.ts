import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../../../test-support/test-database.js';
import { type CrmTestContext, openCrmTest } from '../../crm/shared/test-crm.js';
import { insertTestCall } from '../test-support/test-calls.js';
import { isTimeZone, localDayStarts } from './call-counts-by-day.js';

const DAY_MS = 86_400_000;

describe('localDayStarts', () => {
  it('cuts days at local midnight across a DST change (a 23-hour day in Paris)', () => {
    const starts = localDayStarts('Europe/Paris', 3, new Date('2025-03-31T10:00:00Z'));
    expect(starts.map((s) => [s.day, s.start.toISOString()])).toEqual([
      ['2025-03-29', '2025-03-28T23:00:00.000Z'],
      ['2025-03-30', '2025-03-29T23:00:00.000Z'],
      ['2025-03-31', '2025-03-30T22:00:00.000Z'],
      ['2025-04-01', '2025-03-31T22:00:00.000Z'],
    ]);
  });

  it('uses the zone’s own date for today, including half-hour offsets', () => {
    // 20:00 UTC is already the next day in Kolkata (UTC+5:30).
    const starts = localDayStarts('Asia/Kolkata', 1, new Date('2025-06-10T20:00:00Z'));
    expect(starts.map((s) => [s.day, s.start.toISOString()])).toEqual([
      ['2025-06-11', '2025-06-10T18:30:00.000Z'],
      ['2025-06-12', '2025-06-11T18:30:00.000Z'],
    ]);
  });

  it('knows real zones and refuses made-up ones', () => {
    expect(isTimeZone('America/New_York')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(isTimeZone('')).toBe(false);
  });
});

describe.each(TEST_DIALECTS)('GET /api/calls/counts-by-day on %s', (dialect) => {
  let t: CrmTestContext;
  let ringing = '';
  const todayStart = new Date(new Date().toISOString().slice(0, 10)).getTime();
  const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const today = dayOf(todayStart);
  const tenDaysAgo = dayOf(todayStart - 10 * DAY_MS);

  beforeAll(async () => {
    t = await openCrmTest(dialect);
    const db = t.database.db;
    // More calls today than the call log's largest page: the chart must count them all.
    for (let i = 0; i < 130; i++) {
      await insertTestCall(db, {
        agentUserId: t.otherAgent.id,
        contactId: null,
        at: new Date(todayStart + i).toISOString(),
      });
    }
    const agentsCalls: string[] = [];
    for (let i = 0; i < 3; i++) {
      agentsCalls.push(
        await insertTestCall(db, {
          agentUserId: t.agent.id,
          contactId: null,
          at: new Date(todayStart - 10 * DAY_MS + 3_600_000).toISOString(),
        }),
      );
    }
    await db
      .updateTable('calls')
      .set({ status: 'missed' })
      .where('id', '=', agentsCalls[0] ?? '')
      .execute();
    await db
      .updateTable('calls')
      .set({ status: 'busy' })
      .where('id', '=', agentsCalls[1] ?? '')
      .execute();
    // Outside the 14 days, and a call still ringing: neither is counted.
    await insertTestCall(db, {
      agentUserId: t.agent.id,
      contactId: null,
      at: new Date(todayStart - 20 * DAY_MS).toISOString(),
    });
    ringing = await insertTestCall(db, {
      agentUserId: t.agent.id,
      contactId: null,
      at: new Date(todayStart).toISOString(),
    });
    await db.updateTable('calls').set({ status: 'ringing' }).where('id', '=', ringing).execute();
  });
  afterAll(async () => {
    await t.close();
  });

  async function countsAs(user: CrmTestContext['admin'], query = '?days=14&timeZone=UTC') {
    const res = await t.as(user, { method: 'GET', url: `/api/calls/counts-by-day${query}` });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as { items: { day: string; answered: number; missed: number }[] };
    return body.items;
  }

  it('counts every call of the last 14 days per day, not the last page of the log', async () => {
    const items = await countsAs(t.admin);
    expect(items).toHaveLength(14);
    expect(items.at(-1)?.day).toBe(today);
    const byDay = new Map(items.map((i) => [i.day, i]));
    expect(byDay.get(today)).toEqual({ day: today, answered: 130, missed: 0 });
    expect(byDay.get(tenDaysAgo)).toEqual({ day: tenDaysAgo, answered: 1, missed: 2 });
    const total = items.reduce((sum, i) => sum + i.answered + i.missed, 0);
    expect(total).toBe(133);
  });

  it('counts for an agent only the calls the call log shows them', async () => {
    const items = await countsAs(t.agent);
    const total = items.reduce((sum, i) => sum + i.answered + i.missed, 0);
    expect(total).toBe(3);
    const log = await t.as(t.agent, { method: 'GET', url: '/api/calls?pageSize=200' });
    // The log lists the ringing call too; the chart counts only finished ones.
    const inRange = (log.json() as { items: { id: string; startedAt: string }[] }).items.filter(
      (c) => c.startedAt >= new Date(todayStart - 13 * DAY_MS).toISOString() && c.id !== ringing,
    );
    expect(inRange).toHaveLength(total);
  });

  it('refuses an unknown time zone and a range beyond a quarter, naming the field', async () => {
    for (const query of ['?timeZone=Mars%2FOlympus', '?days=400']) {
      const res = await t.as(t.admin, { method: 'GET', url: `/api/calls/counts-by-day${query}` });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('SB_ERR_VALIDATION');
    }
  });
});
