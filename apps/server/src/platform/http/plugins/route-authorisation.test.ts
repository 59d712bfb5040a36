/**
 * Authorisation comes before validation on every admin-only route: an agent whose request is malformed (a body
 * that is not even JSON, a query that breaks every schema) is told 403, and a visitor 401, never a 400 that
 * would describe what the route expects. Why malformed JSON: the body parser would refuse it with 400, so a
 * 403 proves the guard ran before the body was read at all.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../app.js';
import { openTestDatabase, type TestDatabase } from '../../../test-support/test-database.js';
import { createTestUser, signInForTest, type TestSession } from '../../auth/test-sessions.js';
import { loadConfig } from '../../config/config.js';

const BAD_QUERY = 'page=-1&pageSize=abc&from=not-a-date&to=0&limit=-5&timeZone=Nowhere/Nothing&days=9999';

describe('authorisation before validation', () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let asAgent: TestSession;
  beforeAll(async () => {
    // Which hook a guard runs in does not depend on the dialect: SQLite alone.
    database = await openTestDatabase('sqlite');
    app = await buildApp({
      config: loadConfig({
        LOG_LEVEL: 'silent',
        WEB_DIST_DIR: mkdtempSync(join(tmpdir(), 'sb-web-')),
        LOGIN_RATE_LIMIT: '1000',
      }),
      database,
    });
    asAgent = await signInForTest(app, await createTestUser(database.db, { role: 'agent' }));
  });
  afterAll(async () => {
    await app.close();
    await database.cleanup();
  });

  /** The route with its parameters filled and a query no schema accepts; a malformed body unless it is a GET. */
  function malformed(route: { method: string; url: string }) {
    const url = `${route.url.replace(/:(\w+)/g, 'no-such-id').replace(/\*$/, 'x')}?${BAD_QUERY}`;
    const withBody = route.method !== 'GET' && route.method !== 'DELETE';
    return {
      method: route.method as 'POST',
      url,
      ...(withBody ? { payload: '{"this is": not json', contentType: 'application/json' } : {}),
    };
  }

  it('refuses an agent with 403 on every admin-only route, however malformed the request', async () => {
    // The list is long and grows with each module: that it covers the known areas proves it is not empty.
    expect(app.adminRoutes.map((r) => `${r.method} ${r.url}`)).toEqual(
      expect.arrayContaining(['POST /api/users', 'PUT /api/telephony/settings', 'PATCH /api/settings']),
    );
    for (const route of app.adminRoutes) {
      const { contentType, ...request } = malformed(route);
      const response = await app.inject({
        ...request,
        headers: { ...asAgent.headers, ...(contentType ? { 'content-type': contentType } : {}) },
      });
      expect({ route, status: response.statusCode, code: response.json().error?.code }).toEqual({
        route,
        status: 403,
        code: 'SB_ERR_FORBIDDEN',
      });
    }
  });

  /** Each route, asked by a visitor (no session, a valid CSRF pair: the session is tested, not CSRF), answers 401. */
  async function expectVisitorRefused(routes: readonly { method: string; url: string }[]): Promise<void> {
    for (const route of routes) {
      const { contentType, ...request } = malformed(route);
      const response = await app.inject({
        ...request,
        headers: {
          cookie: 'sb_csrf=t',
          'x-csrf-token': 't',
          ...(contentType ? { 'content-type': contentType } : {}),
        },
      });
      expect({ route, status: response.statusCode, code: response.json().error?.code }).toEqual({
        route,
        status: 401,
        code: 'SB_ERR_UNAUTHENTICATED',
      });
    }
  }

  it('refuses a visitor with 401 on every admin-only route, however malformed the request', async () => {
    await expectVisitorRefused(app.adminRoutes);
  });

  it('refuses a visitor with 401 on every route for signed-in users, however malformed the request', async () => {
    expect(app.signedInRoutes.map((r) => `${r.method} ${r.url}`)).toEqual(
      expect.arrayContaining(['GET /api/calls', 'PATCH /api/calls/:id', 'POST /api/telephony/blacklist']),
    );
    await expectVisitorRefused(app.signedInRoutes);
  });

  it('the same malformed request from an agent is a 400 on a route agents may call (the test can fail)', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/calls/click-to-call',
      headers: { ...asAgent.headers, 'content-type': 'application/json' },
      payload: '{"this is": not json',
    });
    expect(response.statusCode).toBe(400);
  });
});
