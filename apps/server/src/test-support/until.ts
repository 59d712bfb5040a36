/**
 * Polls for what a server does after its reply (jobs, webhook batches, the event bus). Why one copy: every
 * integration suite waits this way, and a budget changed in one place holds for all.
 */

/** Polls `read` every 25 ms until it gives a value (`tries` × 25 ms at most: 15 s by default). */
export async function until<T>(read: () => Promise<T | null>, what: string, tries = 600): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const value = await read();
    if (value !== null) {
      return value;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`never happened: ${what}`);
}

/** Polls `read` every 25 ms until `check` accepts its value (30 s at most); the last value is in the error. */
export async function untilMatching<T>(
  read: () => Promise<T>,
  check: (value: T) => boolean,
  what: string,
): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await read();
    if (check(value)) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`gave up waiting for ${what}: ${JSON.stringify(value)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
