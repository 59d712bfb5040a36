/**
 * One source of trusted proxies (issue 10, item 4): `TRUST_PROXY` serves Fastify and `/zadarma`'s IP policy;
 * the settings page shows it read-only, and start-up names the value to set when only the database had one.
 */
import { webhookSignature } from '@switchboard/zadarma';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../../app.js';
import { createTestUser, signInForTest } from '../../../platform/auth/test-sessions.js';
import { loadConfig } from '../../../platform/config/config.js';
import { createSecretBox } from '../../../platform/crypto/secret-box.js';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from '../../../test-support/test-database.js';
import { createTelephonyRuntime } from '../adapters/zadarma/telephony-runtime.js';

const SECRET = 'proxy-secret-0123456789';

function notification(pbxCallId: string) {
  const fields = {
    event: 'NOTIFY_INTERNAL',
    call_start: new Date().toISOString().slice(0, 19).replace('T', ' '),
    pbx_call_id: pbxCallId,
    caller_id: '33612345678',
    called_did: '442037691999',
    internal: '101',
  };
  return { body: new URLSearchParams(fields).toString(), signature: webhookSignature(fields, SECRET) };
}

describe.each(TEST_DIALECTS)('trusted proxies on %s', (dialect) => {
  let database: TestDatabase;
  let app: FastifyInstance | null = null;
  const logLines: string[] = [];

  afterEach(async () => {
    await app?.close();
    app = null;
    await database.cleanup();
    logLines.length = 0;
  });

  async function start(env: Record<string, string>, before?: (db: TestDatabase) => Promise<void>) {
    database = await openTestDatabase(dialect);
    await before?.(database);
    const config = loadConfig({ LOG_LEVEL: 'info', ...env });
    const telephony = createTelephonyRuntime({
      db: database.db,
      box: createSecretBox('ab'.repeat(32)),
      config,
    });
    await telephony.update({
      apiKey: 'k',
      apiSecret: SECRET,
      ipAllowList: { enabled: true, cidrs: ['203.0.113.0/24'] },
    });
    app = await buildApp({
      config,
      database,
      telephony,
      logStream: { write: (line) => logLines.push(line) },
    });
    return app;
  }

  async function post(target: FastifyInstance, pbxCallId: string, remoteAddress: string) {
    const { body, signature } = notification(pbxCallId);
    const res = await target.inject({
      method: 'POST',
      url: '/zadarma',
      remoteAddress,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        signature,
        'x-forwarded-for': '203.0.113.7',
      },
      payload: body,
    });
    return res.statusCode;
  }

  it("believes X-Forwarded-For on /zadarma from TRUST_PROXY's proxies only, like Fastify", async () => {
    const target = await start({ TRUST_PROXY: '10.0.0.5' });
    expect(await post(target, 'in_proxy_trusted', '10.0.0.5')).toBe(200);
    expect(await post(target, 'in_proxy_other', '10.0.0.6')).toBe(403);
  });

  it('shows the trusted proxies read-only on the settings page, and refuses to change them there', async () => {
    const target = await start({ TRUST_PROXY: '10.0.0.5,loopback' });
    const admin = await createTestUser(database.db, { role: 'admin', name: 'Ada' });
    const headers = (await signInForTest(target, admin)).headers;
    const view = await target.inject({ method: 'GET', url: '/api/telephony/settings', headers });
    const trusted = ['10.0.0.5', '127.0.0.0/8', '::1/128'];
    expect(view.json().ipAllowList).toEqual({
      enabled: true,
      cidrs: ['203.0.113.0/24'],
      trustedProxies: trusted,
    });
    // What the page sends back unchanged passes; a change is refused, naming where they are set.
    const same = await target.inject({
      method: 'PUT',
      url: '/api/telephony/settings',
      headers,
      payload: { ipAllowList: { enabled: true, cidrs: ['203.0.113.0/24'], trustedProxies: trusted } },
    });
    expect(same.statusCode).toBe(200);
    const changed = await target.inject({
      method: 'PUT',
      url: '/api/telephony/settings',
      headers,
      payload: { ipAllowList: { trustedProxies: ['192.0.2.1'] } },
    });
    expect(changed.statusCode).toBe(400);
    expect(changed.json().error).toMatchObject({ code: 'SB_ERR_VALIDATION' });
    expect(changed.json().error.message).toContain('TRUST_PROXY');
  });

  it('warns at start-up with the value to put in TRUST_PROXY when only the database had proxies', async () => {
    const legacy = async (db: TestDatabase) => {
      await db.db
        .insertInto('settings')
        .values({
          key: 'telephony.legacyTrustedProxies',
          value: JSON.stringify(['10.0.0.5', '10.0.1.0/24']),
          updated_at: new Date().toISOString(),
        })
        .execute();
    };
    await start({}, legacy);
    const warning = logLines.map((l) => JSON.parse(l)).find((l) => l.level === 40);
    expect(warning?.msg).toContain('set TRUST_PROXY=10.0.0.5,10.0.1.0/24');
    await app?.close();
    app = null;
    await database.cleanup();
    logLines.length = 0;
    await start({ TRUST_PROXY: '10.0.0.5' }, legacy);
    expect(logLines.map((l) => JSON.parse(l)).filter((l) => l.level === 40)).toEqual([]);
  });
});
