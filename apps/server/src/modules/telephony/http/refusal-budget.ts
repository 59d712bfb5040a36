/**
 * A per-source budget of refused `/zadarma` requests (a token bucket per peer address). A source that has spent
 * its budget gets its LARGE bodies refused from the headers alone (429, body never parsed, hashed or stored);
 * its small bodies are still read and judged in full.
 *
 * Why: a hostile body within the size limit costs a few milliseconds (reading, one linear parse, a SHA-256 for
 * the inbox); sixteen connections sending them back to back keep the event loop busy enough to delay every
 * other request by tens of milliseconds. Zadarma's call notifications are a few hundred bytes, so refusing only
 * bodies over `SMALL_BODY_BYTES` from a misbehaving source never refuses one of them — even behind a reverse
 * proxy, where every source shares the proxy's address and so its budget.
 */

/** Bodies up to this size are always read and judged: their cost is bounded by their size (~20 µs). */
export const SMALL_BODY_BYTES = 8 * 1024;

export interface RefusalBudgetOptions {
  /** Refusals a source may accumulate before its large bodies are refused unread. */
  readonly capacity?: number;
  /** Refusals forgiven per second. */
  readonly refillPerSecond?: number;
  /** Sources remembered at most (the oldest are forgotten first): bounded memory under a spoofed-source flood. */
  readonly maxSources?: number;
  readonly now?: () => number;
}

const REFUSAL_BUDGET_CAPACITY = 10;
const REFUSAL_BUDGET_REFILL_PER_SECOND = 1;
const REFUSAL_BUDGET_MAX_SOURCES = 10_000;

export interface RefusalBudget {
  /**
   * True when a request of `declaredBytes` (NaN when no Content-Length: a chunked body) from `source` may be
   * read. Small declared bodies always may.
   */
  mayRead(source: string, declaredBytes: number): boolean;
  /** Counts one refusal against `source`. */
  charge(source: string): void;
}

interface Bucket {
  tokens: number;
  at: number;
}

/** Creates a budget. Why one per ingest: the raw and the Fastify adapters share it, like the refusal log. */
export function createRefusalBudget(options: RefusalBudgetOptions = {}): RefusalBudget {
  const capacity = options.capacity ?? REFUSAL_BUDGET_CAPACITY;
  const refill = (options.refillPerSecond ?? REFUSAL_BUDGET_REFILL_PER_SECOND) / 1000;
  const maxSources = options.maxSources ?? REFUSAL_BUDGET_MAX_SOURCES;
  const now = options.now ?? Date.now;
  const buckets = new Map<string, Bucket>();

  function tokensOf(bucket: Bucket, at: number): number {
    return Math.min(capacity, bucket.tokens + (at - bucket.at) * refill);
  }

  return {
    mayRead(source, declaredBytes) {
      if (declaredBytes <= SMALL_BODY_BYTES) {
        return true;
      }
      const bucket = buckets.get(source);
      return bucket === undefined || tokensOf(bucket, now()) >= 1;
    },
    charge(source) {
      const at = now();
      const bucket = buckets.get(source);
      if (bucket) {
        bucket.tokens = Math.max(0, tokensOf(bucket, at) - 1);
        bucket.at = at;
        // Re-inserted so the Map's order is least recently refused first, which is what gets forgotten.
        buckets.delete(source);
        buckets.set(source, bucket);
        return;
      }
      if (buckets.size >= maxSources) {
        const oldest = buckets.keys().next().value;
        if (oldest !== undefined) {
          buckets.delete(oldest);
        }
      }
      buckets.set(source, { tokens: capacity - 1, at });
    },
  };
}
