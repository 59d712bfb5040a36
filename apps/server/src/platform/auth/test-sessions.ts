/**
 * Test helpers for signed-in requests: users created with cheap scrypt parameters (so suites stay fast),
 * and a real sign-in through `POST /api/auth/login` that returns the cookie and CSRF headers to replay.
 */
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { newId } from '../ids.js';
import { hashPassword } from './password.js';

/** scrypt parameters for test users only: ~1 ms instead of ~200 ms per hash. */
const TEST_SCRYPT = Object.freeze({ N: 1024, r: 8, p: 1 });

export interface TestUser {
  readonly id: string;
  readonly email: string;
  readonly password: string;
  readonly role: 'admin' | 'agent';
  readonly name: string;
}

/** Inserts a user directly. Why: tests need admins and agents without going through the API. */
export async function createTestUser(
  db: Kysely<Database>,
  input: {
    email?: string;
    name?: string;
    role?: 'admin' | 'agent';
    password?: string;
    disabled?: boolean;
  } = {},
): Promise<TestUser> {
  const id = newId();
  const role = input.role ?? 'agent';
  const email = (input.email ?? `${role}-${id.slice(-12)}@example.test`).toLowerCase();
  const password = input.password ?? 'correct horse battery';
  const name = input.name ?? `Test ${role}`;
  const now = new Date().toISOString();
  await db
    .insertInto('users')
    .values({
      id,
      email,
      name,
      role,
      locale: 'en',
      password_hash: await hashPassword(password, TEST_SCRYPT),
      disabled: input.disabled ? 1 : 0,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return { id, email, password, role, name };
}

export interface TestSession {
  /** Headers that make an injected request signed in and CSRF-valid. */
  readonly headers: { cookie: string; 'x-csrf-token': string };
  readonly sessionToken: string;
  readonly csrfToken: string;
}

/** Signs in through the real endpoint. Why: tests exercise the same cookies a browser gets. */
export async function signInForTest(
  app: FastifyInstance,
  user: { email: string; password: string },
): Promise<TestSession> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { email: user.email, password: user.password },
  });
  if (res.statusCode !== 200) {
    throw new Error(`test sign-in as ${user.email} failed: ${res.statusCode} ${res.body}`);
  }
  const cookies = Object.fromEntries(res.cookies.map((c) => [c.name, c.value]));
  const sessionToken = cookies.sb_session;
  const csrfToken = cookies.sb_csrf;
  if (!sessionToken || !csrfToken) {
    throw new Error(`test sign-in as ${user.email} set no session cookies`);
  }
  return {
    headers: { cookie: `sb_session=${sessionToken}; sb_csrf=${csrfToken}`, 'x-csrf-token': csrfToken },
    sessionToken,
    csrfToken,
  };
}
