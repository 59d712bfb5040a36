/**
 * Paces the after-call jobs behind the webhook path (issue 12: "missed-call task creation and closing never delay
 * the webhook path"). A job starts only once webhook processing has been quiet for a moment, and while webhooks
 * keep arriving the jobs run ONE at a time, each followed by a pause of (1 − share) / share × its own duration:
 * under a flood the jobs take at most `share` of the event loop (and of SQLite's one connection), the webhooks the
 * rest. Measured: ~1 ms of CPU per job against ~0.25 ms per webhook, so unpaced jobs running in every 20 ms gap
 * cut the ingest to ~0.4 of what it is without them (`BENCH_ONLY=after-call npm run bench`). On a quiet server the
 * pause is skipped and the backlog drains at full speed. Under SUSTAINED load — no quiet moment for `maxWaitMs` —
 * the jobs stop waiting for quiet and start at the next moment processing is idle (between two batches, never
 * during one), still one at a time and paced to `share`. Why: at 200 calls/s the gaps between batches never
 * reached 20 ms, and no after-call job ran for as long as the calls kept coming (the backlog grew without end).
 */
import { setTimeout as sleep } from 'node:timers/promises';

/** What the pacer watches: the webhook processing of this instance. */
export interface WebhookActivity {
  /** Resolves once nothing is queued for processing. */
  idle(): Promise<void>;
  /** Whether events are queued or being processed now. */
  busy(): boolean;
}

export interface AfterCallPacing {
  /** Waits for this job's turn; call the returned function when the job is over (success or failure). */
  turn(): Promise<() => void>;
}

/**
 * The pacer over `activity`. `quietMs`: the quiet needed before a job starts; `share`: the jobs' part under load;
 * `maxWaitMs` (default 1 s): how long the jobs wait for quiet before they settle for processing's idle moments.
 */
export function createAfterCallPacing(
  activity: WebhookActivity,
  options: {
    readonly quietMs: number;
    readonly share: number;
    readonly maxWaitMs?: number;
    readonly now?: () => number;
  },
): AfterCallPacing {
  const now = options.now ?? (() => performance.now());
  const pauseFactor = (1 - options.share) / options.share;
  const maxWaitMs = options.maxWaitMs ?? 1_000;
  let previous: Promise<void> = Promise.resolve();
  /** Since when the jobs have waited for a quiet moment without one (null: the last wait found one). */
  let waitingSince: number | null = null;
  return {
    async turn() {
      let release: () => void = () => {};
      const mine = new Promise<void>((resolve) => {
        release = resolve;
      });
      const before = previous;
      previous = mine;
      await before;
      for (;;) {
        await activity.idle();
        waitingSince ??= now();
        if (now() - waitingSince >= maxWaitMs) {
          // Sustained load: processing is idle at this instant, and the pause below keeps the jobs to their share.
          break;
        }
        await sleep(options.quietMs);
        if (!activity.busy()) {
          waitingSince = null;
          break;
        }
      }
      const started = now();
      return () => {
        const spent = now() - started;
        if (activity.busy()) {
          // Webhooks came in while this job ran: give them the next pauseFactor × its duration.
          setTimeout(release, spent * pauseFactor).unref();
        } else {
          // It ran alone: the load is over (or was never there); the next job waits for quiet again.
          waitingSince = null;
          release();
        }
      };
    },
  };
}
