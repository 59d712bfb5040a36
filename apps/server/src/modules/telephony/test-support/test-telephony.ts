/**
 * Test harness for ingest, live events and click-to-call: a migrated database, the real app listening on a
 * free port, the Zadarma simulator posting signed webhooks to it, signed-in users mapped to extensions, and a
 * real-HTTP SSE client.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { webhookSignature } from '@switchboard/zadarma';
import {
  createSimulator,
  formatZadarmaDate,
  type Simulator,
  type SimulatorOptions,
} from '@switchboard/zadarma-sim';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { buildApp } from '../../../app.js';
import { createTestUser, signInForTest, type TestUser } from '../../../platform/auth/test-sessions.js';
import { loadConfig } from '../../../platform/config/config.js';
import { createSecretBox } from '../../../platform/crypto/secret-box.js';
import type { Dialect } from '../../../platform/db/database.js';
import type { JobQueueDriver } from '../../../platform/jobs/job-queue.js';
import { createPgBossJobQueue } from '../../../platform/jobs/pg-boss-job-queue.js';
import { createSqliteJobQueue } from '../../../platform/jobs/sqlite-job-queue.js';
import {
  openTestDatabase,
  TEST_DATABASE_URL,
  type TestDatabase,
} from '../../../test-support/test-database.js';
import { createExtensionAssignmentRepository } from '../adapters/kysely-extension-assignment-repository.js';
import {
  createTelephonyRuntime,
  type TelephonyRuntimeControl,
} from '../adapters/zadarma/telephony-runtime.js';
import { type TelephonyLive, telephonyLiveOf } from '../telephony-module.js';

const SIM_KEY = 'test-key';
export const SIM_SECRET = 'test-secret-0123456789';
/** The simulator's default account timezone (UTC+3), in minutes. */
const SIM_OFFSET_MINUTES = 180;

/**
 * `call_start` for a notification a test signs by hand: now on the simulator's clock, as Zadarma writes it. Why:
 * the receiver refuses a signed call_start outside its freshness window (domain/call-freshness.ts).
 */
export function simCallStart(sim: Simulator): string {
  return formatZadarmaDate(sim.now(), SIM_OFFSET_MINUTES);
}

/**
 * POSTs `fields` to the server's `/zadarma` as Zadarma does: form-encoded, with a valid `Signature` (the
 * simulator's secret unless `secret` is given). Why: the tests that forge, replay or flood the receiver sign by
 * hand what the simulator would send.
 */
export function postSignedWebhook(
  url: string,
  fields: Record<string, string>,
  secret: string = SIM_SECRET,
): Promise<Response> {
  return fetch(`${url}/zadarma`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      signature: webhookSignature(fields, secret),
    },
    body: new URLSearchParams(fields).toString(),
  });
}

export interface TelephonyTestContext {
  readonly database: TestDatabase;
  readonly app: FastifyInstance;
  readonly url: string;
  readonly sim: Simulator;
  readonly runtime: TelephonyRuntimeControl;
  readonly live: TelephonyLive;
  /** The running job queue, with `{ jobs: true }`. */
  readonly jobs: JobQueueDriver | null;
  /** DATA_DIR of the server (a throwaway directory). */
  readonly dataDir: string;
  readonly admin: TestUser;
  /** Extension 101. */
  readonly agent1: TestUser;
  /** Extension 102. */
  readonly agent2: TestUser;
  /** No extension. */
  readonly agent3: TestUser;
  cookieOf(user: TestUser): string;
  as(
    user: TestUser,
    request: Omit<InjectOptions, 'headers'> & { headers?: Record<string, string> },
  ): Promise<LightMyRequestResponse>;
  /** Another simulator posting to this server (same credentials), e.g. with duplicate/shuffled delivery. */
  extraSimulator(options: Partial<SimulatorOptions>): Promise<Simulator>;
  /** Waits for the simulator's call and for our processing of its events. */
  settle(sim: Simulator, pbxCallId: string): Promise<void>;
  close(): Promise<void>;
}

/** Opens a running job queue for the dialect with fast retries, and what removes it. */
async function openTestJobs(
  database: TestDatabase,
): Promise<{ jobs: JobQueueDriver; drop: () => Promise<void> }> {
  if (database.dialect === 'sqlite') {
    const jobs = createSqliteJobQueue({ database, pollMs: 20, backoff: { baseMs: 50, maxMs: 200 } });
    return { jobs, drop: async () => {} };
  }
  const schema = `pgboss_${randomBytes(5).toString('hex')}`;
  const open = () =>
    createPgBossJobQueue({
      connectionString: TEST_DATABASE_URL,
      schema,
      poolSize: 2,
      retryDelaySeconds: 0,
      pollingIntervalSeconds: 0.5,
    });
  // Other suites install their own pg-boss schemas in the same database at the same time: PostgreSQL may pick
  // this installation as a deadlock victim (40P01), which says nothing about the code under test.
  const jobs = await open().catch((error: unknown) => {
    if ((error as { code?: string }).code === '40P01') {
      return open();
    }
    throw error;
  });
  return {
    jobs,
    async drop() {
      await database.db.schema.dropSchema(schema).ifExists().cascade().execute();
    },
  };
}

/** Opens everything. Why: each suite needs the same real server + simulator pair. */
async function openTelephonyTest(
  dialect: Dialect,
  options: { readonly jobs?: boolean } = {},
): Promise<TelephonyTestContext> {
  const database = await openTestDatabase(dialect);
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-data-'));
  const config = loadConfig({ LOG_LEVEL: 'silent', DATA_DIR: dataDir });
  const queue = options.jobs ? await openTestJobs(database) : null;
  const sim = await createSimulator({ key: SIM_KEY, secret: SIM_SECRET, speed: 100, host: '127.0.0.1' });
  const runtime = createTelephonyRuntime({
    db: database.db,
    box: createSecretBox(randomBytes(32)),
    config,
    clientOptions: { retry: false, rateLimits: false },
  });
  await runtime.update({ apiKey: SIM_KEY, apiSecret: SIM_SECRET, apiBaseUrl: sim.url });
  const app = await buildApp({
    config,
    database,
    telephony: runtime,
    ...(queue ? { jobs: queue.jobs } : {}),
  });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  await queue?.jobs.start();
  sim.setWebhookUrl(`${address}/zadarma`);
  // The PBX's clock for the freshness of call_start: the simulator's virtual one (100× real time), as in demo mode.
  runtime.attach({ simulator: sim });
  // What an admin's "test the connection" does: the account's timezone (UTC+3) is known before the first call.
  // Without it call_start would be read as UTC+0 until the background refresh lands, and a test asking for
  // "today" would find its calls on tomorrow whenever it runs after 21:00 UTC.
  await runtime.refreshTimezone();
  const live = telephonyLiveOf(app);
  if (!live) {
    throw new Error('registerTelephonyLive did not run');
  }
  const admin = await createTestUser(database.db, { role: 'admin', name: 'Ada Admin' });
  const agent1 = await createTestUser(database.db, { role: 'agent', name: 'Olga One' });
  const agent2 = await createTestUser(database.db, { role: 'agent', name: 'Tom Two' });
  const agent3 = await createTestUser(database.db, { role: 'agent', name: 'Nina None' });
  const assignments = createExtensionAssignmentRepository(database.db);
  await assignments.assign('100', admin.id);
  await assignments.assign('101', agent1.id);
  await assignments.assign('102', agent2.id);
  const sessions = new Map<string, Record<string, string>>();
  for (const user of [admin, agent1, agent2, agent3]) {
    sessions.set(user.id, (await signInForTest(app, user)).headers);
  }
  const extras: Simulator[] = [];
  return {
    database,
    app,
    url: address,
    sim,
    runtime,
    live,
    jobs: queue?.jobs ?? null,
    dataDir,
    admin,
    agent1,
    agent2,
    agent3,
    cookieOf: (user) => sessions.get(user.id)?.cookie ?? '',
    as: (user, request) =>
      app.inject({ ...request, headers: { ...sessions.get(user.id), ...request.headers } } as InjectOptions),
    async extraSimulator(options) {
      const extra = await createSimulator({
        key: SIM_KEY,
        secret: SIM_SECRET,
        speed: 100,
        host: '127.0.0.1',
        webhookUrl: `${address}/zadarma`,
        // On the main simulator's virtual clock, which the server judges call_start by.
        startTime: sim.now(),
        ...options,
      });
      extras.push(extra);
      return extra;
    },
    async settle(which, pbxCallId) {
      await which.waitForCall(pbxCallId, { timeoutMs: 20_000 });
      await live.ingest.idle();
    },
    async close() {
      for (const extra of extras) {
        await extra.close();
      }
      await sim.close();
      await queue?.jobs.stop();
      await app.close();
      await queue?.jobs.close();
      await queue?.drop();
      await runtime.close();
      await database.cleanup();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** How long opening or closing the harness may take: a hang detector (a PostgreSQL schema and pg-boss on a loaded machine). */
const HARNESS_HOOK_TIMEOUT_MS = 60_000;

/**
 * Opens the harness before the suite's tests and closes it after them, and returns it. Why: every suite against
 * the real server wants the same pair of hooks. Call it first in the `describe`: its hooks are then the suite's
 * first, so the suite's own `beforeAll` runs with the harness open and its own `afterAll` (vitest runs them in
 * reverse) before it closes. The returned object reads through to the open harness, so a suite writes `t.sim` as
 * it would with the context itself; read before `beforeAll` has run, it throws.
 */
export function useTelephonyTest(
  dialect: Dialect,
  options: { readonly jobs?: boolean } = {},
): TelephonyTestContext {
  let open: TelephonyTestContext | undefined;
  beforeAll(async () => {
    open = await openTelephonyTest(dialect, options);
  }, HARNESS_HOOK_TIMEOUT_MS);
  afterAll(async () => {
    await open?.close();
    open = undefined;
  }, HARNESS_HOOK_TIMEOUT_MS);
  return new Proxy({} as TelephonyTestContext, {
    get(_target, key) {
      if (!open) {
        throw new Error(`the telephony harness is not open: ${String(key)} was read outside a test or hook`);
      }
      return Reflect.get(open, key);
    },
  });
}

interface SseMessage {
  readonly id: number | null;
  readonly event: string;
  readonly data: unknown;
}

export interface SseClient {
  readonly messages: SseMessage[];
  /** Resolves with the first message (already received or coming) that satisfies `test`. */
  waitFor(test: (m: SseMessage) => boolean, timeoutMs?: number): Promise<SseMessage>;
  close(): void;
}

/** Opens a real HTTP SSE connection and resolves once the stream is open. */
export function openSse(
  baseUrl: string,
  cookie: string,
  options: { lastEventId?: number } = {},
): Promise<SseClient> {
  return new Promise((resolve, reject) => {
    const messages: SseMessage[] = [];
    const waiters: { test: (m: SseMessage) => boolean; resolve: (m: SseMessage) => void }[] = [];
    const req = httpRequest(`${baseUrl}/api/events`, {
      headers: {
        cookie,
        accept: 'text/event-stream',
        ...(options.lastEventId !== undefined ? { 'last-event-id': String(options.lastEventId) } : {}),
      },
    });
    let buffer = '';
    req.on('response', (res: IncomingMessage) => {
      if (res.statusCode !== 200) {
        reject(new Error(`SSE answered ${res.statusCode}`));
        return;
      }
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          end = buffer.indexOf('\n\n');
          let id: number | null = null;
          let event = '';
          let data = '';
          for (const line of frame.split('\n')) {
            if (line.startsWith('id: ')) {
              id = Number(line.slice(4));
            } else if (line.startsWith('event: ')) {
              event = line.slice(7);
            } else if (line.startsWith('data: ')) {
              data += line.slice(6);
            }
          }
          if (!event) {
            continue;
          }
          const message = { id, event, data: JSON.parse(data) as unknown };
          messages.push(message);
          for (const w of [...waiters]) {
            if (w.test(message)) {
              waiters.splice(waiters.indexOf(w), 1);
              w.resolve(message);
            }
          }
        }
      });
      resolve({
        messages,
        waitFor(test, timeoutMs = 10_000) {
          const found = messages.find(test);
          if (found) {
            return Promise.resolve(found);
          }
          return new Promise((res2, rej2) => {
            const timer = setTimeout(
              () =>
                rej2(
                  new Error(`no SSE message matched within ${timeoutMs} ms; got ${JSON.stringify(messages)}`),
                ),
              timeoutMs,
            );
            waiters.push({
              test,
              resolve: (m) => {
                clearTimeout(timer);
                res2(m);
              },
            });
          });
        },
        close() {
          req.destroy();
        },
      });
    });
    req.on('error', reject);
    req.end();
  });
}
