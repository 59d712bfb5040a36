/**
 * The return window is a setting: admins change it (one of the choices), everyone reads it, and the statistics
 * count "returned within N minutes" with it at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../../../test-support/test-database.js';
import { type CrmTestContext, openCrmTest } from '../../crm/shared/test-crm.js';
import { insertTestCall } from '../test-support/test-calls.js';

describe.each(TEST_DIALECTS)('the statistics settings on %s', (dialect) => {
  let t: CrmTestContext;
  beforeAll(async () => {
    t = await openCrmTest(dialect);
  });
  afterAll(async () => {
    await t.close();
  });

  it('let an admin choose the return window, refuse agents and odd values, and count with it', async () => {
    const now = Date.now();
    const at = (minutes: number) => new Date(now - 3 * 3_600_000 + minutes * 60_000).toISOString();
    // A missed call returned by us 45 minutes later: within 60 minutes, not within 30.
    await insertTestCall(t.database.db, {
      agentUserId: null,
      contactId: null,
      status: 'missed',
      clientE164: '+33699000001',
      at: at(0),
    });
    await insertTestCall(t.database.db, {
      agentUserId: null,
      contactId: null,
      direction: 'outbound',
      clientE164: '+33699000001',
      at: at(45),
    });
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const classes = async () => {
      const res = await t.as(t.admin, {
        method: 'GET',
        url: `/api/statistics?from=${day(now - 86_400_000)}&to=${day(now)}&timeZone=UTC`,
      });
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as {
        returnWithinMinutes: number;
        team: { missedClassified: Record<string, number> };
      };
    };
    const before = await classes();
    expect(before.returnWithinMinutes).toBe(30);
    expect(before.team.missedClassified).toMatchObject({ returned_within_n: 0, returned_within_24h: 1 });

    const read = await t.as(t.agent, { method: 'GET', url: '/api/statistics/settings' });
    expect(read.statusCode).toBe(200);
    expect(read.json()).toEqual({ returnWithinMinutes: 30, choices: [5, 10, 15, 30, 60, 120, 240] });
    const refused = await t.as(t.agent, {
      method: 'PUT',
      url: '/api/statistics/settings',
      payload: { returnWithinMinutes: 60 },
    });
    expect(refused.statusCode).toBe(403);
    const odd = await t.as(t.admin, {
      method: 'PUT',
      url: '/api/statistics/settings',
      payload: { returnWithinMinutes: 45 },
    });
    expect(odd.statusCode).toBe(400);
    expect(odd.json().error.code).toBe('SB_ERR_VALIDATION');

    const saved = await t.as(t.admin, {
      method: 'PUT',
      url: '/api/statistics/settings',
      payload: { returnWithinMinutes: 60 },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const after = await classes();
    expect(after.returnWithinMinutes).toBe(60);
    expect(after.team.missedClassified).toMatchObject({ returned_within_n: 1, returned_within_24h: 0 });
  });
});
