import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import {
  openTestDatabase,
  TEST_DATABASE_URL,
  TEST_DIALECTS,
  type TestDatabase,
} from '../../test-support/test-database.js';
import { createTestUser, signInForTest, type TestSession } from '../auth/test-sessions.js';
import { loadConfig } from '../config/config.js';
import type { JobQueueDriver } from './job-queue.js';
import { createPgBossJobQueue } from './pg-boss-job-queue.js';
import { createSqliteJobQueue } from './sqlite-job-queue.js';

const WEB_DIST = mkdtempSync(join(tmpdir(), 'sb-web-'));

describe.each(TEST_DIALECTS)('the dead-letter admin routes on %s', (dialect) => {
  let database: TestDatabase;
  let jobs: JobQueueDriver;
  let app: FastifyInstance;
  let asAdmin: TestSession;
  let asAgent: TestSession;
  const bossSchema = `pgboss_${randomBytes(5).toString('hex')}`;
  let healthy = false;

  beforeAll(async () => {
    database = await openTestDatabase(dialect);
    jobs =
      dialect === 'sqlite'
        ? createSqliteJobQueue({ database, pollMs: 10 })
        : await createPgBossJobQueue({
            connectionString: TEST_DATABASE_URL,
            schema: bossSchema,
            poolSize: 2,
            retryDelaySeconds: 0,
            pollingIntervalSeconds: 0.5,
          });
    jobs.handle('download', async () => {
      if (!healthy) {
        throw new Error('recording not ready');
      }
    });
    await jobs.start();
    app = await buildApp({
      config: loadConfig({ LOG_LEVEL: 'silent', WEB_DIST_DIR: WEB_DIST, LOGIN_RATE_LIMIT: '1000' }),
      database,
      jobs,
    });
    const admin = await createTestUser(database.db, {
      role: 'admin',
      name: 'Ada',
      email: 'ada@example.test',
    });
    const agent = await createTestUser(database.db, { role: 'agent', name: 'Bo', email: 'bo@example.test' });
    asAdmin = await signInForTest(app, admin);
    asAgent = await signInForTest(app, agent);
  });

  afterAll(async () => {
    await app.close();
    await jobs.close();
    await database.cleanup();
    if (dialect === 'postgres') {
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${bossSchema} CASCADE`);
      await client.end();
    }
  });

  async function deadJob(): Promise<string> {
    const { id } = await jobs.enqueue('download', { callId: 'c-1' }, { maxAttempts: 1 });
    for (let i = 0; (await jobs.get(id))?.status !== 'dead'; i++) {
      if (i > 1500) {
        throw new Error('the job never died');
      }
      await sleep(20);
    }
    return id;
  }

  it('are admin-only', async () => {
    expect(app.adminRoutes.map((r) => `${r.method} ${r.url}`)).toEqual(
      expect.arrayContaining(['GET /api/jobs/dead', 'POST /api/jobs/:id/retry', 'DELETE /api/jobs/:id']),
    );
    const res = await app.inject({ method: 'GET', url: '/api/jobs/dead', headers: asAgent.headers });
    expect(res.statusCode).toBe(403);
  });

  it('list dead jobs with their last error, and retry or discard one', async () => {
    const first = await deadJob();
    const second = await deadJob();
    const list = await app.inject({ method: 'GET', url: '/api/jobs/dead', headers: asAdmin.headers });
    expect(list.statusCode).toBe(200);
    const body = list.json();
    expect(body.driver).toBe(dialect === 'sqlite' ? 'sqlite' : 'pg-boss');
    expect(body.items.map((item: { id: string }) => item.id).sort()).toEqual([first, second].sort());
    expect(body.items[0]).toMatchObject({
      name: 'download',
      payload: '{"callId":"c-1"}',
      attempts: 1,
      maxAttempts: 1,
    });
    expect(body.items[0].lastError).toContain('recording not ready');

    healthy = true;
    const retry = await app.inject({
      method: 'POST',
      url: `/api/jobs/${first}/retry`,
      headers: asAdmin.headers,
    });
    expect(retry.statusCode).toBe(204);
    const discard = await app.inject({
      method: 'DELETE',
      url: `/api/jobs/${second}`,
      headers: asAdmin.headers,
    });
    expect(discard.statusCode).toBe(204);
    const again = await app.inject({
      method: 'DELETE',
      url: `/api/jobs/${second}`,
      headers: asAdmin.headers,
    });
    expect(again.json().error.code).toBe('SB_ERR_NOT_FOUND');
    const bad = await app.inject({ method: 'POST', url: '/api/jobs/nope/retry', headers: asAdmin.headers });
    expect(bad.statusCode).toBe(400);
    for (let i = 0; (await jobs.get(first))?.status !== 'done'; i++) {
      expect(i).toBeLessThan(1500);
      await sleep(20);
    }
  });
});
