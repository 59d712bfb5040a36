/**
 * Who sees which calls, on both databases, against the simulator: with the admins' "agents see all calls" switch
 * off, another agent gets 404 for a call's page and transcript, 403 for its recording, and neither the call in the
 * log nor its agent in the statistics; switched on, the same requests answer 200 and show it; off again, hidden.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../../test-support/test-database.js';
import { until } from '../../test-support/until.js';
import { useTelephonyTest } from './test-support/test-telephony.js';

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

describe.each(TEST_DIALECTS)('"agents see all calls" on %s', (dialect) => {
  const t = useTelephonyTest(dialect, { jobs: true });
  let callId: string;

  beforeAll(async () => {
    // Olga One (extension 101) takes a recorded call; Tom Two (102) is the other agent.
    const { pbxCallId } = t.sim.placeInbound({
      from: '+33655500011',
      to: '442037691999',
      answer: '101',
      talkSeconds: 3,
    });
    await t.settle(t.sim, pbxCallId);
    const call = await t.live.adapters.calls.get(pbxCallId);
    callId = call?.id ?? '';
    await until(async () => {
      const r = await t.live.vault.recordings.latestForCall(callId);
      return r?.status === 'stored' ? r : null;
    }, 'the copy');
  }, 60_000);

  /** What Tom Two gets for Olga's call, route by route. */
  async function whatTheOtherAgentGets() {
    const page = await t.as(t.agent2, { method: 'GET', url: `/api/call-log/${callId}` });
    const log = await t.as(t.agent2, { method: 'GET', url: '/api/call-log?limit=200' });
    const recording = await t.as(t.agent2, { method: 'GET', url: `/api/calls/${callId}/recording` });
    const summary = await t.as(t.agent2, { method: 'GET', url: `/api/calls/${callId}/recording/summary` });
    const transcript = await t.as(t.agent2, { method: 'GET', url: `/api/calls/${callId}/transcript` });
    const statistics = await t.as(t.agent2, {
      method: 'GET',
      url: `/api/statistics?from=${day(-1)}&to=${day(1)}&timeZone=UTC`,
    });
    return {
      page: page.statusCode,
      inLog: (log.json() as { items: { id: string }[] }).items.some((i) => i.id === callId),
      recording: recording.statusCode,
      summary: summary.statusCode,
      transcript: transcript.statusCode,
      statisticsAgents: (statistics.json() as { agents: { extension: string }[] }).agents.map(
        (a) => a.extension,
      ),
    };
  }

  it('hides another agent’s call by default, on every route', async () => {
    const own = await t.as(t.agent1, { method: 'GET', url: `/api/call-log/${callId}` });
    expect(own.statusCode).toBe(200);
    expect(await whatTheOtherAgentGets()).toEqual({
      page: 404,
      inLog: false,
      recording: 403,
      summary: 404,
      transcript: 404,
      statisticsAgents: [],
    });
  });

  it('lets only admins change the switch', async () => {
    const read = await t.as(t.admin, { method: 'GET', url: '/api/telephony/call-visibility' });
    expect(read.json()).toEqual({ agentsSeeAllCalls: false });
    for (const method of ['GET', 'PUT'] as const) {
      const refused = await t.as(t.agent2, {
        method,
        url: '/api/telephony/call-visibility',
        ...(method === 'PUT' ? { payload: { agentsSeeAllCalls: true } } : {}),
      });
      expect(refused.statusCode).toBe(403);
    }
    const bad = await t.as(t.admin, {
      method: 'PUT',
      url: '/api/telephony/call-visibility',
      payload: { agentsSeeAllCalls: 'yes' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('SB_ERR_VALIDATION');
  });

  it('shows every call to every agent once it is on, and hides it again once it is off', async () => {
    const on = await t.as(t.admin, {
      method: 'PUT',
      url: '/api/telephony/call-visibility',
      payload: { agentsSeeAllCalls: true },
    });
    expect(on.json()).toEqual({ agentsSeeAllCalls: true });
    const seen = await whatTheOtherAgentGets();
    expect(seen).toMatchObject({ page: 200, inLog: true, recording: 200, summary: 200, transcript: 200 });
    expect(seen.statisticsAgents).toContain('101');
    // The listen is audited as Tom's, allowed.
    const audit = await t.as(t.admin, { method: 'GET', url: '/api/admin/recordings-audit' });
    expect((audit.json() as { items: { userName: string; outcome: string }[] }).items[0]).toMatchObject({
      userName: 'Tom Two',
      outcome: 'allowed',
    });

    await t.as(t.admin, {
      method: 'PUT',
      url: '/api/telephony/call-visibility',
      payload: { agentsSeeAllCalls: false },
    });
    expect(await whatTheOtherAgentGets()).toMatchObject({ page: 404, inLog: false, recording: 403 });
  });
});
