/**
 * Processing of stored, verified notifications after their answer — in batches: whatever queued up while the
 * previous batch ran is processed in ONE transaction, in arrival order, and its live events are delivered only
 * once that transaction has committed. A failing batch is rolled back and replayed one event per transaction,
 * so only the culprit is marked failed and its neighbours still land.
 * Why: one commit per event and per write (fold, link, bus row, timeline, inbox status) was most of the
 * ingest's cost (issue 5 bench); a batch makes it one commit for all of them.
 */

import { setTimeout as sleep } from 'node:timers/promises';
import type { TWebhookEvent } from '@switchboard/zadarma';
import { busyPauseMs, isDatabaseBusy } from '../../../platform/db/database.js';
import { gatherWhileGrowing } from '../../../platform/db/gather-while-growing.js';
import { stagingPublisher } from '../../../platform/events/event-bus.js';
import { recordActivities } from '../../crm/timeline/record-activity.js';
import { toCallEvent } from '../adapters/zadarma/zadarma-call-event.js';
import { CallEventRefusedError } from '../domain/call-event.js';
import type { RoutingDecision } from '../domain/routing-policy.js';
import type { StoredCall } from '../ports.js';
import type { ProcessingContext, TelephonyServices } from '../telephony-services.js';
import { handleCallEvent } from './handle-call-event.js';

/** One stored notification to process. */
interface ProcessingJob {
  readonly entryId: string;
  readonly event: TWebhookEvent;
  readonly receivedAt: string;
  /** The NOTIFY_START routing decision, kept on the call's trace. */
  readonly decision?: RoutingDecision | undefined;
}

export interface BatchProcessor {
  /** Queues a job; resolves once it is processed or marked failed (never rejects). */
  submit(job: ProcessingJob): Promise<void>;
  /** Resolves when the queue is empty and no batch is running (tests, shutdown, the bench). */
  idle(): Promise<void>;
}

export interface BatchProcessorOptions {
  /** Most jobs per transaction (default 64): bounds how long a batch holds SQLite's one connection. */
  readonly maxBatch?: number;
  readonly onError?: (error: unknown, context: string) => void;
}

const DEFAULT_MAX_BATCH = 64;
const MAX_GATHER_TURNS = 8;

/** What a batch reads once: the processing context, and the time its events are marked processed at. */
interface BatchContext extends ProcessingContext {
  readonly now: string;
}

interface Queued extends ProcessingJob {
  readonly settle: () => void;
}

/** Creates the processor of one app's notifications. */
export function createBatchProcessor(
  services: TelephonyServices,
  options: BatchProcessorOptions = {},
): BatchProcessor {
  const maxBatch = Math.max(1, options.maxBatch ?? DEFAULT_MAX_BATCH);
  const report = options.onError ?? (() => {});
  let queue: Queued[] = [];
  let draining: Promise<void> | null = null;

  async function processOne(scoped: TelephonyServices, job: ProcessingJob, context: BatchContext) {
    const callEvent = toCallEvent(job.event, { timezone: context.timezone, receivedAt: job.receivedAt });
    if (callEvent) {
      let call: StoredCall;
      try {
        call = await handleCallEvent(scoped, callEvent);
      } catch (error) {
        // A refusal (its call's signed identity, domain/call-identity.ts) writes nothing before it throws, so the
        // rest of the batch stands: only this entry ends failed, with the reason.
        if (!(error instanceof CallEventRefusedError)) {
          throw error;
        }
        await scoped.inbox.markFailed(job.entryId, error.message, context.now);
        return;
      }
      if (job.decision) {
        // The call's trace: what was decided for NOTIFY_START and why.
        await recordActivities(scoped.db, [
          {
            subjectType: 'call',
            subjectId: call.id,
            kind: 'updated',
            actorId: null,
            at: job.receivedAt,
            title: 'NOTIFY_START routing decision',
            event: { type: 'call.routing', params: {} },
            body: job.decision.reason,
            payload: { reply: job.decision.reply },
          },
        ]);
      }
    }
    await scoped.inbox.markProcessed(job.entryId, context.now);
  }

  /** Processes `jobs` in one transaction; throws (having rolled back and told no one) if any of them fails. */
  async function inOneTransaction(jobs: readonly ProcessingJob[], context: BatchContext): Promise<void> {
    const publisher = await services.db.transaction().execute(async (trx) => {
      const staged = stagingPublisher(services.bus, trx);
      const scoped = services.within(trx, staged, context);
      for (const job of jobs) {
        await processOne(scoped, job, context);
      }
      return staged;
    });
    // Committed: now, and only now, anyone hears of it.
    publisher.commit();
  }

  async function markFailed(job: ProcessingJob, error: unknown): Promise<void> {
    report(error, `processing ${job.event.event} (inbox ${job.entryId})`);
    const message = error instanceof Error ? error.message : String(error);
    await services.inbox
      .markFailed(job.entryId, message, new Date().toISOString())
      .catch((e: unknown) => report(e, 'markFailed'));
  }

  /**
   * Runs `work` until it does not fail because another process holds the database's write lock: the events
   * stay `received` and wait (asynchronously) rather than being marked failed for someone else's lock.
   */
  async function whileBusy(work: () => Promise<void>): Promise<void> {
    for (let tries = 0; ; tries++) {
      try {
        return await work();
      } catch (error) {
        if (!isDatabaseBusy(error)) {
          throw error;
        }
      }
      await sleep(busyPauseMs(tries));
    }
  }

  async function runBatch(batch: readonly Queued[]): Promise<void> {
    try {
      // Entries a busy database sent to the journal are in the inbox before their status is written.
      await services.inboxStored?.();
      let context: BatchContext;
      try {
        // Read before the transaction: on SQLite a settings read inside it would wait for its own connection.
        context = {
          defaultCountry: await services.defaultCountry(),
          timezone: await services.timezone(),
          now: new Date().toISOString(),
        };
      } catch (error) {
        for (const job of batch) {
          await markFailed(job, error);
        }
        return;
      }
      if (batch.length > 1) {
        try {
          await whileBusy(() => inOneTransaction(batch, context));
          return;
        } catch {
          // Someone in the batch failed: replay one per transaction below to find out who.
        }
      }
      for (const job of batch) {
        try {
          await whileBusy(() => inOneTransaction([job], context));
        } catch (error) {
          await markFailed(job, error);
        }
      }
    } finally {
      for (const job of batch) {
        job.settle();
      }
    }
  }

  async function drain(): Promise<void> {
    do {
      // Under load the batch takes in what the sockets are delivering (one commit for all of it).
      await gatherWhileGrowing(() => queue.length, { enough: maxBatch, maxTurns: MAX_GATHER_TURNS });
      const batch = queue.slice(0, maxBatch);
      queue = queue.slice(batch.length);
      await runBatch(batch);
    } while (queue.length > 0);
    draining = null;
  }

  return {
    submit(job) {
      return new Promise<void>((resolve) => {
        queue.push({ ...job, settle: resolve });
        draining ??= drain();
      });
    },
    async idle() {
      while (draining) {
        await draining;
      }
    },
  };
}
