/**
 * Two server instances on one database (issue 9, finding 5): one PostgreSQL schema, or one SQLite file shared
 * by two processes' worth of connections. Each is a whole `startServer`, as in production.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readWebhook, webhookSignature } from '@switchboard/zadarma';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Dialect } from '../../platform/db/database.js';
import { type RunningServer, startServer } from '../../server.js';
import { TEST_DATABASE_URL } from '../../test-support/test-database.js';

const SECRET_KEY = 'ef'.repeat(32);
const KEY = 'multi-key-0123456789';
const OLD_SECRET = 'old-secret-0123456789';
const NEW_SECRET = 'new-secret-9876543210';

/** A Zadarma date-time (account timezone UTC+0) for now: fresh enough for any freshness window. */
function zadarmaNow(): string {
  return new Date().toISOString().slice(0, 19).replace('T', ' ');
}

function notification(pbxCallId: string, secret: string) {
  const fields = {
    event: 'NOTIFY_INTERNAL',
    call_start: zadarmaNow(),
    pbx_call_id: pbxCallId,
    caller_id: '33612345678',
    called_did: '442037691999',
    internal: '101',
  };
  return {
    fields,
    body: new URLSearchParams(fields).toString(),
    signature: webhookSignature(fields, secret),
  };
}

async function post(server: RunningServer, pbxCallId: string, secret: string): Promise<number> {
  const { body, signature } = notification(pbxCallId, secret);
  const res = await fetch(`${server.url}/zadarma`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', signature },
    body,
  });
  await res.arrayBuffer();
  return res.status;
}

/** Where both instances meet: a fresh SQLite folder, or a fresh PostgreSQL schema. */
async function sharedDatabase(
  dialect: Dialect,
): Promise<{ env: Record<string, string>; cleanup(): Promise<void> }> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-multi-'));
    return { env: { DATA_DIR: dir }, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const schema = `t_multi_${Math.random().toString(16).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    env: { DATABASE_URL: url.toString(), DATA_DIR: mkdtempSync(join(tmpdir(), 'switchboard-multi-')) },
    async cleanup() {
      const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await c.end();
    },
  };
}

describe.each(['sqlite', 'postgres'] as const)('two instances on one %s database', (dialect) => {
  let shared: Awaited<ReturnType<typeof sharedDatabase>>;
  let a: RunningServer;
  let b: RunningServer;

  beforeAll(async () => {
    shared = await sharedDatabase(dialect);
    const env = { ...shared.env, DEMO: '0', SECRET_KEY, LOG_LEVEL: 'silent' };
    a = await startServer({ env, port: 0, host: '127.0.0.1' });
    await a.telephony.update({ apiKey: KEY, apiSecret: OLD_SECRET, secretLeaked: true });
    b = await startServer({ env, port: 0, host: '127.0.0.1' });
  }, 60_000);

  afterAll(async () => {
    await b?.close();
    await a?.close();
    await shared?.cleanup();
  });

  it('applies a secret rotated through one instance on the other without a restart, old secret in grace', async () => {
    expect(await post(b, 'in_multi_before', OLD_SECRET)).toBe(200);
    await a.telephony.update({ apiSecret: NEW_SECRET });
    // Within a second (bus event on PostgreSQL, the version check on both): polled, never slept.
    await vi.waitFor(async () => expect(await post(b, `in_multi_new_${Date.now()}`, NEW_SECRET)).toBe(200), {
      timeout: 5000,
      interval: 50,
    });
    const settings = await b.telephony.settings();
    expect(settings.apiSecret).toBe(NEW_SECRET);
    expect(settings.previousSecret).toBe(OLD_SECRET);
    expect(settings.previousSecretGrace?.hint).toBe('••••••6789');
    // What instance B's /zadarma checks with: the old secret is still accepted during the grace…
    const old = notification('in_multi_old', OLD_SECRET);
    const read = (secrets: { secret: string; previousSecret?: string }) =>
      readWebhook({
        method: 'POST',
        query: '',
        headers: { signature: old.signature },
        body: Buffer.from(old.body),
        contentType: 'application/x-www-form-urlencoded',
        remoteAddress: '127.0.0.1',
        ...secrets,
      });
    expect(read({ secret: NEW_SECRET, previousSecret: settings.previousSecret ?? '' })).toMatchObject({
      kind: 'event',
      secretUsed: 'previous',
    });
    expect(await post(b, 'in_multi_old_http', OLD_SECRET)).toBe(200);
    // …and not at all once the admin says it leaked.
    await a.telephony.update({ secretLeaked: true });
    await vi.waitFor(async () => expect((await b.telephony.settings()).previousSecret).toBeNull(), {
      timeout: 5000,
      interval: 50,
    });
    expect(await post(b, 'in_multi_old_leaked', OLD_SECRET)).toBe(403);
  });

  it('applies a switch changed through one instance on the other', async () => {
    expect((await b.telephony.settings()).features.blacklist).toBe(false);
    await a.telephony.update({ features: { blacklist: true } });
    await vi.waitFor(async () => expect((await b.telephony.settings()).features.blacklist).toBe(true), {
      timeout: 5000,
      interval: 50,
    });
  });

  it("processes a dead instance's stranded entries exactly once while both live instances race for them", async () => {
    const db = a.database.db;
    const longAgo = new Date(Date.now() - 5 * 60_000).toISOString();
    await db
      .insertInto('server_instances')
      .values({ id: 'killed-instance', started_at: longAgo, heartbeat_at: longAgo })
      .execute();
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) {
      const { fields, body } = notification(`in_stranded_${i}`, NEW_SECRET);
      const id = `0190f000-0000-7000-8000-${String(i).padStart(12, '0')}`;
      ids.push(id);
      await db
        .insertInto('webhook_inbox')
        .values({
          id,
          received_at: new Date(Date.now() - 120_000 + i).toISOString(),
          remote_ip: '127.0.0.1',
          event: fields.event,
          pbx_call_id: fields.pbx_call_id,
          body,
          content_type: 'application/x-www-form-urlencoded',
          signature_valid: 1,
          status: 'received',
          error: null,
          processed_at: null,
          instance_id: 'killed-instance',
        })
        .execute();
    }
    // Both instances' lease timers fire at once (triggered here instead of waiting for them).
    await Promise.all([a.lease?.tick(), b.lease?.tick()]);
    const rows = await db
      .selectFrom('webhook_inbox')
      .select(['status', 'instance_id'])
      .where('id', 'in', ids)
      .execute();
    expect(rows.map((r) => r.status)).toEqual(ids.map(() => 'processed'));
    // Each entry claimed by one of the two live instances, none left with the dead one.
    const owners = new Set(rows.map((r) => r.instance_id));
    expect([...owners].every((o) => o === a.telephony.instanceId || o === b.telephony.instanceId)).toBe(true);
    const calls = await db
      .selectFrom('calls')
      .select('pbx_call_id')
      .where('pbx_call_id', 'like', 'in_stranded_%')
      .execute();
    expect(calls).toHaveLength(30);
    // The dead instance, owning nothing any more, is forgotten.
    expect(
      await db.selectFrom('server_instances').select('id').where('id', '=', 'killed-instance').execute(),
    ).toEqual([]);
  });
});
