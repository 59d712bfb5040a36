import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.js';
import { loadConfig } from './platform/config/config.js';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from './test-support/test-database.js';

describe.each(TEST_DIALECTS)('the app on %s', (dialect) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(dialect);
  });
  afterAll(async () => {
    await database.cleanup();
  });

  it('reports its dialect and mode on /api/health', async () => {
    const app = await buildApp({ config: loadConfig({ LOG_LEVEL: 'silent' }), database });
    const res = await app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', dialect, mode: 'live' });
    await app.close();
  });

  it('answers an unknown API route with a coded 404 naming the route', async () => {
    const app = await buildApp({ config: loadConfig({ LOG_LEVEL: 'silent' }), database });
    const res = await app.inject({ method: 'GET', url: '/api/nope?x=1' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({
      error: { code: 'SB_ERR_NOT_FOUND', message: 'no route for GET /api/nope' },
    });
    await app.close();
  });
});
