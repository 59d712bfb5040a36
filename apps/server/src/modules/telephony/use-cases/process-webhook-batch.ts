/**
 * Processing of stored, verified notifications after their answer — in batches: whatever queued up while the
 * previous batch ran is processed in ONE unit of work, in arrival order, and its live events are delivered only
 * once that unit has committed. A failing batch is rolled back and replayed one event per unit, so only the
 * culprit is marked failed and its neighbours still land.
 * Why: one commit per event and per write (fold, link, bus row, timeline, inbox status) was most of the
 * ingest's cost (issue 5 bench); a batch makes it one commit for all of them.
 */

import type { TWebhookEvent } from '@switchboard/zadarma';
import { CallEventRefusedError } from '../domain/call-event.js';
import type {
  CallProcessingPorts,
  Clock,
  InboxRepository,
  ProviderEvents,
  TelephonySettingsReader,
  UnitOfWork,
} from '../ports.js';
import type { CallRouting } from './decide-call-routing.js';
import { handleCallEvent } from './handle-call-event.js';

/** One stored notification to process. */
interface ProcessingJob {
  readonly entryId: string;
  readonly event: TWebhookEvent;
  readonly receivedAt: string;
  /** The NOTIFY_START decision and the caller it looked up, for the call's trace and contact link. */
  readonly routing?: CallRouting | undefined;
  /**
   * The refusal stored on the entry (migration 0030), for an entry processed without its decision in memory: a
   * recovery after a crash, an admin's replay.
   */
  readonly refused?: boolean | undefined;
}

export interface BatchProcessor {
  /** Queues a job; resolves once it is processed or marked failed (never rejects). */
  submit(job: ProcessingJob): Promise<void>;
  /** Resolves when the queue is empty and no batch is running (tests, shutdown, the bench). */
  idle(): Promise<void>;
  /** Whether a batch is queued or running. */
  busy(): boolean;
}

/** The ports batch processing runs on. */
export interface BatchProcessingPorts {
  /** Runs a batch atomically, with every processing port bound to it. */
  readonly unitOfWork: UnitOfWork<CallProcessingPorts>;
  /** The inbox outside any unit of work: where a failed event is marked. */
  readonly inbox: Pick<InboxRepository, 'markFailed'>;
  /**
   * Resolves once every webhook acknowledged so far is in the inbox (a busy database's journal drained);
   * absent when the inbox has no journal. Why: processing writes the entries' status.
   */
  readonly inboxStored?: (() => Promise<void>) | undefined;
  /**
   * Before a batch takes the connection, commits the inbox writes waiting for their event-loop turn's group
   * commit if a ringing caller's entry is among them (SQLite); absent where commits do not wait behind
   * processing. Why: that caller's reply (issue 12) must not wait for a whole batch.
   */
  readonly commitQueuedAppends?: (() => Promise<void>) | undefined;
  readonly settings: Pick<TelephonySettingsReader, 'accountTimezone' | 'defaultCountry' | 'webhookSettings'>;
  readonly provider: Pick<ProviderEvents, 'toCallEvent' | 'toTranscriptNotice'>;
  readonly clock: Clock;
}

export interface BatchProcessorOptions {
  /** Most jobs per unit of work (default 64): bounds how long a batch holds SQLite's one connection. */
  readonly maxBatch?: number;
  /**
   * How long one unit of work should take, ms, when it runs synchronously (SQLite: better-sqlite3 never yields,
   * so a batch is one stretch of the event loop holding the one connection, and a NOTIFY_START arriving meanwhile
   * waits for it). The batch size then follows the measured cost per job so that a batch stays about this long,
   * and a unit of work takes no further job once it has run this long (the forecast may be wrong).
   * Absent (PostgreSQL: a batch waits on the network and the loop runs meanwhile), batches are cut by `maxBatch`
   * only: there each commit is an fsync, so fewer, larger batches are what keeps the ingest up.
   */
  readonly sliceMs?: number;
  /**
   * The longest a slice grows to while processing is behind, ms (default 4 × `sliceMs`): while more jobs wait than
   * one `sliceMs` slice takes, each batch's slice doubles up to this; once they fit in one, it is `sliceMs` again.
   * Why: each commit rewrites the hot index pages into the WAL, and in a flood of ringing calls 3 ms slices cost
   * ~310 µs of CPU and 33 KiB written per event against ~260–290 µs and 19 KiB with 12 ms ones; growing
   * only while more waits than a slice takes, 295–319 µs and 24–25 KiB (`telephony-ingest.bench.ts`, `ringing`,
   * 2026-12-06; whole batches there: 243–263 µs). A ringing caller then waits up to this long behind a
   * batch, but only while more than a slice's worth waits: at a rate processing keeps up with, a batch holds the
   * few jobs that came, whatever the slice (the NOTIFY_START bench's p99 showed no difference between slices
   * growing from 3 ms and slices of 12 ms always, on a machine too noisy to show 2 ms either way).
   */
  readonly maxSliceMs?: number;
  /**
   * Whether batches are cut to `sliceMs` now (asked before each batch; default: always). Why: the slice exists for
   * whoever waits behind a batch — a ringing caller's NOTIFY_START, whose reply is timed — and costs the ingest
   * commits (each rewrites the hot index pages into the WAL: with 3 ms slices a flood of new numbers cost ~15–25 %
   * more CPU per event than with whole batches, `telephony-ingest.bench.ts`). When no caller is ringing, batches
   * are whole (up to `maxBatch`).
   */
  readonly sliceWhile?: () => boolean;
  /**
   * The clock a batch's cost is measured by, in ms (default `processCpuMs`: this process's CPU time). Why not the
   * wall clock: on a busy machine the OS takes the core away in the middle of a batch, the wall time per job
   * then reads several times the work done, the batches shrink to a few jobs each, and every one of them pays a
   * whole commit (the hot index pages rewritten into the WAL): the ingest spent up to twice the CPU per event
   * exactly when CPU was scarce (the ingest bench, new numbers). The work is what holds the loop; time the OS
   * spends elsewhere holds everything alike, batch or not.
   */
  readonly workClockMs?: () => number;
  /**
   * The wall clock, ms (default `performance.now`): asked before the work clock, which is read only once a slice's
   * time has gone by (see `sliceSpent`). A test's fake work clock passes the same fake here.
   */
  readonly wallClockMs?: () => number;
  readonly onError?: (error: unknown, context: string) => void;
}

const DEFAULT_MAX_BATCH = 64;
/** Processed jobs kept at the queue's head before it is compacted (a copy of what is still waiting). */
const COMPACT_AFTER = 1024;

/** Weight of the newest batch in the cost per job (an exponential moving average). */
const COST_WEIGHT = 0.3;

/** CPU time this process has used, ms (user and system; every thread, the main one nearly all of it here). */
function processCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** Lets the event loop run one turn (sockets read, inbox appends committed, replies sent). */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** What a batch reads once, before its unit of work (on SQLite a read inside it would wait for its own connection). */
interface BatchContext {
  readonly defaultCountry: string;
  readonly timezone: string;
  readonly now: string;
  /** Whether an ended call's follow-up is queued (an after-call switch is on). */
  readonly followUp: boolean;
}

interface Queued extends ProcessingJob {
  readonly settle: () => void;
}

/** Creates the processor of one app's notifications. */
export function createBatchProcessor(
  ports: BatchProcessingPorts,
  options: BatchProcessorOptions = {},
): BatchProcessor {
  const maxBatch = Math.max(1, options.maxBatch ?? DEFAULT_MAX_BATCH);
  const sliceMs = options.sliceMs ?? null;
  const maxSliceMs = Math.max(sliceMs ?? 0, options.maxSliceMs ?? (sliceMs ?? 0) * 4);
  // The slice of the batch now: `sliceMs`, doubled batch by batch up to `maxSliceMs` while processing is behind.
  let currentSliceMs = sliceMs ?? 0;
  const sliceWhile = options.sliceWhile ?? (() => true);
  const workClockMs = options.workClockMs ?? processCpuMs;
  const wallClockMs = options.wallClockMs ?? (() => performance.now());
  // Unknown at first: assume a job costs an eighth of the slice until batches have been measured.
  let costPerJobMs = (sliceMs ?? 1) / 8;
  const report = options.onError ?? (() => {});
  const iso = () => new Date(ports.clock.now()).toISOString();
  // The jobs waiting, in arrival order, from `queue[head]` on: a batch is taken by moving `head`, not by copying
  // the queue. Why: under a backlog (a flood, sliced batches of a few jobs) copying the rest after every batch
  // made each batch cost the backlog's length — 14 µs of the ingest's CPU per event in the NOTIFY_START flood
  // (telephony-ingest.bench.ts, `ringing`), and the slower processing grew the backlog further.
  let queue: Queued[] = [];
  let head = 0;
  const waiting = () => queue.length - head;
  let draining: Promise<void> | null = null;

  async function processOne(scoped: CallProcessingPorts, job: ProcessingJob, context: BatchContext) {
    const event = ports.provider.toCallEvent(job.event, {
      timezone: context.timezone,
      receivedAt: job.receivedAt,
    });
    if (event) {
      try {
        await handleCallEvent(scoped, {
          event,
          defaultCountry: context.defaultCountry,
          now: context.now,
          routing: job.routing,
          refused: job.refused,
          receivedAt: job.receivedAt,
          followUp: context.followUp,
        });
      } catch (error) {
        // A refusal (its call's signed identity, domain/call-identity.ts) writes nothing before it throws, so the
        // rest of the batch stands: only this entry ends failed, with the reason.
        if (!(error instanceof CallEventRefusedError)) {
          throw error;
        }
        await scoped.inbox.markFailed(job.entryId, error.message, context.now);
        return;
      }
    } else {
      // SPEECH_RECOGNITION: the transcript is kept in this transaction, with the entry's status.
      const transcript = ports.provider.toTranscriptNotice(job.event, job.receivedAt);
      if (transcript) {
        await scoped.recordings.transcriptReady(transcript);
      }
    }
    await scoped.inbox.markProcessed(job.entryId, context.now);
  }

  /**
   * Processes `jobs` in one unit of work, in order, and resolves with how many it took: all of them, or — when
   * `started` is given (a slice) — as many as fit before the slice ran out, at least one. Throws (having rolled
   * back and told no one) if any job it took fails.
   * Why: the batch size is only a forecast from the cost per job so far; a batch of heavier events (an ended
   * call's follow-up, a first caller's card) ran past its slice, and a NOTIFY_START arriving meanwhile waited
   * for all of it. Checked after each job, the slice bounds the stretch at one job past it, whatever the forecast.
   */
  function inOneUnit(
    jobs: readonly ProcessingJob[],
    context: BatchContext,
    started: number | null,
  ): Promise<number> {
    const wallStarted = wallClockMs();
    return ports.unitOfWork.run(async (scoped) => {
      let done = 0;
      for (const job of jobs) {
        if (done > 0 && started !== null && sliceSpent(started, wallStarted)) {
          break;
        }
        await processOne(scoped, job, context);
        done += 1;
      }
      return done;
    });
  }

  /**
   * Whether a slice that began at `started` (work clock) and `wallStarted` (wall clock) has run `sliceMs` of work.
   * The wall clock is asked first: the work done cannot exceed the time gone by, so until that is a slice the work
   * clock is not read. Why: the process's CPU time is a system call (`getrusage`), and asked after every job it
   * was ~4 % of the ingest's CPU (the ingest bench's profile, new numbers); now it is read about once a slice.
   */
  function sliceSpent(started: number, wallStarted: number): boolean {
    const slice = currentSliceMs;
    return wallClockMs() - wallStarted >= slice && workClockMs() - started >= slice;
  }

  async function markFailed(job: ProcessingJob, error: unknown): Promise<void> {
    report(error, `processing ${job.event.event} (inbox ${job.entryId})`);
    const message = error instanceof Error ? error.message : String(error);
    await ports.inbox.markFailed(job.entryId, message, iso()).catch((e: unknown) => report(e, 'markFailed'));
  }

  /**
   * Processes `batch` (or, when `timed` — a slice —, its first jobs) and settles what it processed; resolves with
   * how many that was: the rest stay at the head of the queue. A timed batch updates the cost per job.
   */
  async function runBatch(batch: readonly Queued[], timed: boolean): Promise<number> {
    let processed = batch.length;
    try {
      // The appends of requests still waiting for their answer first; then the entries a busy database sent to
      // the journal are in the inbox before their status is written.
      await ports.commitQueuedAppends?.();
      await ports.inboxStored?.();
      let context: BatchContext;
      try {
        const { features } = await ports.settings.webhookSettings();
        context = {
          defaultCountry: await ports.settings.defaultCountry(),
          timezone: (await ports.settings.accountTimezone()).label,
          now: iso(),
          followUp: features.autoCreate === true || features.missedCallTasks === true,
        };
      } catch (error) {
        for (const job of batch) {
          await markFailed(job, error);
        }
        return processed;
      }
      // Timed from here: waiting for the journal or the settings is not the batch's work (`timed` says which
      // batches are).
      const started = timed ? workClockMs() : null;
      const wallStarted = timed ? wallClockMs() : 0;
      try {
        if (batch.length > 1) {
          try {
            processed = await inOneUnit(batch, context, started);
            return processed;
          } catch {
            // Someone in the batch failed: replay one per unit of work below to find out who.
          }
        }
        processed = batch.length;
        for (const job of batch) {
          try {
            await inOneUnit([job], context, null);
          } catch (error) {
            await markFailed(job, error);
          }
        }
        return processed;
      } finally {
        if (started !== null) {
          // The work clock sums every thread of the process, and the checkpointer's can outrun this one's: a
          // batch that ran 1 ms beside a 5 ms checkpoint read 6 ms of work. This thread's work never exceeds
          // the time gone by, so that bounds it.
          const perJob = Math.min(workClockMs() - started, wallClockMs() - wallStarted) / processed;
          costPerJobMs = Math.max(0.001, costPerJobMs * (1 - COST_WEIGHT) + perJob * COST_WEIGHT);
        }
      }
    } finally {
      for (let k = 0; k < processed; k++) {
        (batch[k] as Queued).settle();
      }
    }
  }

  /** As many jobs as fit in a slice of `ms` at the measured cost, within 1…maxBatch. */
  function jobsIn(ms: number): number {
    return Math.min(maxBatch, Math.max(1, Math.floor(ms / costPerJobMs)));
  }

  /**
   * The next batch's size: as many jobs as fit in the slice (`maxBatch` when not sliced), the slice grown while
   * more wait than one `sliceMs` slice takes and back to `sliceMs` once they fit (`maxSliceMs` says why).
   */
  function batchSize(sliced: boolean): number {
    if (!sliced) {
      return maxBatch;
    }
    const base = sliceMs as number;
    currentSliceMs = waiting() > jobsIn(base) ? Math.min(maxSliceMs, currentSliceMs * 2) : base;
    return jobsIn(currentSliceMs);
  }

  async function drain(): Promise<void> {
    let first = true;
    do {
      if (!first) {
        // Between batches the event loop always gets a turn, however long the queue: the requests waiting on
        // the sockets are read, stored and answered before the next batch takes the connection.
        await nextTurn();
      }
      first = false;
      const sliced = sliceMs !== null && sliceWhile();
      const size = batchSize(sliced);
      // Under load the batch takes in what the sockets are delivering (one commit for all of it).
      await ports.unitOfWork.gather(waiting, size);
      const batch = queue.slice(head, head + size);
      // Timed (the cost per job forecasts the next sizes): sliced batches, but not a lone job with nothing
      // behind it. Why not that one: a server at a moderate rate processes its events one by one as they come,
      // and there `getrusage` — which sums every thread of the process — was 4–10 % of its CPU (the NOTIFY_START
      // bench's profile). Why a lone job with others behind it is: a forecast once blown up (a batch measured
      // beside a checkpoint) sized every batch at one job, and with single jobs never timed it never came down —
      // a flood of ringing calls was processed one job per commit, 4 s behind at the end (`ringing`).
      const timed = sliced && (batch.length > 1 || waiting() > batch.length);
      // Only what was processed leaves the queue: a batch cut by its slice leaves the rest first in line for the
      // next batch, still in arrival order. Submissions meanwhile were appended behind it.
      head += await runBatch(batch, timed);
      if (head >= COMPACT_AFTER && head * 2 >= queue.length) {
        // The processed prefix is dropped once it is at least half the array: each job is copied once at most.
        queue = queue.slice(head);
        head = 0;
      }
    } while (waiting() > 0);
    queue = [];
    head = 0;
    draining = null;
  }

  return {
    submit(job) {
      return new Promise<void>((resolve) => {
        queue.push({
          entryId: job.entryId,
          event: job.event,
          receivedAt: job.receivedAt,
          routing: job.routing,
          refused: job.refused,
          settle: resolve,
        });
        draining ??= drain();
      });
    },
    async idle() {
      while (draining) {
        await draining;
      }
    },
    busy: () => draining !== null,
  };
}
