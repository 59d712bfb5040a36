/**
 * A crash restart resumes at once: a starting instance ends the lease of the instances that ran in its place
 * (same host, boot and PID namespace) and whose process is gone, so the entries they stored but did not process
 * are claimed by the start-up recovery instead of after the 30 s lease. Instances elsewhere keep their lease.
 */
import { spawnSync } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  currentProcessIdentity,
  type ProcessIdentity,
  processScopedId,
} from '../../../platform/instances/process-identity.js';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from '../../../test-support/test-database.js';
import { claimStrandedInboxEntries, createInboxRepository } from './kysely-inbox-repository.js';
import { expireDeadPredecessors, type InstanceLease, startInstanceLease } from './server-instances.js';

const STARTED = Date.parse('2026-12-04T12:00:00.000Z');
const HERE: ProcessIdentity = { place: 'a1b2c3d4e5f60718', pid: 4242, startedAt: STARTED };
const ELSEWHERE: ProcessIdentity = { place: '0f1e2d3c4b5a6978', pid: 4242, startedAt: STARTED };
const LEASE_MS = 30_000;
const newServerInstanceId = (identity: ProcessIdentity) => processScopedId(identity, STARTED + 1_000);

describe.each(TEST_DIALECTS)('a crash restart on %s', (dialect) => {
  let database: TestDatabase;
  const leases: InstanceLease[] = [];
  beforeAll(async () => {
    database = await openTestDatabase(dialect);
  });
  afterEach(async () => {
    await Promise.all(leases.splice(0).map((lease) => lease.stop()));
    await database.db.deleteFrom('webhook_inbox').execute();
    await database.db.deleteFrom('server_instances').execute();
  });
  afterAll(async () => {
    await database?.cleanup();
  });

  /** An instance that beat a second ago (its lease runs for 29 s more) and left `count` entries unprocessed. */
  async function crashed(id: string, count: number): Promise<void> {
    const now = new Date(Date.now() - 1_000).toISOString();
    await database.db
      .insertInto('server_instances')
      .values({ id, started_at: now, heartbeat_at: now })
      .execute();
    const inbox = createInboxRepository(database.db, { instanceId: id });
    for (let i = 0; i < count; i++) {
      await inbox.append({
        receivedAt: now,
        remoteIp: null,
        event: 'NOTIFY_START',
        pbxCallId: `in_${id.slice(-8)}_${i}`,
        body: 'event=NOTIFY_START',
        contentType: null,
        signatureValid: true,
        status: 'received',
      });
    }
  }

  /** What the start-up recovery of `instanceId` claims now (the default lease, as the ingest asks). */
  const claimable = async (instanceId: string) =>
    (
      await claimStrandedInboxEntries(database.db, {
        instanceId,
        leaseExpiredBefore: new Date(Date.now() - LEASE_MS).toISOString(),
        receivedBefore: new Date().toISOString(),
      })
    ).length;

  async function start(instanceId: string, isRunning: (pid: number) => boolean): Promise<string[]> {
    let expired: readonly string[] = [];
    leases.push(
      await startInstanceLease({
        db: database.db,
        instanceId,
        recover: async () => 0,
        self: HERE,
        isRunning,
        onPredecessorsExpired: (ids) => {
          expired = ids;
        },
        heartbeatMs: 3_600_000,
      }),
    );
    return [...expired];
  }

  it('takes over at once the entries of a predecessor here whose process is gone', async () => {
    const dead = newServerInstanceId({ ...HERE, pid: 1001 });
    await crashed(dead, 3);
    const next = newServerInstanceId(HERE);
    expect(await claimable(newServerInstanceId(HERE))).toBe(0);
    expect(await start(next, (pid) => pid !== 1001)).toEqual([dead]);
    expect(await claimable(next)).toBe(3);
  });

  it('takes over from a predecessor with its own PID (a restarted container whose first process it is)', async () => {
    const dead = processScopedId(HERE, STARTED - 60_000);
    await crashed(dead, 2);
    const next = newServerInstanceId(HERE);
    expect(await start(next, () => true)).toEqual([dead]);
    expect(await claimable(next)).toBe(2);
  });

  it('leaves the lease of a live instance here, of any instance elsewhere, and of ids naming no place', async () => {
    const alive = newServerInstanceId({ ...HERE, pid: 1002 });
    const remote = newServerInstanceId({ ...ELSEWHERE, pid: 1003 });
    // Made by this very process after it started: another instance in it, alive.
    const sibling = newServerInstanceId(HERE);
    await crashed(alive, 1);
    await crashed(remote, 1);
    await crashed(sibling, 1);
    await crashed('legacy-instance-id', 1);
    const next = newServerInstanceId(HERE);
    expect(await start(next, (pid) => pid === 1002)).toEqual([]);
    expect(await claimable(next)).toBe(0);
    const beats = await database.db.selectFrom('server_instances').select('heartbeat_at').execute();
    expect(beats.every((row) => Date.parse(String(row.heartbeat_at)) > Date.now() - LEASE_MS)).toBe(true);
  });

  it('tells a dead PID by asking the system (a child process that has exited)', async () => {
    const child = spawnSync(process.execPath, ['-e', '0']);
    expect(child.status).toBe(0);
    const me = currentProcessIdentity();
    const dead = processScopedId({ ...me, pid: child.pid as number });
    const alive = processScopedId({ ...me, pid: process.ppid });
    await crashed(dead, 1);
    await crashed(alive, 1);
    const expired = await expireDeadPredecessors(database.db, { instanceId: processScopedId() });
    expect(expired).toEqual([dead]);
  });
});
