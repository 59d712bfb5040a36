/**
 * Test harness for CRM suites: a migrated database of the given dialect, the real app, and signed-in
 * sessions for an admin and two agents (through the real login endpoint).
 */
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../../app.js';
import { createTestUser, signInForTest, type TestUser } from '../../../platform/auth/test-sessions.js';
import { loadConfig } from '../../../platform/config/config.js';
import type { Dialect } from '../../../platform/db/database.js';
import { openTestDatabase, type TestDatabase } from '../../../test-support/test-database.js';

export interface CrmTestContext {
  database: TestDatabase;
  app: FastifyInstance;
  admin: TestUser;
  agent: TestUser;
  otherAgent: TestUser;
  /** Sends a request as that user (cookies + CSRF header set). */
  as(
    user: TestUser,
    request: Omit<InjectOptions, 'headers'> & { headers?: Record<string, string> },
  ): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** Opens the database and app and signs the three users in. Why: every CRM suite needs the same start. */
export async function openCrmTest(dialect: Dialect): Promise<CrmTestContext> {
  const database = await openTestDatabase(dialect);
  const app = await buildApp({ config: loadConfig({ LOG_LEVEL: 'silent' }), database });
  const admin = await createTestUser(database.db, { role: 'admin', name: 'Ada Admin' });
  const agent = await createTestUser(database.db, { role: 'agent', name: 'Alice Agent' });
  const otherAgent = await createTestUser(database.db, { role: 'agent', name: 'Oscar Other' });
  const sessions = new Map<string, Record<string, string>>();
  for (const user of [admin, agent, otherAgent]) {
    sessions.set(user.id, (await signInForTest(app, user)).headers);
  }
  return {
    database,
    app,
    admin,
    agent,
    otherAgent,
    as: (user, request) =>
      app.inject({ ...request, headers: { ...sessions.get(user.id), ...request.headers } } as InjectOptions),
    async close() {
      await app.close();
      await database.cleanup();
    },
  };
}
