/**
 * Retention of the webhook inbox and the live events: refused requests, processed (or failed) webhooks and
 * `events` rows older than their period (company settings, in days) are deleted in bounded chunks, every hour.
 * Unprocessed (`received`) entries are never purged: they are work still to do.
 */

import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../../platform/db/schema.js';
import { pruneEvents } from '../../../platform/events/event-store.js';
import { readSettings } from '../../crm/settings/company-settings-store.js';

const DAY_MS = 86_400_000;
/** Rows per DELETE: each statement holds the write lock for milliseconds, not seconds. */
const PURGE_CHUNK = 1000;
/** Chunks per kind and run (a million rows): a huge backlog is worked off over several runs. */
const MAX_CHUNKS_PER_RUN = 1000;
/** Arbitrary constant naming the purge's PostgreSQL advisory lock ("sbpurge" in ASCII, truncated). */
export const PURGE_LOCK_KEY = 0x7362_7075;

export interface PurgeResult {
  /** Refused (`rejected`) inbox entries deleted. */
  readonly refused: number;
  /** Processed and failed inbox entries deleted. */
  readonly processed: number;
  /** `events` rows deleted. */
  readonly events: number;
  /** True when another instance held the purge lock, so this one did nothing. */
  readonly skipped: boolean;
}

export interface PurgeOptions {
  readonly now?: Date;
  readonly chunkSize?: number;
  /** Called after every DELETE with the rows it removed. Why: tests check that chunks stay bounded. */
  readonly onChunk?: (kind: 'refused' | 'processed' | 'events', deleted: number) => void;
}

async function inChunks(
  deleteChunk: (limit: number) => Promise<number>,
  chunkSize: number,
  report: (deleted: number) => void,
): Promise<number> {
  let total = 0;
  for (let i = 0; i < MAX_CHUNKS_PER_RUN; i++) {
    const deleted = await deleteChunk(chunkSize);
    report(deleted);
    total += deleted;
    if (deleted < chunkSize) {
      break;
    }
    // Let webhooks and API requests run between chunks.
    await yieldToLoop();
  }
  return total;
}

function deleteInbox(
  db: Kysely<Database>,
  statuses: readonly ('rejected' | 'processed' | 'failed')[],
  before: string,
): (limit: number) => Promise<number> {
  return async (limit) => {
    const result = await db
      .deleteFrom('webhook_inbox')
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('webhook_inbox')
          .select('id')
          .where('received_at', '<', before)
          .where('status', 'in', [...statuses])
          .limit(limit),
      )
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  };
}

/**
 * Deletes what is past its retention period, chunk by chunk, through `db` (one connection or the pool).
 * Why: without it, refused requests and replay events grow the database without bound (issue 9, finding 2).
 */
export async function purgeExpired(db: Kysely<Database>, options: PurgeOptions = {}): Promise<PurgeResult> {
  const now = (options.now ?? new Date()).getTime();
  const chunkSize = options.chunkSize ?? PURGE_CHUNK;
  const onChunk = options.onChunk ?? (() => {});
  const settings = await readSettings(db);
  const cutoff = (days: number) => new Date(now - days * DAY_MS).toISOString();
  const refused = await inChunks(
    deleteInbox(db, ['rejected'], cutoff(settings.refusedWebhookRetentionDays)),
    chunkSize,
    (n) => onChunk('refused', n),
  );
  const processed = await inChunks(
    deleteInbox(db, ['processed', 'failed'], cutoff(settings.processedWebhookRetentionDays)),
    chunkSize,
    (n) => onChunk('processed', n),
  );
  const eventsBefore = cutoff(settings.liveEventRetentionDays);
  const events = await inChunks(
    (limit) => pruneEvents(db, eventsBefore, limit),
    chunkSize,
    (n) => onChunk('events', n),
  );
  return { refused, processed, events, skipped: false };
}

/**
 * Purges on one instance at a time: on PostgreSQL under a session advisory lock (others skip the run), on
 * SQLite directly (one process owns the file).
 * Why: several instances purging the same rows at once would only contend for the same locks.
 */
export async function purgeExpiredOnce(
  db: Kysely<Database>,
  dialect: 'sqlite' | 'postgres',
  options: PurgeOptions = {},
): Promise<PurgeResult> {
  if (dialect === 'sqlite') {
    return purgeExpired(db, options);
  }
  // A session lock lives on one connection: take it, purge and release it on that same connection.
  return db.connection().execute(async (conn) => {
    const got = await sql<{
      locked: boolean;
    }>`select pg_try_advisory_lock(${PURGE_LOCK_KEY}) as locked`.execute(conn);
    if (!got.rows[0]?.locked) {
      return { refused: 0, processed: 0, events: 0, skipped: true };
    }
    try {
      return await purgeExpired(conn, options);
    } finally {
      await sql`select pg_advisory_unlock(${PURGE_LOCK_KEY})`.execute(conn);
    }
  });
}

export interface RetentionSchedule {
  /** Stops the timer and waits for a run in progress. */
  stop(): Promise<void>;
}

export interface RetentionScheduleOptions {
  readonly db: Kysely<Database>;
  readonly dialect: 'sqlite' | 'postgres';
  readonly log: {
    info(obj: object, msg: string): void;
    error(obj: object, msg: string): void;
  };
  /** Between runs (default one hour). */
  readonly intervalMs?: number;
  /** Before the first run (default one minute, so start-up and recovery come first). */
  readonly firstRunMs?: number;
}

/**
 * Runs `purgeExpiredOnce` shortly after start, then every hour; a failed run is logged and retried next time.
 * Why: the composition root starts it once the server listens and stops it on close.
 */
export function startRetentionSchedule(options: RetentionScheduleOptions): RetentionSchedule {
  const { db, dialect, log } = options;
  let running: Promise<void> | null = null;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  const run = () => {
    timer = null;
    running = purgeExpiredOnce(db, dialect)
      .then(
        (result) => {
          if (result.refused + result.processed + result.events > 0) {
            log.info(result, 'retention: purged expired webhooks and live events');
          }
        },
        (error: unknown) => log.error({ err: error }, 'retention purge failed; retrying at the next run'),
      )
      .finally(() => {
        running = null;
        if (!stopped) {
          timer = setTimeout(run, options.intervalMs ?? 3_600_000);
          timer.unref();
        }
      });
  };
  timer = setTimeout(run, options.firstRunMs ?? 60_000);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      if (timer) {
        clearTimeout(timer);
      }
      await running;
    },
  };
}
