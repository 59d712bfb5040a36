import { createSimulator, type Simulator } from '@switchboard/zadarma-sim';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../app.js';
import { createTestUser, signInForTest, type TestUser } from '../../../platform/auth/test-sessions.js';
import { loadConfig } from '../../../platform/config/config.js';
import { createSecretBox } from '../../../platform/crypto/secret-box.js';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from '../../../test-support/test-database.js';
import {
  createTelephonyRuntime,
  type TelephonyRuntimeControl,
} from '../adapters/zadarma/telephony-runtime.js';

const KEY = 'test-key-0123456789';
const SECRET = 'sim-secret-3f9a1b2c4d5e6f70';

describe.each(TEST_DIALECTS)('telephony settings API on %s', (dialect) => {
  let database: TestDatabase;
  let simulator: Simulator;
  let app: FastifyInstance;
  let telephony: TelephonyRuntimeControl;
  let admin: TestUser;
  let agent: TestUser;
  let agent2: TestUser;
  const sessions = new Map<string, Record<string, string>>();
  const logLines: string[] = [];

  function as(user: TestUser, request: Omit<InjectOptions, 'headers'>) {
    return app.inject({ ...request, headers: sessions.get(user.id) } as InjectOptions);
  }

  beforeAll(async () => {
    database = await openTestDatabase(dialect);
    simulator = await createSimulator({ key: KEY, secret: SECRET, rateLimits: false });
    const config = loadConfig({ LOG_LEVEL: 'info', PUBLIC_BASE_URL: 'https://crm.example.test' });
    telephony = createTelephonyRuntime({
      db: database.db,
      box: createSecretBox('cd'.repeat(32)),
      config,
      clientOptions: { retry: false },
    });
    app = await buildApp({
      config,
      database,
      telephony,
      logStream: { write: (line) => logLines.push(line) },
    });
    admin = await createTestUser(database.db, { role: 'admin', name: 'Ada Admin' });
    agent = await createTestUser(database.db, { role: 'agent', name: 'Julien Moreau' });
    agent2 = await createTestUser(database.db, { role: 'agent', name: 'Olga Smirnova' });
    for (const user of [admin, agent, agent2]) {
      sessions.set(user.id, (await signInForTest(app, user)).headers);
    }
  });
  afterAll(async () => {
    await app.close();
    await simulator.close();
    await database.cleanup();
  });

  it('starts unconfigured with every feature off', async () => {
    const res = await as(admin, { method: 'GET', url: '/api/telephony/settings' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      mode: 'live',
      configured: false,
      apiKey: null,
      secretSet: false,
      secretHint: null,
      apiBaseUrl: 'https://api.zadarma.com',
      webhookUrl: 'https://crm.example.test/zadarma',
      returnTimeout: 20,
      predictedCallback: false,
      features: {
        autoCreate: false,
        routeToResponsible: false,
        callerName: false,
        missedCallTasks: false,
        blacklist: false,
      },
    });
    const me = await as(agent, { method: 'GET', url: '/api/telephony/me' });
    expect(me.json()).toEqual({ enabled: false, extension: null, predictedCallback: false });
  });

  it('answers 409 SB_ERR_TELEPHONY_NOT_CONFIGURED when Zadarma is needed before credentials exist', async () => {
    const res = await as(admin, { method: 'POST', url: '/api/telephony/test-connection' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('SB_ERR_TELEPHONY_NOT_CONFIGURED');
  });

  it('learns the account timezone from the simulator when an admin saves credentials, and says when it could not', async () => {
    const put = (payload: Record<string, unknown>) =>
      as(admin, { method: 'PUT', url: '/api/telephony/settings', payload });
    expect((await as(admin, { method: 'GET', url: '/api/telephony/settings' })).json().timezone).toBeNull();
    // Nothing listens on port 9: the credentials are saved all the same, the timezone is not known yet.
    const unreachable = await put({ apiKey: KEY, apiSecret: SECRET, apiBaseUrl: 'http://127.0.0.1:9' });
    expect(unreachable.statusCode, unreachable.body).toBe(200);
    expect(unreachable.json()).toMatchObject({ configured: true, timezone: null });
    expect((await telephony.stored()).timezone).toBe('UTC+0');
    // The simulator's account is at UTC+3: learned by the save itself, before any call or connection test.
    const reached = await put({ apiBaseUrl: simulator.url });
    expect(reached.statusCode, reached.body).toBe(200);
    expect(reached.json().timezone).toBe('UTC+3');
    expect((await telephony.stored()).timezone).toBe('UTC+3');
    expect((await as(admin, { method: 'GET', url: '/api/telephony/settings' })).json().timezone).toBe(
      'UTC+3',
    );
    // A secret Zadarma refuses: saved, this account's timezone not confirmed, the stored label kept.
    const refused = await put({ apiSecret: 'not-the-secret-0000' });
    expect(refused.statusCode, refused.body).toBe(200);
    expect(refused.json().timezone).toBeNull();
    expect((await telephony.stored()).timezone).toBe('UTC+3');
    await put({ apiSecret: SECRET, secretLeaked: true });
  });

  it("forgets the previous account's timezone when another account's key is saved, until that account answers", async () => {
    const put = (payload: Record<string, unknown>) =>
      as(admin, { method: 'PUT', url: '/api/telephony/settings', payload });
    const shown = async () =>
      (await as(admin, { method: 'GET', url: '/api/telephony/settings' })).json().timezone;
    expect(await shown()).toBe('UTC+3');
    // Another account, which does not answer the timezone call (the simulator knows only its own key).
    const other = await put({ apiKey: 'another-account-key-0000', apiSecret: 'another-account-secret-0' });
    expect(other.statusCode, other.body).toBe(200);
    expect(other.json().timezone).toBeNull();
    expect(await shown()).toBeNull();
    expect(await telephony.stored()).toMatchObject({ timezone: 'UTC+0', timezoneLearnedAt: null });
    // The webhook path reads it as unconfirmed too (the widened freshness window).
    expect(await telephony.accountTimezone()).toEqual({ label: 'UTC+0', confirmed: false });
    // Back to the simulator's account: the save learns its timezone again.
    const back = await put({ apiKey: KEY, apiSecret: SECRET, secretLeaked: true });
    expect(back.json().timezone).toBe('UTC+3');
    // The same key with a new secret is the same account: what it told stays confirmed on the page.
    await put({ apiKey: KEY, apiSecret: 'not-the-secret-0000' });
    expect(await shown()).toBe('UTC+3');
    await put({ apiSecret: SECRET, secretLeaked: true });
    expect(await shown()).toBe('UTC+3');
  });

  it('stores the secret encrypted, never returns or logs it, and shows only a hint', async () => {
    const res = await as(admin, {
      method: 'PUT',
      url: '/api/telephony/settings',
      payload: {
        apiKey: KEY,
        apiSecret: SECRET,
        apiBaseUrl: simulator.url,
        defaultResponsibleUserId: agent.id,
        features: { routeToResponsible: true, blacklist: true },
        ipAllowList: { enabled: true, cidrs: ['185.45.152.40/30'] },
      },
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain(SECRET);
    expect(res.json()).toMatchObject({
      configured: true,
      apiKey: KEY,
      secretSet: true,
      secretHint: '••••••6f70',
      apiBaseUrl: simulator.url,
      defaultResponsibleUserId: agent.id,
      ipAllowList: { enabled: true, cidrs: ['185.45.152.40/30'], trustedProxies: [] },
      features: { routeToResponsible: true, blacklist: true, callerName: false, autoCreate: false },
    });
    const raw = await database.db
      .selectFrom('settings')
      .select('value')
      .where('key', '=', 'telephony.apiSecret')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(raw.value)).toMatch(/^v1:/);
    expect(raw.value).not.toContain(SECRET);
    const again = await as(admin, { method: 'GET', url: '/api/telephony/settings' });
    expect(again.body).not.toContain(SECRET);
    expect(again.json().secretSet).toBe(true);
    expect((await telephony.settings()).apiSecret).toBe(SECRET);
    expect(logLines.join('\n')).not.toContain(SECRET);
    // A change that leaves the secret out keeps it.
    await as(admin, { method: 'PUT', url: '/api/telephony/settings', payload: { returnTimeout: 15 } });
    expect((await telephony.settings()).apiSecret).toBe(SECRET);
  });

  it('shows the previous secret accepted for a grace after a rotation, never when the admin says it leaked', async () => {
    const put = (payload: Record<string, unknown>) =>
      as(admin, { method: 'PUT', url: '/api/telephony/settings', payload });
    const before = Date.now();
    const rotated = await put({ apiSecret: 'rotated-secret-00001111' });
    expect(rotated.statusCode).toBe(200);
    const grace = rotated.json().previousSecretGrace;
    expect(grace).toMatchObject({ hint: '••••••6f70', uses: 0 });
    expect(Date.parse(grace.acceptedUntil)).toBeGreaterThanOrEqual(before + 10 * 60 * 1000);
    expect(rotated.body).not.toContain(SECRET);
    expect((await telephony.settings()).previousSecret).toBe(SECRET);
    // The old secret leaked: back to the original one with no grace for the rotated one.
    const leaked = await put({ apiSecret: SECRET, secretLeaked: true });
    expect(leaked.json().previousSecretGrace).toBeNull();
    expect((await telephony.settings()).previousSecret).toBeNull();
  });

  it('refuses a bad CIDR with 400 naming it', async () => {
    const res = await as(admin, {
      method: 'PUT',
      url: '/api/telephony/settings',
      payload: { ipAllowList: { cidrs: ['10.0.0.0/8', '300.1.2.3/40'] } },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('SB_ERR_VALIDATION');
    expect(res.json().error.message).toContain('300.1.2.3/40');
  });

  it('refuses a return timeout of 1 or 2 seconds', async () => {
    const res = await as(admin, {
      method: 'PUT',
      url: '/api/telephony/settings',
      payload: { returnTimeout: 2 },
    });
    expect(res.statusCode).toBe(400);
  });

  it('shows an account in UTC+0 as confirmed once Zadarma told it, though UTC+0 is the never-asked default', async () => {
    const account = simulator.state.account as { timezone: string };
    account.timezone = 'UTC+0';
    try {
      const res = await as(admin, { method: 'POST', url: '/api/telephony/test-connection' });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().timezone).toBe('UTC+0');
      expect((await as(admin, { method: 'GET', url: '/api/telephony/settings' })).json().timezone).toBe(
        'UTC+0',
      );
    } finally {
      account.timezone = 'UTC+3';
      await as(admin, { method: 'POST', url: '/api/telephony/test-connection' });
    }
  });

  it('tests the connection: balance, currency and the account timezone from Zadarma', async () => {
    const res = await as(admin, { method: 'POST', url: '/api/telephony/test-connection' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      ok: true,
      balance: simulator.state.account.balance,
      currency: simulator.state.account.currency,
      timezone: 'UTC+3',
    });
    // Stored by the connection test: the processing path reads it without asking Zadarma.
    expect(await telephony.timezone()).toBe('UTC+3');
    const balance = await as(admin, { method: 'GET', url: '/api/telephony/balance' });
    expect(balance.json()).toEqual({
      balance: simulator.state.account.balance,
      currency: simulator.state.account.currency,
    });
  });

  it("reports Zadarma's exact error on a wrong secret", async () => {
    await as(admin, {
      method: 'PUT',
      url: '/api/telephony/settings',
      payload: { apiSecret: 'wrong-secret-000000' },
    });
    const res = await as(admin, { method: 'POST', url: '/api/telephony/test-connection' });
    expect(res.statusCode).toBe(502);
    expect(res.json().error).toEqual({ code: 'SB_ERR_ZADARMA_UNAUTHORIZED', message: 'Not authorized' });
    await as(admin, { method: 'PUT', url: '/api/telephony/settings', payload: { apiSecret: SECRET } });
  });

  it('lists the extensions with their online status and assigned users', async () => {
    simulator.setExtensionOnline('104', false);
    const assigned = await as(admin, {
      method: 'PUT',
      url: '/api/telephony/extensions/101',
      payload: { userId: agent.id },
    });
    expect(assigned.statusCode).toBe(200);
    expect(assigned.json()).toMatchObject({ extension: '101', userId: agent.id, userName: 'Julien Moreau' });
    const res = await as(admin, { method: 'GET', url: '/api/telephony/extensions' });
    expect(res.statusCode).toBe(200);
    const items = res.json().items as { extension: string; online: boolean | null; userId: string | null }[];
    expect(items.map((i) => i.extension)).toEqual(['100', '101', '102', '103', '104', '105']);
    expect(items.find((i) => i.extension === '104')?.online).toBe(false);
    expect(items.find((i) => i.extension === '100')?.online).toBe(true);
    expect(items.find((i) => i.extension === '101')).toEqual({
      extension: '101',
      online: true,
      userId: agent.id,
      userName: 'Julien Moreau',
    });
    const me = await as(agent, { method: 'GET', url: '/api/telephony/me' });
    expect(me.json()).toEqual({ enabled: true, extension: '101', predictedCallback: false });
  });

  it('refuses to assign a taken extension or a user who already has one, naming the holder', async () => {
    const taken = await as(admin, {
      method: 'PUT',
      url: '/api/telephony/extensions/101',
      payload: { userId: agent2.id },
    });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error).toMatchObject({ code: 'SB_ERR_CONFLICT' });
    expect(taken.json().error.message).toContain('Julien Moreau');
    const busyUser = await as(admin, {
      method: 'PUT',
      url: '/api/telephony/extensions/102',
      payload: { userId: agent.id },
    });
    expect(busyUser.statusCode).toBe(409);
    expect(busyUser.json().error.message).toBe('Julien Moreau already has extension 101');
    const freed = await as(admin, {
      method: 'PUT',
      url: '/api/telephony/extensions/101',
      payload: { userId: null },
    });
    expect(freed.json()).toMatchObject({ extension: '101', userId: null });
    const moved = await as(admin, {
      method: 'PUT',
      url: '/api/telephony/extensions/102',
      payload: { userId: agent.id },
    });
    expect(moved.statusCode).toBe(200);
  });

  it('keeps a blacklist of numbers normalised to E.164', async () => {
    const added = await as(admin, {
      method: 'POST',
      url: '/api/telephony/blacklist',
      payload: { number: '06 12 34 56 78', reason: 'spam' },
    });
    expect(added.statusCode).toBe(201);
    expect(added.json()).toMatchObject({ e164: '+33612345678', reason: 'spam' });
    const bad = await as(admin, {
      method: 'POST',
      url: '/api/telephony/blacklist',
      payload: { number: '12' },
    });
    expect(bad.statusCode).toBe(400);
    const list = await as(admin, { method: 'GET', url: '/api/telephony/blacklist' });
    expect(list.json().items).toEqual([
      expect.objectContaining({ id: added.json().id, e164: '+33612345678' }),
    ]);
    const removed = await as(admin, { method: 'DELETE', url: `/api/telephony/blacklist/${added.json().id}` });
    expect(removed.statusCode).toBe(204);
    const gone = await as(admin, { method: 'DELETE', url: `/api/telephony/blacklist/${added.json().id}` });
    expect(gone.statusCode).toBe(404);
  });

  it('refuses a caller-name template naming an unknown field, with the field named, and keeps a good one', async () => {
    const bad = await as(admin, {
      method: 'PUT',
      url: '/api/telephony/settings',
      payload: { callerNameFormat: { template: '{compnay} — {contact}' } },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details).toEqual([
      {
        path: 'callerNameFormat.template',
        message: expect.stringContaining('unknown field {compnay}'),
        // What the admin page says it with, in the reader's language.
        reason: 'template_field_unknown',
        params: { field: '{compnay}', known: expect.stringContaining('{contact}') },
      },
    ]);
    const label = await as(admin, {
      method: 'PUT',
      url: '/api/telephony/settings',
      payload: { callerNameFormat: { missedLabel: 'Missed {contact}' } },
    });
    expect(label.json().error.details[0].path).toBe('callerNameFormat.missedLabel');
    const good = await as(admin, {
      method: 'PUT',
      url: '/api/telephony/settings',
      payload: {
        callerNameFormat: { template: '{vip} {contact} ({dealStage})', maxLength: 24, transliterate: true },
        blacklistAction: 'hangup',
        routing: {
          steps: [
            { step: 'contact', enabled: true },
            { step: 'deal', enabled: false },
          ],
          lastAgentDays: 7,
          workingHours: {
            [agent.id]: { days: [1, 2, 3], from: '09:00', to: '17:30', timeZone: 'Europe/Paris' },
          },
        },
      },
    });
    expect(good.statusCode, good.body).toBe(200);
    expect(good.json()).toMatchObject({
      callerNameFormat: { template: '{vip} {contact} ({dealStage})', maxLength: 24, transliterate: true },
      blacklistAction: 'hangup',
      routing: {
        lastAgentDays: 7,
        steps: [
          { step: 'contact', enabled: true },
          { step: 'deal', enabled: false },
        ],
      },
    });
    const zone = await as(admin, {
      method: 'PUT',
      url: '/api/telephony/settings',
      payload: {
        routing: {
          workingHours: { [agent.id]: { days: [1], from: '09:00', to: '17:00', timeZone: 'Mars/Base' } },
        },
      },
    });
    expect(zone.json().error.details[0].path).toBe(`routing.workingHours.${agent.id}.timeZone`);
    const twice = await as(admin, {
      method: 'PUT',
      url: '/api/telephony/settings',
      payload: {
        routing: {
          steps: [
            { step: 'deal', enabled: true },
            { step: 'deal', enabled: false },
          ],
        },
      },
    });
    expect(twice.statusCode).toBe(400);
  });

  it('blocks prefixes until a date, refuses our own numbers and past expiries, and tells whether a number is blocked', async () => {
    const prefix = await as(admin, {
      method: 'POST',
      url: '/api/telephony/blacklist',
      payload: {
        number: '+7 800',
        isPrefix: true,
        reason: 'toll-free spam',
        expiresAt: '2099-01-01T00:00:00Z',
      },
    });
    expect(prefix.statusCode, prefix.body).toBe(201);
    expect(prefix.json()).toMatchObject({
      e164: '+7800',
      isPrefix: true,
      createdByName: admin.name,
      expiresAt: '2099-01-01T00:00:00.000Z',
      blockedCalls: 0,
    });
    const own = simulator.state.numbers[0]?.number ?? '';
    const ours = await as(admin, {
      method: 'POST',
      url: '/api/telephony/blacklist',
      payload: { number: `+${own}` },
    });
    expect(ours.statusCode).toBe(400);
    expect(ours.json().error.message).toContain('one of our own numbers');
    // The reason and the number let the web say it in the agent's language.
    expect(ours.json().error.details).toEqual([
      { path: 'number', message: expect.any(String), reason: 'number_own', params: { number: `+${own}` } },
    ]);
    const past = await as(agent, {
      method: 'POST',
      url: '/api/telephony/blacklist',
      payload: { number: '+33 6 99 99 99 99', expiresAt: '2020-01-01T00:00:00Z' },
    });
    expect(past.json().error.details).toEqual([
      { path: 'expiresAt', message: expect.stringContaining('past'), reason: 'expiry_past' },
    ]);
    const blocking = await as(agent, {
      method: 'GET',
      url: '/api/telephony/blacklist/blocking?numbers=%2B78001234567,%2B33612345000',
    });
    expect(blocking.json().items).toEqual([
      expect.objectContaining({ e164: '+7800', reason: 'toll-free spam' }),
    ]);
    const list = await as(admin, { method: 'GET', url: '/api/telephony/blacklist?q=%2B7800' });
    expect(list.json()).toMatchObject({ blockedCalls: 0, items: [{ e164: '+7800' }] });
    await as(admin, { method: 'DELETE', url: `/api/telephony/blacklist/${prefix.json().id}` });
  });

  it('refuses agents with 403 on every telephony admin route', async () => {
    const routes = app.adminRoutes.filter((route) => route.url.startsWith('/api/telephony'));
    expect(routes.map((route) => `${route.method} ${route.url}`)).toEqual(
      expect.arrayContaining([
        'GET /api/telephony/settings',
        'PUT /api/telephony/settings',
        'POST /api/telephony/test-connection',
        'POST /api/telephony/register-webhook',
        'GET /api/telephony/balance',
        'GET /api/telephony/extensions',
        'PUT /api/telephony/extensions/:extension',
        'GET /api/telephony/blacklist',
        'DELETE /api/telephony/blacklist/:id',
      ]),
    );
    // Agents block a caller from a popup, the call log or a contact, but never a whole prefix.
    expect(routes.map((route) => `${route.method} ${route.url}`)).not.toContain(
      'POST /api/telephony/blacklist',
    );
    const prefix = await as(agent, {
      method: 'POST',
      url: '/api/telephony/blacklist',
      payload: { number: '+7 800', isPrefix: true },
    });
    expect(prefix.statusCode).toBe(403);
    for (const route of routes) {
      const res = await as(agent, {
        method: route.method as 'GET',
        url: route.url.replace(/:(\w+)/g, '101'),
        ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { payload: {} }),
      });
      expect({ route, status: res.statusCode }).toEqual({ route, status: 403 });
    }
  });

  it('answers 404 on the demo routes outside demo mode', async () => {
    const status = await as(admin, { method: 'GET', url: '/api/demo/status' });
    expect(status.statusCode).toBe(404);
    const call = await as(agent, { method: 'POST', url: '/api/demo/calls/inbound', payload: {} });
    expect(call.statusCode).toBe(404);
  });
});
