import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSimulator } from '@switchboard/zadarma-sim';
import type { InjectOptions } from 'fastify';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestUser, signInForTest } from '../../platform/auth/test-sessions.js';
import { MISSING_SECRET_KEY_MESSAGE } from '../../platform/crypto/secret-key.js';
import { type RunningServer, startServer } from '../../server.js';
import { TEST_DATABASE_URL, TEST_DIALECTS } from '../../test-support/test-database.js';

const SECRET_KEY = 'ef'.repeat(32);

/** A fresh, empty database for a real start: a temp data dir (SQLite) or a throwaway schema (PostgreSQL). */
async function freshEnv(dialect: 'sqlite' | 'postgres', cleanups: (() => Promise<void>)[]) {
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-telephony-'));
  cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
  const env: Record<string, string> = {
    DATA_DIR: dataDir,
    WEB_DIST_DIR: join(dataDir, 'no-web'),
    LOG_LEVEL: 'info',
    SIMULATOR_PORT: '0',
  };
  if (dialect === 'postgres') {
    const schema = `t_${Math.random().toString(16).slice(2, 14)}`;
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
    const url = new URL(TEST_DATABASE_URL);
    url.searchParams.set('options', `-c search_path=${schema}`);
    env.DATABASE_URL = url.toString();
    cleanups.push(async () => {
      const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await c.end();
    });
  }
  return env;
}

function logCollector() {
  const lines: string[] = [];
  return {
    stream: { write: (line: string) => lines.push(line) },
    text: () => lines.map((l) => (JSON.parse(l) as { msg: string }).msg).join('\n'),
  };
}

describe.each(TEST_DIALECTS)('telephony at start-up on %s', (dialect) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) {
      await cleanup();
    }
  });

  it('refuses to start outside demo mode without SECRET_KEY, saying how to make one', async () => {
    const env = await freshEnv(dialect, cleanups);
    await expect(
      startServer({ env: { ...env, DEMO: '0' }, port: 0, logStream: { write() {} } }),
    ).rejects.toThrow(MISSING_SECRET_KEY_MESSAGE);
    expect(MISSING_SECRET_KEY_MESSAGE).toContain('openssl rand -hex 32');
  });

  it('refuses a malformed SECRET_KEY at configuration time', async () => {
    const env = await freshEnv(dialect, cleanups);
    await expect(
      startServer({ env: { ...env, DEMO: '0', SECRET_KEY: 'short' }, port: 0, logStream: { write() {} } }),
    ).rejects.toThrow(/SECRET_KEY: must be 32 bytes/);
  });

  it('demo mode starts the simulator, connects to it and maps the demo agents to extensions', async () => {
    const env = await freshEnv(dialect, cleanups);
    const log = logCollector();
    let server: RunningServer | null = await startServer({ env, port: 0, logStream: log.stream });
    cleanups.push(async () => server?.close());
    const simulator = server.telephony.simulator;
    expect(simulator).not.toBeNull();
    expect(server.telephony.mode).toBe('demo');
    const message = log.text();
    expect(message).toContain(`built-in Zadarma simulator runs on ${simulator?.url}`);
    expect(message).toContain(`curl -s -X POST ${simulator?.url}/_sim/calls/inbound`);

    const settings = await server.telephony.settings();
    expect(settings).toMatchObject({
      mode: 'demo',
      configured: true,
      apiBaseUrl: simulator?.url,
      webhookUrl: `${server.url}/zadarma`,
      features: {
        routeToResponsible: true,
        callerName: true,
        blacklist: true,
        autoCreate: true,
        missedCallTasks: true,
      },
    });
    const users = await server.database.db.selectFrom('users').select(['id', 'email']).execute();
    const idOf = (email: string) => users.find((u) => u.email === email)?.id;
    expect(settings.defaultResponsibleUserId).toBe(idOf('agent1@example.com'));

    const inject = (request: InjectOptions) => (server as RunningServer).app.inject(request);
    const asAdmin = await signInForTest(server.app, { email: 'admin@example.com', password: 'demo' });
    const extensions = await inject({
      method: 'GET',
      url: '/api/telephony/extensions',
      headers: asAdmin.headers,
    });
    expect(extensions.statusCode).toBe(200);
    const mapped = (
      extensions.json().items as { extension: string; userId: string | null; online: boolean }[]
    )
      .filter((i) => i.userId !== null)
      .map((i) => [i.extension, i.userId, i.online]);
    expect(mapped).toEqual([
      ['100', idOf('admin@example.com'), true],
      ['101', idOf('agent1@example.com'), true],
      ['102', idOf('agent2@example.com'), true],
      ['103', idOf('agent3@example.com'), true],
    ]);

    const asAgent = await signInForTest(server.app, { email: 'agent2@example.com', password: 'demo' });
    const me = await inject({ method: 'GET', url: '/api/telephony/me', headers: asAgent.headers });
    expect(me.json()).toEqual({ enabled: true, extension: '102', predictedCallback: false });
    const status = await inject({ method: 'GET', url: '/api/demo/status', headers: asAgent.headers });
    expect(status.json()).toEqual({
      simulatorUrl: simulator?.url,
      numbers: simulator?.state.numbers.map((n) => n.number),
      extensions: ['100', '101', '102', '103', '104', '105'],
    });
    const anonymous = await inject({ method: 'GET', url: '/api/demo/status' });
    expect(anonymous.statusCode).toBe(401);
    // The sign-in page lists the demo accounts to a visitor, in demo mode only (404 in live mode below).
    const accounts = await inject({ method: 'GET', url: '/api/demo/accounts' });
    expect(accounts.statusCode).toBe(200);
    expect(accounts.json().password).toBe('demo');
    expect(accounts.json().accounts.map((a: { email: string }) => a.email)).toEqual([
      'admin@example.com',
      'agent1@example.com',
      'agent2@example.com',
      'agent3@example.com',
    ]);
    const rung = await inject({
      method: 'POST',
      url: '/api/demo/calls/inbound',
      headers: asAgent.headers,
      payload: { answer: '102', outcome: 'answered', talkSeconds: 1 },
    });
    expect(rung.statusCode).toBe(200);
    const call = simulator?.getCall(rung.json().pbxCallId);
    expect(call).toBeDefined();
    expect(call?.pbxCallId).toMatch(/^in_/);

    // A restart keeps the generated key (DATA_DIR), the sealed secret and the mappings.
    const { apiKey, apiSecret } = settings;
    await server.close();
    server = await startServer({ env, port: 0, logStream: { write() {} } });
    const restarted = await server.telephony.settings();
    expect(restarted).toMatchObject({ apiKey, apiSecret, apiBaseUrl: server.telephony.simulator?.url });
    expect(
      await server.database.db.selectFrom('extension_assignments').select('extension').execute(),
    ).toHaveLength(4);
  });

  it('registers the webhook in Zadarma, which checks it with a real zd_echo against the running server', async () => {
    const env = await freshEnv(dialect, cleanups);
    const simulator = await createSimulator({
      key: 'live-key',
      secret: 'live-secret-0123456789',
      rateLimits: false,
    });
    cleanups.push(() => simulator.close());
    const server = await startServer({
      env: { ...env, DEMO: '0', SECRET_KEY },
      port: 0,
      logStream: { write() {} },
    });
    cleanups.push(() => server.close());
    // Live mode lists no demo account, even to a visitor.
    expect((await server.app.inject({ method: 'GET', url: '/api/demo/accounts' })).statusCode).toBe(404);
    const admin = await createTestUser(server.database.db, { role: 'admin', name: 'Ada Admin' });
    const { headers } = await signInForTest(server.app, admin);
    const saved = await server.app.inject({
      method: 'PUT',
      url: '/api/telephony/settings',
      headers,
      payload: { apiKey: 'live-key', apiSecret: 'live-secret-0123456789', apiBaseUrl: simulator.url },
    });
    expect(saved.statusCode).toBe(200);
    const res = await server.app.inject({ method: 'POST', url: '/api/telephony/register-webhook', headers });
    expect(res.json()).toEqual({
      ok: true,
      url: `${server.url}/zadarma`,
      notifications: {
        notify_start: 'true',
        notify_internal: 'true',
        notify_answer: 'true',
        notify_end: 'true',
        notify_out_start: 'true',
        notify_out_end: 'true',
      },
    });
    expect(simulator.state.webhooks.callinfoUrl).toBe(`${server.url}/zadarma`);
    // Transcripts (SPEECH_RECOGNITION) come to the same receiver on the "other events" channel.
    expect(simulator.state.webhooks.eventsUrl).toBe(`${server.url}/zadarma`);
    expect(simulator.state.webhooks.hooks.speech_recognition).toBe(true);
    const view = await server.app.inject({ method: 'GET', url: '/api/telephony/settings', headers });
    expect(view.json().webhook.registeredAt).toEqual(expect.any(String));
  });
});
