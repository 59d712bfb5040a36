/**
 * Wires the history import and the reconciliation (issue 11): the runs' store, Zadarma's statistics as the source,
 * the call repository the webhooks fold into, the links, and the job queue — the `telephony.history-run` job (one
 * page per run of it, the next page queued by the step) and the nightly `telephony.reconcile-nightly`.
 */
import type SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import type { EventBus } from '../../platform/events/event-bus.js';
import { newId } from '../../platform/ids.js';
import type { JobQueueDriver } from '../../platform/jobs/job-queue.js';
import { createHistoryCallLinks } from './adapters/history-call-links-over-lookups.js';
import type { TransactionalCallRepository } from './adapters/kysely-call-repository.js';
import { createKyselyCallTimeline } from './adapters/kysely-call-timeline.js';
import { createKyselyContactLookup } from './adapters/kysely-contact-lookup.js';
import { createKyselyExtensionDirectory } from './adapters/kysely-extension-directory.js';
import { createKyselyHistoryRunStore } from './adapters/kysely-history-runs.js';
import { createKyselyUnitOfWork } from './adapters/kysely-unit-of-work.js';
import { systemClock } from './adapters/system-clock.js';
import type { TelephonyRuntime } from './adapters/zadarma/telephony-runtime.js';
import {
  BadHistoryPageError,
  createZadarmaCallHistorySource,
} from './adapters/zadarma/zadarma-call-history-source.js';
import type { HistoryFoldPorts, TelephonySettingsReader } from './ports.js';
import { failHistoryRun, type HistoryPorts, runHistoryStep } from './use-cases/import-call-history.js';
import { reconcileNightly } from './use-cases/reconcile-calls.js';

const HISTORY_RUN_JOB = 'telephony.history-run';
const NIGHTLY_RECONCILE_JOB = 'telephony.reconcile-nightly';
/** Attempts per page: a 5xx or a network failure is retried with the queue's doubling backoff this many times. */
const PAGE_ATTEMPTS = 10;
/** The nightly run's hour (UTC): after the day's calls, before the morning's. */
const NIGHTLY_HOUR_UTC = 2;
const SCHEDULE_CHECK_MS = 60 * 60_000;

interface HistoryRunPayload {
  readonly runId: string;
  readonly step: number;
}

export interface CallHistory {
  /** Null without a job queue: nothing would run the import, so the routes refuse to start one. */
  readonly ports: HistoryPorts | null;
  startSchedule(): void;
  stopSchedule(): void;
}

export interface CallHistoryOptions {
  readonly db: Kysely<Database>;
  readonly runtime: TelephonyRuntime;
  /** The webhooks' call repository: a page's calls are folded by it inside the history's own transactions. */
  readonly calls: TransactionalCallRepository;
  readonly bus: EventBus;
  readonly sqlite: SQLite.Database | null;
  readonly settings: TelephonySettingsReader;
  readonly jobs: JobQueueDriver | null;
  readonly onError?: (error: unknown, context: string) => void;
}

/** The next 02:00 UTC after `now`. */
function nextNight(now: number): Date {
  const at = new Date(now);
  at.setUTCHours(NIGHTLY_HOUR_UTC, 0, 0, 0);
  if (at.getTime() <= now) {
    at.setUTCDate(at.getUTCDate() + 1);
  }
  return at;
}

export function createCallHistory(options: CallHistoryOptions): CallHistory {
  const { jobs } = options;
  if (!jobs) {
    return { ports: null, startSchedule() {}, stopSchedule() {} };
  }
  const ports: HistoryPorts = {
    runs: createKyselyHistoryRunStore(options.db),
    source: createZadarmaCallHistorySource(options.runtime, options.settings),
    folds: createKyselyUnitOfWork<HistoryFoldPorts>({
      db: options.db,
      bus: options.bus,
      // On SQLite the prepared statements run on the one connection, so they read inside the transaction.
      bind: (trx, _publisher, beforeCommit) => {
        const directory = createKyselyExtensionDirectory(trx, options.sqlite);
        return {
          calls: options.calls.within(trx, beforeCommit),
          timeline: createKyselyCallTimeline(trx),
          links: createHistoryCallLinks(createKyselyContactLookup(trx, options.sqlite), directory),
          directory,
        };
      },
    }),
    defaultCountry: () => options.settings.defaultCountry(),
    jobs: {
      async runNext(runId, step, at) {
        await jobs.enqueue<HistoryRunPayload>(
          HISTORY_RUN_JOB,
          { runId, step },
          { idempotencyKey: `${runId}:${step}`, maxAttempts: PAGE_ATTEMPTS, ...(at ? { runAt: at } : {}) },
        );
      },
    },
    clock: systemClock,
    pbxClock: { now: () => (options.runtime.simulator ? options.runtime.simulator.now() : Date.now()) },
    newId,
  };
  jobs.handle<HistoryRunPayload>(HISTORY_RUN_JOB, async (job) => {
    try {
      await runHistoryStep(ports, job.payload.runId, job.payload.step);
    } catch (error) {
      // A page that is not a page will not become one: the run fails now and says why. Anything else (a 5xx,
      // the network) is retried from the same cursor until the attempts run out.
      if (error instanceof BadHistoryPageError || job.attempt >= job.maxAttempts) {
        await failHistoryRun(ports, job.payload.runId, (error as Error).message);
        return;
      }
      throw error;
    }
  });
  jobs.handle(NIGHTLY_RECONCILE_JOB, async () => {
    if (!(await options.runtime.client())) {
      return;
    }
    await reconcileNightly(ports);
  });
  let timer: NodeJS.Timeout | null = null;
  function scheduleTonight(): void {
    const at = nextNight(systemClock.now());
    jobs
      ?.enqueue(
        NIGHTLY_RECONCILE_JOB,
        {},
        { idempotencyKey: `night:${at.toISOString().slice(0, 10)}`, runAt: at, maxAttempts: 3 },
      )
      .catch((error: unknown) => options.onError?.(error, 'scheduling the nightly reconciliation'));
  }
  return {
    ports,
    startSchedule() {
      if (timer) {
        return;
      }
      scheduleTonight();
      timer = setInterval(scheduleTonight, SCHEDULE_CHECK_MS);
      timer.unref();
    },
    stopSchedule() {
      if (timer) {
        clearInterval(timer);
        timer = null;
      }
    },
  };
}
