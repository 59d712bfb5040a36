/**
 * The simulator's clock: virtual time runs `speed` times faster than the wall clock, so a 30 s call
 * plays in 30 ms at speed 1000 while every timestamp it shows (webhooks, statistics, link expiry) stays
 * coherent, as if the call had really lasted 30 s.
 */

/** Thrown into pending sleeps when the simulator closes, so call scenarios stop cleanly. */
export class SimClosedError extends Error {
  override readonly name = 'SimClosedError';
}

export interface SimClock {
  /** Speed factor: 1 = real time, 1000 = a virtual second lasts 1 ms. */
  readonly speed: number;
  /** Virtual time in epoch milliseconds. */
  now(): number;
  /** Waits `virtualMs` of virtual time. Rejects with {@link SimClosedError} after {@link SimClock.dispose}. */
  sleep(virtualMs: number): Promise<void>;
  /** Cancels every pending sleep. */
  dispose(): void;
}

export interface ClockOptions {
  readonly speed?: number;
  /** Virtual time at creation (epoch ms); defaults to the wall clock. */
  readonly start?: number;
  /** The wall clock, injectable for tests. */
  readonly realNow?: () => number;
}

/** Creates a virtual clock. Why: tests must play minutes of calls in milliseconds without losing coherence. */
export function createClock(options: ClockOptions = {}): SimClock {
  const speed = options.speed ?? 1;
  if (!(speed > 0) || !Number.isFinite(speed)) {
    throw new Error(`clock speed must be a positive number, got ${String(speed)}`);
  }
  const realNow = options.realNow ?? Date.now;
  const realStart = realNow();
  const virtualStart = options.start ?? realStart;
  const pending = new Map<NodeJS.Timeout, (error: Error) => void>();
  let disposed = false;
  return {
    speed,
    now: () => Math.round(virtualStart + (realNow() - realStart) * speed),
    sleep(virtualMs) {
      if (disposed) {
        return Promise.reject(new SimClosedError('the simulator is closed'));
      }
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => {
            pending.delete(timer);
            resolve();
          },
          Math.max(0, virtualMs / speed),
        );
        pending.set(timer, reject);
      });
    },
    dispose() {
      disposed = true;
      for (const [timer, reject] of pending) {
        clearTimeout(timer);
        reject(new SimClosedError('the simulator is closed'));
      }
      pending.clear();
    },
  };
}
