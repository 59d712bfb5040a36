import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../app.js';
import { createTestUser, signInForTest, type TestUser } from '../../../platform/auth/test-sessions.js';
import { loadConfig } from '../../../platform/config/config.js';
import { createSecretBox } from '../../../platform/crypto/secret-box.js';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from '../../../test-support/test-database.js';
import { createTelephonyRuntime } from '../adapters/zadarma/telephony-runtime.js';

const EVERY_CALL = [
  {
    direction: 'any',
    outcome: 'any',
    minTalkSeconds: 0,
    action: 'lead',
    pipelineId: null,
    stageId: null,
    assignTo: 'default',
  },
];

describe.each(TEST_DIALECTS)('after-call API on %s', (dialect) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let admin: TestUser;
  let agent: TestUser;
  const sessions = new Map<string, Record<string, string>>();

  function as(user: TestUser, request: Omit<InjectOptions, 'headers'>) {
    return app.inject({ ...request, headers: sessions.get(user.id) } as InjectOptions);
  }

  beforeAll(async () => {
    database = await openTestDatabase(dialect);
    const config = loadConfig({ LOG_LEVEL: 'silent' });
    const telephony = createTelephonyRuntime({
      db: database.db,
      box: createSecretBox('ab'.repeat(32)),
      config,
    });
    app = await buildApp({ config, database, telephony });
    admin = await createTestUser(database.db, { role: 'admin', name: 'Ada Admin' });
    agent = await createTestUser(database.db, { role: 'agent', name: 'Julien Moreau' });
    for (const user of [admin, agent]) {
      sessions.set(user.id, (await signInForTest(app, user)).headers);
    }
  });
  afterAll(async () => {
    await app.close();
    await database.cleanup();
  });

  it('starts with both switches off, a 15-minute due time and rules that create nothing for a junk call', async () => {
    const settings = await as(admin, { method: 'GET', url: '/api/telephony/settings' });
    expect(settings.json().features).toMatchObject({ autoCreate: false, missedCallTasks: false });
    const res = await as(admin, { method: 'GET', url: '/api/telephony/after-call' });
    expect(res.statusCode).toBe(200);
    expect(res.json().missedCallDueMinutes).toBe(15);
    expect(res.json().newCallerRules.map((r: { action: string }) => r.action)).toEqual(['contact', 'inbox']);
    expect((await as(agent, { method: 'GET', url: '/api/telephony/after-call' })).statusCode).toBe(403);
  });

  it('asks for a confirmation before saving rules that create a record for every call', async () => {
    const refused = await as(admin, {
      method: 'PUT',
      url: '/api/telephony/after-call',
      payload: { newCallerRules: EVERY_CALL },
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({
      code: 'SB_ERR_CONFIRMATION_REQUIRED',
      details: [{ path: 'confirmCreateForEveryCall' }],
    });
    const confirmed = await as(admin, {
      method: 'PUT',
      url: '/api/telephony/after-call',
      payload: { newCallerRules: EVERY_CALL, confirmCreateForEveryCall: true },
    });
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.json().newCallerRules).toEqual(EVERY_CALL);
  });

  it('refuses a deal rule naming a stage that does not exist, and a due time out of range', async () => {
    const badStage = await as(admin, {
      method: 'PUT',
      url: '/api/telephony/after-call',
      payload: {
        newCallerRules: [{ ...EVERY_CALL[0], direction: 'in', action: 'deal', stageId: 'no-such-stage' }],
      },
    });
    expect(badStage.statusCode).toBe(400);
    expect(badStage.json().error.details).toEqual([
      expect.objectContaining({ path: 'newCallerRules.0.stageId' }),
    ]);
    const pipelines = (await as(admin, { method: 'GET', url: '/api/pipelines' })).json() as {
      id: string;
      stages: { id: string; kind: string }[];
    }[];
    const stage = pipelines[0]?.stages.find((s) => s.kind === 'open');
    const good = await as(admin, {
      method: 'PUT',
      url: '/api/telephony/after-call',
      payload: {
        newCallerRules: [
          {
            ...EVERY_CALL[0],
            direction: 'in',
            action: 'deal',
            pipelineId: pipelines[0]?.id,
            stageId: stage?.id,
          },
        ],
      },
    });
    expect(good.statusCode).toBe(200);
    const due = await as(admin, {
      method: 'PUT',
      url: '/api/telephony/after-call',
      payload: { missedCallDueMinutes: 0 },
    });
    expect(due.statusCode).toBe(400);
    expect(due.json().error.details[0].path).toBe('missedCallDueMinutes');
  });

  it('lets a signed-in agent decide about a waiting number once; a second decision is a conflict', async () => {
    const now = new Date().toISOString();
    await database.db
      .insertInto('new_callers')
      .values({
        client_e164: '+33612345678',
        status: 'pending',
        calls: 2,
        short_calls: 2,
        first_call_id: 'c1',
        last_call_id: 'c2',
        last_direction: 'inbound',
        last_status: 'missed',
        agent_user_id: null,
        record_type: null,
        record_id: null,
        decided_by: null,
        decided_at: null,
        first_call_at: now,
        last_call_at: now,
      })
      .execute();
    const list = await as(agent, { method: 'GET', url: '/api/new-callers' });
    expect(list.json().items).toEqual([
      expect.objectContaining({ clientE164: '+33612345678', calls: 2, spamHint: false }),
    ]);
    const accepted = await as(agent, {
      method: 'POST',
      url: '/api/new-callers/accept',
      payload: { number: '+33612345678', kind: 'lead' },
    });
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json().recordType).toBe('lead');
    const lead = await as(agent, { method: 'GET', url: `/api/leads/${accepted.json().recordId}` });
    expect(lead.json()).toMatchObject({ responsibleUserId: agent.id, source: 'call' });
    const again = await as(agent, {
      method: 'POST',
      url: '/api/new-callers/decline',
      payload: { number: '+33612345678' },
    });
    expect(again.statusCode).toBe(409);
    const hostile = await as(agent, {
      method: 'POST',
      url: '/api/new-callers/decline',
      payload: { number: "'; drop table new_callers; --" },
    });
    expect(hostile.statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: '/api/new-callers' })).statusCode).toBe(401);
  });
});
