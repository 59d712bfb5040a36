/**
 * The `UnitOfWork` port on a Kysely transaction: `run(work)` opens one, hands `work` the ports bound to it
 * (`bind`), commits, and only then delivers the events `work` published (a staging publisher on the bus,
 * persisted inside the transaction). While another process holds SQLite's write lock the unit waits and runs
 * again: a batch is never failed for someone else's lock.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { type Kysely, sql } from 'kysely';
import { busyPauseMs, isDatabaseBusy } from '../../../platform/db/database.js';
import { gatherWhileGrowing } from '../../../platform/db/gather-while-growing.js';
import type { Database } from '../../../platform/db/schema.js';
import { type EventBus, type EventPublisher, stagingPublisher } from '../../../platform/events/event-bus.js';
import type { UnitOfWork } from '../ports.js';

/**
 * The flushes that ports bound to one transaction hand over (`beforeCommit`), run in the order handed by `run`,
 * inside the transaction before it commits. Why one place: the unit of work, and whoever binds ports to a
 * transaction of their own (the demo's seeding, tests), must run them all, or rollups are lost.
 */
export function beforeCommitFlushes(): {
  readonly beforeCommit: (flush: () => Promise<void>) => void;
  run(): Promise<void>;
} {
  const flushes: (() => Promise<void>)[] = [];
  return {
    beforeCommit: (flush) => {
      flushes.push(flush);
    },
    async run() {
      for (const flush of flushes.splice(0)) {
        await flush();
      }
    },
  };
}

/** How many event-loop turns a group commit waits for more work at most. */
const MAX_GATHER_TURNS = 8;

/**
 * A unit of work over `db`'s transactions; `bind(trx, publisher, beforeCommit)` builds the ports of one, and each
 * flush handed to `beforeCommit` runs in the transaction after the work, before the commit (the call
 * repository's summed rollups, kysely-call-repository.ts `within`; on PostgreSQL the inbox's gathered marks).
 * Why: the batch processor stays free of Kysely; the adapter owns the transaction, the staging and the retry.
 */
export function createKyselyUnitOfWork<Ports>(options: {
  readonly db: Kysely<Database>;
  readonly bus: EventBus;
  readonly bind: (
    trx: Kysely<Database>,
    publisher: EventPublisher,
    beforeCommit: (flush: () => Promise<void>) => void,
  ) => Ports;
  /**
   * PostgreSQL only: each unit commits without waiting for its WAL flush (`synchronous_commit = off` for that
   * transaction alone). Only for units whose every write is derived from input stored durably before them and
   * redone from it if lost: a crash then loses the last units whole (never a part of one), their inputs stay
   * unprocessed and are processed again. Why: the webhook batches' fsyncs queued with the one a ringing caller's
   * inbox entry waits on (issue 12); SQLite's `synchronous=NORMAL` already commits so.
   */
  readonly commitWithoutFlush?: boolean;
}): UnitOfWork<Ports> {
  const { db, bus, bind } = options;
  const withoutFlush = options.commitWithoutFlush === true;
  async function once<T>(work: (ports: Ports) => Promise<T>): Promise<T> {
    let staged: (EventPublisher & { commit(): void }) | null = null;
    const result = await db.transaction().execute(async (trx) => {
      if (withoutFlush) {
        await sql`set local synchronous_commit = off`.execute(trx);
      }
      const publisher = stagingPublisher(bus, trx);
      staged = publisher;
      const flushes = beforeCommitFlushes();
      const result = await work(bind(trx, publisher, flushes.beforeCommit));
      await flushes.run();
      return result;
    });
    // Committed: now, and only now, anyone hears of it.
    (staged as (EventPublisher & { commit(): void }) | null)?.commit();
    return result;
  }
  return {
    async run(work) {
      for (let tries = 0; ; tries++) {
        try {
          return await once(work);
        } catch (error) {
          if (!isDatabaseBusy(error)) {
            throw error;
          }
        }
        await sleep(busyPauseMs(tries));
      }
    },
    gather: (size, enough) => gatherWhileGrowing(size, { enough, maxTurns: MAX_GATHER_TURNS }),
  };
}
