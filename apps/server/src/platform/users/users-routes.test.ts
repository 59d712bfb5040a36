import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from '../../test-support/test-database.js';
import { createTestUser, signInForTest, type TestSession, type TestUser } from '../auth/test-sessions.js';
import { loadConfig } from '../config/config.js';

const WEB_DIST = mkdtempSync(join(tmpdir(), 'sb-web-'));

describe.each(TEST_DIALECTS)('user management on %s', (dialect) => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let admin: TestUser;
  let agent: TestUser;
  let asAdmin: TestSession;
  let asAgent: TestSession;
  beforeAll(async () => {
    database = await openTestDatabase(dialect);
    app = await buildApp({
      config: loadConfig({ LOG_LEVEL: 'silent', WEB_DIST_DIR: WEB_DIST, LOGIN_RATE_LIMIT: '1000' }),
      database,
    });
    admin = await createTestUser(database.db, {
      role: 'admin',
      name: 'Ada Admin',
      email: 'ada@example.test',
    });
    agent = await createTestUser(database.db, {
      role: 'agent',
      name: 'Boris Agent',
      email: 'boris@example.test',
    });
    asAdmin = await signInForTest(app, admin);
    asAgent = await signInForTest(app, agent);
  });
  afterAll(async () => {
    await app.close();
    await database.cleanup();
  });

  it('refuses an agent with 403 and a visitor with 401 on every admin-only route', async () => {
    const routes = app.adminRoutes;
    expect(routes.map((r) => `${r.method} ${r.url}`)).toEqual(
      expect.arrayContaining([
        'GET /api/users',
        'POST /api/users',
        'PATCH /api/users/:id',
        'GET /api/settings',
        'PATCH /api/settings',
      ]),
    );
    for (const route of routes) {
      const url = route.url.replace(/:(\w+)/g, agent.id);
      const payload = route.method === 'GET' ? undefined : {};
      const forbidden = await app.inject({
        method: route.method as 'GET',
        url,
        headers: asAgent.headers,
        payload,
      });
      expect({ route, status: forbidden.statusCode, code: forbidden.json().error?.code }).toEqual({
        route,
        status: 403,
        code: 'SB_ERR_FORBIDDEN',
      });
      const anonymous = await app.inject({
        method: route.method as 'GET',
        url,
        headers: { cookie: 'sb_csrf=t', 'x-csrf-token': 't' },
        payload,
      });
      expect({ route, status: anonymous.statusCode }).toEqual({ route, status: 401 });
    }
  });

  it('creates a user with a lowercase email and lets them sign in', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/users',
      headers: asAdmin.headers,
      payload: {
        email: 'Chloe.Martin@Example.test',
        name: 'Chloé Martin',
        role: 'agent',
        password: 'a long password',
        locale: 'fr',
      },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      email: 'chloe.martin@example.test',
      name: 'Chloé Martin',
      role: 'agent',
      locale: 'fr',
      disabled: false,
    });
    expect(res.json()).not.toHaveProperty('passwordHash');
    await signInForTest(app, { email: 'chloe.martin@example.test', password: 'a long password' });
  });

  it('refuses a duplicate email (any case) with a coded 409', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/users',
      headers: asAdmin.headers,
      payload: { email: 'BORIS@example.test', name: 'Other', role: 'agent', password: 'a long password' },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({
      code: 'SB_ERR_CONFLICT',
      message: 'a user with the email boris@example.test already exists',
    });
  });

  it('validates the new user with per-field details', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/users',
      headers: asAdmin.headers,
      payload: { email: 'not-an-email', name: '', role: 'boss', password: 'short' },
    });
    expect(res.statusCode).toBe(400);
    expect(
      res
        .json()
        .error.details.map((d: { path: string }) => d.path)
        .sort(),
    ).toEqual(['email', 'name', 'password', 'role']);
  });

  it('lists users with paging, search, filters and sorting', async () => {
    const page = await app.inject({
      method: 'GET',
      url: '/api/users?pageSize=2&sort=-name',
      headers: asAdmin.headers,
    });
    expect(page.statusCode).toBe(200);
    const body = page.json();
    expect(body).toMatchObject({ page: 1, pageSize: 2 });
    expect(body.total).toBeGreaterThanOrEqual(3);
    expect(body.items).toHaveLength(2);
    const names = body.items.map((u: { name: string }) => u.name);
    expect(names).toEqual([...names].sort().reverse());
    const search = await app.inject({ method: 'GET', url: '/api/users?q=BORIS', headers: asAdmin.headers });
    expect(search.json().items.map((u: { id: string }) => u.id)).toEqual([agent.id]);
    const admins = await app.inject({
      method: 'GET',
      url: '/api/users?role=admin',
      headers: asAdmin.headers,
    });
    expect(admins.json().items.every((u: { role: string }) => u.role === 'admin')).toBe(true);
    const literal = await app.inject({ method: 'GET', url: '/api/users?q=%25', headers: asAdmin.headers });
    expect(literal.json().total).toBe(0);
  });

  it('edits name, role, locale and password; a new password ends the user’s sessions', async () => {
    const user = await createTestUser(database.db, { name: 'Dmitri' });
    const theirs = await signInForTest(app, user);
    const res = await app.inject({
      method: 'PATCH',
      url: `/api/users/${user.id}`,
      headers: asAdmin.headers,
      payload: { name: 'Дмитрий Иванов', role: 'admin', locale: 'ru', password: 'another long one' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ name: 'Дмитрий Иванов', role: 'admin', locale: 'ru' });
    expect(
      (await app.inject({ method: 'GET', url: '/api/auth/me', headers: theirs.headers })).statusCode,
    ).toBe(401);
    await signInForTest(app, { email: user.email, password: 'another long one' });
  });

  it('disables a user: their sessions end, sign-in is refused, they leave the directory', async () => {
    const user = await createTestUser(database.db, { name: 'Eve Disabled' });
    const theirs = await signInForTest(app, user);
    const res = await app.inject({
      method: 'PATCH',
      url: `/api/users/${user.id}`,
      headers: asAdmin.headers,
      payload: { disabled: true },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().disabled).toBe(true);
    const left = await database.db
      .selectFrom('sessions')
      .select('id')
      .where('user_id', '=', user.id)
      .execute();
    expect(left).toEqual([]);
    expect(
      (await app.inject({ method: 'GET', url: '/api/auth/me', headers: theirs.headers })).statusCode,
    ).toBe(401);
    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: user.email, password: user.password },
    });
    expect(login.json().error.code).toBe('SB_ERR_ACCOUNT_DISABLED');
    const directory = await app.inject({
      method: 'GET',
      url: '/api/users/directory',
      headers: asAgent.headers,
    });
    expect(directory.json().map((u: { id: string }) => u.id)).not.toContain(user.id);
  });

  it('answers 404 for an unknown user', async () => {
    const res = await app.inject({
      method: 'PATCH',
      url: '/api/users/nope',
      headers: asAdmin.headers,
      payload: { name: 'x' },
    });
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toEqual({ code: 'SB_ERR_NOT_FOUND', message: 'no user with id nope' });
  });

  it('never lets the last enabled admin be disabled or demoted, by themselves or anyone', async () => {
    const db = await openTestDatabase(dialect);
    const solo = await buildApp({
      config: loadConfig({ LOG_LEVEL: 'silent', WEB_DIST_DIR: WEB_DIST, LOGIN_RATE_LIMIT: '1000' }),
      database: db,
    });
    const only = await createTestUser(db.db, { role: 'admin' });
    const s = await signInForTest(solo, only);
    for (const payload of [{ disabled: true }, { role: 'agent' }]) {
      const res = await solo.inject({
        method: 'PATCH',
        url: `/api/users/${only.id}`,
        headers: s.headers,
        payload,
      });
      expect(res.statusCode).toBe(409);
      expect(res.json().error.message).toBe(
        'you are the last enabled administrator; make another user an administrator first',
      );
    }
    const second = await createTestUser(db.db, { role: 'admin' });
    const demote = await solo.inject({
      method: 'PATCH',
      url: `/api/users/${only.id}`,
      headers: s.headers,
      payload: { role: 'agent' },
    });
    expect(demote.statusCode).toBe(200);
    // Now `second` is the last admin; the demoted user cannot administer any more.
    expect(
      (
        await solo.inject({
          method: 'PATCH',
          url: `/api/users/${second.id}`,
          headers: s.headers,
          payload: { disabled: true },
        })
      ).statusCode,
    ).toBe(403);
    await solo.close();
    await db.cleanup();
  });

  it('gives every signed-in user the directory of enabled users, by name', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/users/directory', headers: asAgent.headers });
    expect(res.statusCode).toBe(200);
    const list = res.json() as { id: string; name: string; role: string }[];
    expect(list).toContainEqual({ id: admin.id, name: 'Ada Admin', role: 'admin' });
    expect(Object.keys(list[0] ?? {}).sort()).toEqual(['id', 'name', 'role']);
    expect(list.map((u) => u.name)).toEqual([...list.map((u) => u.name)].sort());
    expect((await app.inject({ method: 'GET', url: '/api/users/directory' })).statusCode).toBe(401);
  });
});
