/**
 * Cooperative time slicing for long CPU or database work on the event loop (imports, exports): the work asks
 * `due()` between small steps and, when its slice is used up, `yield()`s to the loop (setImmediate), so timers,
 * sockets and other requests run between slices. The audit saw a 30,000-row import hold a NOTIFY_START reply
 * for 9.4 s; with slices nothing holds the loop much longer than one slice.
 */
import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';

/** Longest a slice runs before it gives the loop back, ms. */
const SLICE_MS = 8;

/** One long job's slices. */
export interface TimeSlicer {
  /** True once the current slice has run `sliceMs`: time to `yield()`. */
  due(): boolean;
  /** Gives the event loop a turn, then starts a new slice. */
  yield(): Promise<void>;
  /** `yield()` if the slice is used up. */
  maybeYield(): Promise<void>;
  /** How many times the job gave the loop back (tests, logs). */
  readonly yields: number;
}

/**
 * Starts slicing a job. Why: imports and exports run on the event loop that also answers the PBX within
 * 300 ms; they must share it.
 */
export function timeSlicer(sliceMs: number = SLICE_MS): TimeSlicer {
  let started = performance.now();
  let yields = 0;
  const slicer: TimeSlicer = {
    due: () => performance.now() - started >= sliceMs,
    async yield() {
      yields += 1;
      await nextTurn();
      started = performance.now();
    },
    maybeYield: () => (slicer.due() ? slicer.yield() : Promise.resolve()),
    get yields() {
      return yields;
    },
  };
  return slicer;
}
