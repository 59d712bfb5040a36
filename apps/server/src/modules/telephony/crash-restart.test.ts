/**
 * A crash restart resumes at once (issue 10): the webhooks a crashed instance stored but did not process are
 * processed by the next start on the same host, without waiting out the crashed instance's lease. Here the crashed
 * instance's last heartbeat lies ten minutes ahead (a clock that ran fast), so only the take-over at start can
 * free its entries while the test runs.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { currentProcessIdentity, processScopedId } from '../../platform/instances/process-identity.js';
import { type RunningServer, startServer } from '../../server.js';

const SECRET = 'crash-secret-0123456789';

describe('a restart after a crash', () => {
  let dir: string;
  let server: RunningServer | null = null;
  const env = () => ({ DATA_DIR: dir, DEMO: '0', SECRET_KEY: 'cd'.repeat(32), LOG_LEVEL: 'silent' });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'switchboard-crash-'));
    const first = await startServer({ env: env(), port: 0, host: '127.0.0.1' });
    await first.telephony.update({ apiKey: 'crash-key-0123456789', apiSecret: SECRET });
    await first.close();
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("processes at once what the crashed instance on this host stored, and ends the crashed instance's lease", async () => {
    // The crashed process: one that ran here and has exited.
    const exited = spawnSync(process.execPath, ['-e', '0']).pid as number;
    const crashed = processScopedId({ ...currentProcessIdentity(), pid: exited });
    const ahead = new Date(Date.now() + 10 * 60_000).toISOString();
    const fields = {
      event: 'NOTIFY_INTERNAL',
      call_start: new Date().toISOString().slice(0, 19).replace('T', ' '),
      pbx_call_id: 'in_crashed_1',
      caller_id: '33612345678',
      called_did: '442037691999',
      internal: '101',
    };
    // Written straight into the database the crashed instance shared, as it left it.
    const seed = await startServer({ env: env(), port: 0, host: '127.0.0.1' });
    await seed.database.db
      .insertInto('server_instances')
      .values({ id: crashed, started_at: ahead, heartbeat_at: ahead })
      .execute();
    await seed.database.db
      .insertInto('webhook_inbox')
      .values({
        id: '0190f000-0000-7000-8000-00000000c4a5',
        received_at: new Date(Date.now() - 1_000).toISOString(),
        remote_ip: '127.0.0.1',
        event: fields.event,
        pbx_call_id: fields.pbx_call_id,
        body: new URLSearchParams(fields).toString(),
        content_type: 'application/x-www-form-urlencoded',
        signature_valid: 1,
        status: 'received',
        error: null,
        processed_at: null,
        instance_id: crashed,
      })
      .execute();
    await seed.close();

    server = await startServer({ env: env(), port: 0, host: '127.0.0.1' });
    const db = server.database.db;
    const lease = await db
      .selectFrom('server_instances')
      .select('heartbeat_at')
      .where('id', '=', crashed)
      .executeTakeFirst();
    expect(lease === undefined || Date.parse(String(lease.heartbeat_at)) < Date.now() - 60_000).toBe(true);
    // Processed by the start-up recovery in the background: polled, never slept.
    await vi.waitFor(
      async () => {
        const entry = await db
          .selectFrom('webhook_inbox')
          .select(['status', 'instance_id'])
          .where('pbx_call_id', '=', 'in_crashed_1')
          .executeTakeFirstOrThrow();
        expect(entry).toEqual({ status: 'processed', instance_id: server?.telephony.instanceId });
      },
      { timeout: 20_000, interval: 50 },
    );
    const calls = await db
      .selectFrom('calls')
      .select('id')
      .where('pbx_call_id', '=', 'in_crashed_1')
      .execute();
    expect(calls).toHaveLength(1);
  });
});
