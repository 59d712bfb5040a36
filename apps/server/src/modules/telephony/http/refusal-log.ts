/**
 * Log lines for refused `/zadarma` requests, rate-limited: at most `max` per window, then one summary line
 * ("N more refused requests suppressed") when the next window opens. Why: a flood of hostile requests must not
 * become a flood of log lines (disk, log shipping, and the event loop writing them).
 */

/** The part of a pino-style logger this needs. */
interface WarnLogger {
  warn(object: Record<string, unknown>, message: string): void;
}

export interface RefusalLogOptions {
  /** Lines written per window before the rest are counted instead. */
  readonly max?: number;
  readonly windowMs?: number;
  /** The clock (tests). */
  readonly now?: () => number;
}

/** At most this many refusal lines per window: enough to see what is happening, too few to flood. */
const REFUSAL_LOG_MAX = 20;
const REFUSAL_LOG_WINDOW_MS = 10_000;

/** Logs one refused request, or counts it when the window's lines are spent. */
export type RefusalLog = (log: WarnLogger, object: Record<string, unknown>, message: string) => void;

/**
 * Creates one limiter shared by every adapter of the route (one budget for the raw and the Fastify adapters).
 * Why: the limit must hold whichever way a refused request came in.
 */
export function createRefusalLog(options: RefusalLogOptions = {}): RefusalLog {
  const max = options.max ?? REFUSAL_LOG_MAX;
  const windowMs = options.windowMs ?? REFUSAL_LOG_WINDOW_MS;
  const now = options.now ?? Date.now;
  let windowStart = Number.NEGATIVE_INFINITY;
  let written = 0;
  let suppressed = 0;
  let summaryTo: WarnLogger | null = null;
  let timer: NodeJS.Timeout | null = null;
  const summarise = () => {
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    if (suppressed > 0 && summaryTo) {
      summaryTo.warn(
        { suppressed, windowMs },
        `zadarma webhook: ${suppressed} more refused requests suppressed in the last ${windowMs / 1000} s`,
      );
    }
    suppressed = 0;
  };
  return (log, object, message) => {
    const at = now();
    if (at - windowStart >= windowMs) {
      summarise();
      windowStart = at;
      written = 0;
    }
    if (written < max) {
      written++;
      log.warn(object, message);
      return;
    }
    suppressed++;
    summaryTo = log;
    if (!timer) {
      // The summary also comes when the flood stops, not only with the next refusal; it never holds the process.
      timer = setTimeout(summarise, Math.max(windowStart + windowMs - at, 0));
      timer.unref();
    }
  };
}
