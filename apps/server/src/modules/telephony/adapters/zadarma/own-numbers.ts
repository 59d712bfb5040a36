/**
 * Our own numbers: the Zadarma account's direct numbers (`GET /v1/direct_numbers/`, §4.6) in E.164, one cache per
 * account (the runtime), read again after ten minutes or when the credentials change. Why: a number of ours must
 * never be blacklisted nor become a "new caller", and the list changes only when a number is bought.
 */
import type { ZadarmaClient } from '@switchboard/zadarma';
import type { ZadarmaAccount } from '../../ports.js';

const TTL_MS = 10 * 60 * 1000;
/** After a failed refresh, how long the last good list is used before Zadarma is asked again. */
const RETRY_MS = 30 * 1000;

interface Cached {
  readonly client: ZadarmaClient;
  readonly at: number;
  readonly numbers: readonly string[];
}

/** Digits only: Zadarma writes numbers as bare international digits (442037691999), E.164 has a `+`. */
const digitsOf = (number: string) => number.replace(/\D/g, '');

/**
 * The numbers' reader over `zadarma`; an unconfigured account has none. A refresh that fails keeps the last good
 * list (a number of ours stays ours while Zadarma is unreachable); with no list yet, Zadarma's error propagates
 * (the route maps it, the after-call job is retried).
 */
export function createOwnNumbers(zadarma: ZadarmaAccount, now: () => number = Date.now) {
  let cache: Cached | null = null;
  let pending: Promise<readonly string[]> | null = null;
  async function fetchFrom(client: ZadarmaClient): Promise<readonly string[]> {
    try {
      const { info } = await client.getDirectNumbers({ timeoutMs: 5000 });
      const numbers = info.map((n) => `+${digitsOf(String(n.number))}`);
      cache = { client, at: now(), numbers };
      return numbers;
    } catch (error) {
      if (cache?.client === client) {
        cache = { client, at: now() - TTL_MS + RETRY_MS, numbers: cache.numbers };
        return cache.numbers;
      }
      throw error;
    }
  }
  return async function ownNumbers(): Promise<readonly string[]> {
    const client = await zadarma.client();
    if (!client) {
      return [];
    }
    // A new client means new credentials (another account): its numbers, not the previous account's.
    if (cache && cache.client === client && now() - cache.at < TTL_MS) {
      return cache.numbers;
    }
    // Concurrent callers share one request.
    if (!pending) {
      pending = fetchFrom(client).finally(() => {
        pending = null;
      });
    }
    return pending;
  };
}

const readers = new WeakMap<ZadarmaAccount, () => Promise<readonly string[]>>();

/** The one cached reader of `zadarma`'s numbers (the blacklist route and the after-call job share it). */
export function ownNumbersOf(zadarma: ZadarmaAccount): () => Promise<readonly string[]> {
  let reader = readers.get(zadarma);
  if (!reader) {
    reader = createOwnNumbers(zadarma);
    readers.set(zadarma, reader);
  }
  return reader;
}
