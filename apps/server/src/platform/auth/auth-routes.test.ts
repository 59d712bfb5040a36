import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, LOG_REDACTIONS } from '../../app.js';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from '../../test-support/test-database.js';
import { loadConfig } from '../config/config.js';
import { CSRF_EXEMPT } from './csrf.js';
import { hashPassword, verifyPassword } from './password.js';
import { sessionIdOf } from './session-repository.js';
import { createTestUser, signInForTest, type TestUser } from './test-sessions.js';

const WEB_DIST = mkdtempSync(join(tmpdir(), 'sb-web-'));

async function testApp(
  database: TestDatabase,
  env: Record<string, string> = {},
  logStream?: { write(s: string): void },
) {
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    WEB_DIST_DIR: WEB_DIST,
    LOGIN_RATE_LIMIT: '1000',
    ...env,
  });
  return buildApp({ config, database, ...(logStream ? { logStream } : {}) });
}

describe.each(TEST_DIALECTS)('sign-in and sessions on %s', (dialect) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let agent: TestUser;
  beforeAll(async () => {
    database = await openTestDatabase(dialect);
    app = await testApp(database);
    agent = await createTestUser(database.db, {
      role: 'agent',
      name: 'Amélie Agent',
      email: 'Amelie@Example.test',
    });
  });
  afterAll(async () => {
    await app.close();
    await database.cleanup();
  });

  it('signs in with the right password, answers the user and sets HttpOnly SameSite=Lax cookies', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: ' AMELIE@example.TEST ', password: agent.password },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      user: {
        id: agent.id,
        email: 'amelie@example.test',
        name: 'Amélie Agent',
        role: 'agent',
        locale: 'en',
        disabled: false,
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      },
    });
    const session = res.cookies.find((c) => c.name === 'sb_session');
    const csrf = res.cookies.find((c) => c.name === 'sb_csrf');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(session?.secure).toBeFalsy();
    expect(session?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(csrf).toMatchObject({ sameSite: 'Lax', path: '/' });
    expect(csrf?.httpOnly).toBeFalsy();
    // Only the token's hash is stored.
    const rows = await database.db
      .selectFrom('sessions')
      .select(['id', 'csrf_token'])
      .where('user_id', '=', agent.id)
      .execute();
    expect(rows.map((r) => r.id)).toContain(sessionIdOf(session?.value ?? ''));
    expect(rows.map((r) => r.id)).not.toContain(session?.value);
  });

  it('marks the cookies Secure when the request arrived over https through a trusted proxy', async () => {
    const proxied = await testApp(database, { TRUST_PROXY: '127.0.0.1' });
    const res = await proxied.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'x-forwarded-proto': 'https' },
      payload: { email: agent.email, password: agent.password },
    });
    expect(res.statusCode).toBe(200);
    expect(res.cookies.every((c) => c.secure === true)).toBe(true);
    await proxied.close();
  });

  it('refuses a wrong password and an unknown email with the same coded 401', async () => {
    const wrong = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: agent.email, password: 'not it' },
    });
    const unknown = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'nobody@example.test', password: 'not it' },
    });
    for (const res of [wrong, unknown]) {
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({
        error: { code: 'SB_ERR_INVALID_CREDENTIALS', message: 'the email or the password is incorrect' },
      });
      expect(res.cookies).toEqual([]);
    }
  });

  it('validates the login body with per-field details', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: '' } });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.error.code).toBe('SB_ERR_VALIDATION');
    expect(body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['email', 'password']);
  });

  it('refuses a disabled account even with the right password', async () => {
    const disabled = await createTestUser(database.db, { disabled: true });
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: disabled.email, password: disabled.password },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('SB_ERR_ACCOUNT_DISABLED');
    expect(res.cookies).toEqual([]);
  });

  it('answers /api/auth/me for the session and 401 without one', async () => {
    const s = await signInForTest(app, agent);
    const me = await app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { cookie: s.headers.cookie },
    });
    expect(me.statusCode).toBe(200);
    expect(me.json().user).toMatchObject({ id: agent.id, role: 'agent' });
    const anonymous = await app.inject({ method: 'GET', url: '/api/auth/me' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().error.code).toBe('SB_ERR_UNAUTHENTICATED');
    const forged = await app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { cookie: 'sb_session=forged' },
    });
    expect(forged.statusCode).toBe(401);
  });

  it('drops the session of a user who gets disabled', async () => {
    const user = await createTestUser(database.db);
    const s = await signInForTest(app, user);
    await database.db.updateTable('users').set({ disabled: 1 }).where('id', '=', user.id).execute();
    const me = await app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { cookie: s.headers.cookie },
    });
    expect(me.statusCode).toBe(401);
  });

  it('refuses a state-changing request without the CSRF header, or with a wrong one', async () => {
    const s = await signInForTest(app, agent);
    const missing = await app.inject({
      method: 'PATCH',
      url: '/api/auth/me',
      headers: { cookie: s.headers.cookie },
      payload: { name: 'X' },
    });
    expect(missing.statusCode).toBe(403);
    expect(missing.json().error).toEqual({
      code: 'SB_ERR_CSRF',
      message: "missing or wrong CSRF token: send the sb_csrf cookie's value in the x-csrf-token header",
    });
    const wrong = await app.inject({
      method: 'PATCH',
      url: '/api/auth/me',
      headers: { cookie: s.headers.cookie, 'x-csrf-token': 'guess' },
      payload: { name: 'X' },
    });
    expect(wrong.statusCode).toBe(403);
    // Matching cookie and header are not enough: the token must be the session's own.
    const planted = await app.inject({
      method: 'PATCH',
      url: '/api/auth/me',
      headers: { cookie: `sb_session=${s.sessionToken}; sb_csrf=planted`, 'x-csrf-token': 'planted' },
      payload: { name: 'X' },
    });
    expect(planted.statusCode).toBe(403);
    const ok = await app.inject({
      method: 'PATCH',
      url: '/api/auth/me',
      headers: s.headers,
      payload: { locale: 'fr' },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().user.locale).toBe('fr');
  });

  it('exempts exactly the sign-in and Zadarma’s webhook path from the CSRF check', async () => {
    expect(CSRF_EXEMPT).toEqual([
      { method: 'POST', path: '/api/auth/login', prefix: false },
      { method: '*', path: '/zadarma', prefix: true },
    ]);
    // The webhook path gets past the CSRF check to the webhook's own check, which refuses an unsigned event.
    const webhook = await app.inject({
      method: 'POST',
      url: '/zadarma?x=1',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'event=NOTIFY_START',
    });
    expect(webhook.statusCode).toBe(403);
    expect(webhook.json().error.code).toBe('SB_ERR_FORBIDDEN');
    const lookalike = await app.inject({ method: 'POST', url: '/zadarmax', payload: {} });
    expect(lookalike.json().error.code).toBe('SB_ERR_CSRF');
    const deleteMe = await app.inject({ method: 'DELETE', url: '/api/auth/login' });
    expect(deleteMe.json().error.code).toBe('SB_ERR_CSRF');
  });

  it('checks CSRF on signed-out writes too, except the sign-in itself', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/auth/logout', payload: {} });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('SB_ERR_CSRF');
  });

  it('signs out this browser only', async () => {
    const a = await signInForTest(app, agent);
    const b = await signInForTest(app, agent);
    const out = await app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: a.headers,
      payload: {},
    });
    expect(out.statusCode).toBe(204);
    expect(out.cookies.find((c) => c.name === 'sb_session')?.value).toBe('');
    expect((await app.inject({ method: 'GET', url: '/api/auth/me', headers: a.headers })).statusCode).toBe(
      401,
    );
    expect((await app.inject({ method: 'GET', url: '/api/auth/me', headers: b.headers })).statusCode).toBe(
      200,
    );
  });

  it('signs out everywhere: every other session of the user dies, other users keep theirs', async () => {
    const user = await createTestUser(database.db);
    const other = await signInForTest(app, agent);
    const sessions = [
      await signInForTest(app, user),
      await signInForTest(app, user),
      await signInForTest(app, user),
    ];
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/logout-everywhere',
      headers: sessions[0]?.headers,
      payload: {},
    });
    expect(res.statusCode).toBe(204);
    for (const s of sessions) {
      expect((await app.inject({ method: 'GET', url: '/api/auth/me', headers: s.headers })).statusCode).toBe(
        401,
      );
    }
    expect(
      (await app.inject({ method: 'GET', url: '/api/auth/me', headers: other.headers })).statusCode,
    ).toBe(200);
  });

  it('changes the own password only with the current one, and ends the other sessions', async () => {
    const user = await createTestUser(database.db);
    const here = await signInForTest(app, user);
    const elsewhere = await signInForTest(app, user);
    const without = await app.inject({
      method: 'PATCH',
      url: '/api/auth/me',
      headers: here.headers,
      payload: { password: 'a new long password' },
    });
    expect(without.statusCode).toBe(400);
    expect(without.json().error.details).toEqual([
      { path: 'currentPassword', message: 'is required to change the password' },
    ]);
    const wrong = await app.inject({
      method: 'PATCH',
      url: '/api/auth/me',
      headers: here.headers,
      payload: { password: 'a new long password', currentPassword: 'nope' },
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.details).toEqual([{ path: 'currentPassword', message: 'is incorrect' }]);
    const short = await app.inject({
      method: 'PATCH',
      url: '/api/auth/me',
      headers: here.headers,
      payload: { password: 'short', currentPassword: user.password },
    });
    expect(short.statusCode).toBe(400);
    expect(short.json().error.details[0].path).toBe('password');
    const ok = await app.inject({
      method: 'PATCH',
      url: '/api/auth/me',
      headers: here.headers,
      payload: { password: 'a new long password', currentPassword: user.password, name: 'Renamed' },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().user.name).toBe('Renamed');
    expect((await app.inject({ method: 'GET', url: '/api/auth/me', headers: here.headers })).statusCode).toBe(
      200,
    );
    expect(
      (await app.inject({ method: 'GET', url: '/api/auth/me', headers: elsewhere.headers })).statusCode,
    ).toBe(401);
    await signInForTest(app, { email: user.email, password: 'a new long password' });
  });

  it('expires a session after its expiry time and slides the expiry while it is used', async () => {
    const s = await signInForTest(app, agent);
    const id = sessionIdOf(s.sessionToken);
    const past = new Date(Date.now() - 2 * 60_000).toISOString();
    await database.db.updateTable('sessions').set({ last_seen_at: past }).where('id', '=', id).execute();
    const before = await database.db
      .selectFrom('sessions')
      .select('expires_at')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect((await app.inject({ method: 'GET', url: '/api/auth/me', headers: s.headers })).statusCode).toBe(
      200,
    );
    const after = await database.db
      .selectFrom('sessions')
      .select(['expires_at', 'last_seen_at'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(Date.parse(after.expires_at)).toBeGreaterThan(Date.parse(before.expires_at));
    expect(Date.parse(after.last_seen_at)).toBeGreaterThan(Date.parse(past));
    await database.db.updateTable('sessions').set({ expires_at: past }).where('id', '=', id).execute();
    expect((await app.inject({ method: 'GET', url: '/api/auth/me', headers: s.headers })).statusCode).toBe(
      401,
    );
  });

  it('rate-limits failed sign-ins per address and email with a coded 429 and Retry-After', async () => {
    const limited = await testApp(database, { LOGIN_RATE_LIMIT: '3' });
    const attempt = (email: string) =>
      limited.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: 'wrong' } });
    const target = await createTestUser(database.db);
    for (let i = 0; i < 3; i++) {
      expect((await attempt(target.email)).statusCode).toBe(401);
    }
    const blocked = await attempt(target.email);
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().error.code).toBe('SB_ERR_RATE_LIMITED');
    expect(blocked.json().error.message).toMatch(
      /^too many sign-in attempts for this email from your address; try again in \d+ seconds$/,
    );
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    // Even the right password is refused while limited…
    const right = await limited.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: target.email, password: target.password },
    });
    expect(right.statusCode).toBe(429);
    // …but another email from the same address is not.
    expect((await attempt(agent.email)).statusCode).toBe(401);
    await limited.close();
  });

  it('does not count successful sign-ins', async () => {
    const limited = await testApp(database, { LOGIN_RATE_LIMIT: '2' });
    const user = await createTestUser(database.db);
    for (let i = 0; i < 4; i++) {
      const res = await limited.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: user.email, password: user.password },
      });
      expect(res.statusCode, `sign-in ${i + 1}`).toBe(200);
    }
    await limited.close();
  });

  it('limits one address trying many emails (5 × the per-email limit) but not other addresses', async () => {
    const limited = await testApp(database, { LOGIN_RATE_LIMIT: '1' });
    const attempt = (email: string, ip = '203.0.113.7') =>
      limited.inject({
        method: 'POST',
        url: '/api/auth/login',
        remoteAddress: ip,
        payload: { email, password: 'wrong' },
      });
    for (let i = 0; i < 5; i++) {
      expect((await attempt(`spray${i}@example.test`)).statusCode).toBe(401);
    }
    const blocked = await attempt('spray-next@example.test');
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().error).toMatchObject({
      code: 'SB_ERR_RATE_LIMITED',
      message: expect.stringMatching(
        /^too many failed sign-in attempts from your address; try again in \d+ seconds$/,
      ),
    });
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect((await attempt('spray-next@example.test', '203.0.113.8')).statusCode).toBe(401);
    await limited.close();
  });

  it('never logs a password, even at trace level', async () => {
    const lines: string[] = [];
    const logged = await testApp(
      database,
      { LOG_LEVEL: 'trace' },
      { write: (line) => void lines.push(line) },
    );
    await logged.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: agent.email, password: 'Sup3rSecretWrong' },
    });
    const s = await signInForTest(logged, agent);
    await logged.inject({
      method: 'PATCH',
      url: '/api/auth/me',
      headers: s.headers,
      payload: { currentPassword: 'Sup3rSecretCurrent', password: 'Sup3rSecretNext' },
    });
    await logged.close();
    const all = lines.join('');
    expect(all).toContain('sign-in refused');
    expect(all).not.toMatch(/Sup3rSecret|correct horse/);
    expect(all).not.toContain(s.sessionToken);
    expect(all).not.toContain(s.csrfToken);
  });
});

describe('log redaction', () => {
  it('censors passwords in a login body wherever a log call puts it', () => {
    const lines: string[] = [];
    const log = pino(
      { redact: { paths: LOG_REDACTIONS, censor: '[redacted]' } },
      { write: (l: string) => void lines.push(l) },
    );
    log.info({ body: { email: 'a@b.c', password: 'hunter2' } });
    log.info({ req: { body: { password: 'hunter2', currentPassword: 'hunter3' } } });
    log.info({ password: 'hunter2' });
    const out = lines.join('');
    expect(out).not.toMatch(/hunter/);
    expect(out.match(/\[redacted\]/g)).toHaveLength(4);
    expect(out).toContain('a@b.c');
  });

  it('hashes a password with the production scrypt parameters, recorded in the hash', async () => {
    // How long a hash takes depends on the machine; the parameters that decide it do not.
    const hash = await hashPassword('x');
    const [, N, r, p] = hash.split('$');
    expect({ N: Number(N), r: Number(r), p: Number(p) }).toEqual({ N: 2 ** 15, r: 8, p: 3 });
    expect(await verifyPassword('x', hash)).toBe(true);
  });
});
