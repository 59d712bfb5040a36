/**
 * Server instances sharing one database (issue 9, finding 5): each has an id and a heartbeat in
 * `server_instances`; the inbox records which instance received each entry. An instance whose heartbeat is
 * older than the lease is dead, and any live instance claims its unprocessed entries (kysely-inbox-repository.ts
 * `claimStrandedInboxEntries`) and processes them, oldest first.
 *
 * A crash restart need not wait out the lease: an instance id names the process that made it
 * (platform/instances/process-identity.ts), so a starting instance knows a predecessor on the same machine whose
 * process is gone is dead, whatever its last heartbeat says, and takes over its entries at once.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../../platform/db/schema.js';
import { madeByDeadProcess, type ProcessIdentity } from '../../../platform/instances/process-identity.js';
import type { InboxClaims } from '../ports.js';
import { claimStrandedInboxEntries } from './kysely-inbox-repository.js';

/** An instance silent for this long is dead: others take over its unprocessed entries. */
const INSTANCE_LEASE_MS = 30_000;
/** How often an instance renews its heartbeat and looks for dead instances' entries. */
const INSTANCE_HEARTBEAT_MS = 5_000;

/** A heartbeat older than any lease. */
const EXPIRED = '1970-01-01T00:00:00.000Z';

/**
 * Marks as expired the heartbeat of every other instance made by a process of this machine that is gone
 * (`madeByDeadProcess`). Returns their ids.
 * Why: a crash restart resumes the dead instance's work at once instead of after its lease; an instance
 * elsewhere, or one whose id names no process, keeps its lease, since nothing here can tell whether it lives.
 */
export async function expireDeadPredecessors(
  db: Kysely<Database>,
  options: {
    readonly instanceId: string;
    readonly self?: ProcessIdentity;
    readonly isRunning?: (pid: number) => boolean;
  },
): Promise<string[]> {
  const rows = await db
    .selectFrom('server_instances')
    .select('id')
    .where('id', '!=', options.instanceId)
    .where('heartbeat_at', '>', EXPIRED)
    .execute();
  const dead = rows
    .map((row) => row.id)
    .filter((id) => madeByDeadProcess(id, options.self, options.isRunning));
  if (dead.length > 0) {
    await db.updateTable('server_instances').set({ heartbeat_at: EXPIRED }).where('id', 'in', dead).execute();
  }
  return dead;
}

/**
 * Records (or renews) the instance's heartbeat at `at`. Why: an upsert, so an instance another one wrongly
 * forgot (after a long pause) comes back to life with its next beat.
 */
export async function beatServerInstance(db: Kysely<Database>, id: string, at: string): Promise<void> {
  await db
    .insertInto('server_instances')
    .values({ id, started_at: at, heartbeat_at: at })
    .onConflict((oc) => oc.column('id').doUpdateSet({ heartbeat_at: at }))
    .execute();
}

/** Removes the instance's row. Why: a clean stop; anything it left `received` becomes claimable at once. */
async function retireServerInstance(db: Kysely<Database>, id: string): Promise<void> {
  await db.deleteFrom('server_instances').where('id', '=', id).execute();
}

/** Forgets dead instances that own no unprocessed entry any more. Why: the live list stays short. */
async function forgetDeadServerInstances(db: Kysely<Database>, leaseExpiredBefore: string): Promise<void> {
  await db
    .deleteFrom('server_instances')
    .where('heartbeat_at', '<', leaseExpiredBefore)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('webhook_inbox')
            .select('webhook_inbox.id')
            .where('webhook_inbox.status', '=', 'received')
            .whereRef('webhook_inbox.instance_id', '=', 'server_instances.id'),
        ),
      ),
    )
    .execute();
}

export interface InstanceLeaseOptions {
  readonly db: Kysely<Database>;
  readonly instanceId: string;
  /**
   * Claims and processes what dead instances left (the ingest's `recover`); receives this instance's start
   * (unowned entries received before it are stranded too) and the instant before which a heartbeat is expired.
   */
  readonly recover: (before: string, options: { readonly leaseExpiredBefore: string }) => Promise<number>;
  readonly leaseMs?: number;
  readonly heartbeatMs?: number;
  readonly now?: () => number;
  readonly onError?: (error: unknown) => void;
  /** Told how many entries each takeover processed (when any). */
  readonly onRecovered?: (count: number) => void;
  /** This process (default: the real one); with `isRunning`, what tells a dead predecessor on this place. */
  readonly self?: ProcessIdentity;
  readonly isRunning?: (pid: number) => boolean;
  /** Told the ids of the dead predecessors whose lease was ended at start (when any). */
  readonly onPredecessorsExpired?: (ids: readonly string[]) => void;
}

export interface InstanceLease {
  /** One heartbeat and one takeover of dead instances' entries (what the timer runs; single-flight). */
  tick(): Promise<void>;
  /** Stops the timer and waits for a running tick. */
  stop(): Promise<void>;
  /** Removes this instance's row (after its work is drained): what it left is claimable at once. */
  retire(): Promise<void>;
}

/**
 * Registers the instance and starts its heartbeat and takeover timer (unref'd).
 * Why: with several instances, a killed one's accepted backlog is processed by the others within a lease.
 */
export async function startInstanceLease(options: InstanceLeaseOptions): Promise<InstanceLease> {
  const { db, instanceId } = options;
  const now = options.now ?? Date.now;
  const leaseMs = options.leaseMs ?? INSTANCE_LEASE_MS;
  const report = options.onError ?? (() => {});
  const startedAt = new Date(now()).toISOString();
  await beatServerInstance(db, instanceId, startedAt);
  // Before the start-up recovery runs: what a crashed predecessor here left is then claimable at once.
  const expired = await expireDeadPredecessors(db, {
    instanceId,
    ...(options.self ? { self: options.self } : {}),
    ...(options.isRunning ? { isRunning: options.isRunning } : {}),
  });
  if (expired.length > 0) {
    options.onPredecessorsExpired?.(expired);
  }
  let running: Promise<void> | null = null;

  async function once(): Promise<void> {
    const at = now();
    await beatServerInstance(db, instanceId, new Date(at).toISOString());
    const leaseExpiredBefore = new Date(at - leaseMs).toISOString();
    // Unowned entries of after the start are not touched: an instance of an older version may be processing them.
    const count = await options.recover(startedAt, { leaseExpiredBefore });
    if (count > 0) {
      options.onRecovered?.(count);
    }
    await forgetDeadServerInstances(db, leaseExpiredBefore);
  }

  function tick(): Promise<void> {
    if (!running) {
      running = once().finally(() => {
        running = null;
      });
    }
    return running;
  }

  const timer = setInterval(() => {
    tick().catch(report);
  }, options.heartbeatMs ?? INSTANCE_HEARTBEAT_MS);
  timer.unref();

  return {
    tick,
    async stop() {
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
    retire: () => retireServerInstance(db, instanceId),
  };
}

/** The `InboxClaims` port of instance `instanceId`: its heartbeat here, its claims on the inbox table. */
export function createKyselyInboxClaims(db: Kysely<Database>, instanceId: string): InboxClaims {
  return {
    instanceId,
    leaseMs: INSTANCE_LEASE_MS,
    beat: (at) => beatServerInstance(db, instanceId, at),
    claim: (query) => claimStrandedInboxEntries(db, { instanceId, ...query }),
  };
}
