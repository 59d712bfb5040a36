/**
 * Client-side rate limiting: at most `requests` calls in any window of `perMs`. A caller that finds no
 * token waits (in FIFO order, abortably) instead of failing.
 *
 * It is a token bucket whose tokens come back `perMs` after each use, not a bucket refilling at a steady
 * rate: with Zadarma's 3/min statistics limit a steady-rate bucket of capacity 3 would let 5 calls through in
 * the first minute (0 s, 0 s, 0 s, 20 s, 40 s) and earn a 429 from a sliding-window server (docs/zadarma-protocol.md §3).
 */
import type { Clock } from './clock.js';

/** `requests` per `perMs` milliseconds. */
export interface RequestBucketLimit {
  readonly requests: number;
  readonly perMs: number;
}

interface Waiter {
  readonly resolve: () => void;
  readonly reject: (reason: unknown) => void;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: () => void;
}

/** A sliding-window token bucket (see the module comment). */
export class RequestBucket {
  readonly limit: RequestBucketLimit;
  readonly #clock: Clock;
  /** When each token in use was taken, oldest first. */
  readonly #taken: number[] = [];
  readonly #waiters: Waiter[] = [];
  #pump: AbortController | null = null;

  constructor(limit: RequestBucketLimit, clock: Clock) {
    if (!Number.isInteger(limit.requests) || limit.requests < 1 || !(limit.perMs > 0)) {
      throw new RangeError(
        `rate limit needs an integer requests >= 1 and perMs > 0, got ${limit.requests}/${limit.perMs}`,
      );
    }
    this.limit = limit;
    this.#clock = clock;
  }

  /** Tokens free right now. */
  available(): number {
    this.#expire();
    return this.limit.requests - this.#taken.length;
  }

  /** Takes one token, waiting for one to come back when none is free; rejects with the signal's reason on abort. */
  take(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) {
      return Promise.reject(signal.reason);
    }
    if (this.#waiters.length === 0 && this.#tryTake()) {
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        signal,
        onAbort: () => {
          const index = this.#waiters.indexOf(waiter);
          if (index >= 0) {
            this.#waiters.splice(index, 1);
          }
          if (this.#waiters.length === 0) {
            this.#pump?.abort();
          }
          reject(signal?.reason);
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.#waiters.push(waiter);
      void this.#run();
    });
  }

  #expire(): void {
    const cutoff = this.#clock.now() - this.limit.perMs;
    while (this.#taken.length > 0 && (this.#taken[0] as number) <= cutoff) {
      this.#taken.shift();
    }
  }

  #tryTake(): boolean {
    this.#expire();
    if (this.#taken.length < this.limit.requests) {
      this.#taken.push(this.#clock.now());
      return true;
    }
    return false;
  }

  /** Hands tokens to waiters in order; one pump per bucket, stopped as soon as nobody waits. */
  async #run(): Promise<void> {
    if (this.#pump) {
      return;
    }
    const pump = new AbortController();
    this.#pump = pump;
    try {
      while (this.#waiters.length > 0 && !pump.signal.aborted) {
        if (this.#tryTake()) {
          const waiter = this.#waiters.shift() as Waiter;
          waiter.signal?.removeEventListener('abort', waiter.onAbort);
          waiter.resolve();
          continue;
        }
        const wait = (this.#taken[0] as number) + this.limit.perMs - this.#clock.now();
        try {
          await this.#clock.sleep(Math.max(1, wait), pump.signal);
        } catch {
          // Aborted because the last waiter gave up: nothing left to serve.
        }
      }
    } finally {
      if (this.#pump === pump) {
        this.#pump = null;
      }
    }
    // A waiter may have queued while this pump was being stopped.
    if (this.#waiters.length > 0) {
      void this.#run();
    }
  }
}
