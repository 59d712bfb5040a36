/**
 * Our own numbers: the Zadarma account's direct numbers (`GET /v1/direct_numbers/`, §4.6) in E.164, cached for
 * ten minutes. Why: a number of ours must never be blacklisted, and the list changes only when one is bought.
 */
import type { ZadarmaAccount } from '../../ports.js';

const TTL_MS = 10 * 60 * 1000;

/** The numbers' reader; an unconfigured account has none. Zadarma's errors propagate (the route maps them). */
export function createOwnNumbers(zadarma: ZadarmaAccount, now: () => number = Date.now) {
  let cache: { at: number; numbers: readonly string[] } | null = null;
  return async function ownNumbers(): Promise<readonly string[]> {
    if (cache && now() - cache.at < TTL_MS) {
      return cache.numbers;
    }
    const client = await zadarma.client();
    if (!client) {
      return [];
    }
    const { info } = await client.getDirectNumbers({ timeoutMs: 5000 });
    // Zadarma writes them as bare international digits (442037691999).
    const numbers = info.map((n) => `+${String(n.number).replace(/\D/g, '')}`);
    cache = { at: now(), numbers };
    return numbers;
  };
}
