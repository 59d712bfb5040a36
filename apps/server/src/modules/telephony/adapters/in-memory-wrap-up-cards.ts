/** The `WrapUpCards` port in memory, with the Kysely adapter's semantics (wrap-up-cards.contract.test.ts). */
import type { WrapUpCards } from '../ports.js';

/** In-memory open wrap-up cards. Why: use-case tests without a database. */
export function createInMemoryWrapUpCards(): WrapUpCards {
  const cards = new Map<
    string,
    { callId: string; userId: string; openedAt: string; closedAt: string | null }
  >();
  const key = (callId: string, userId: string) => `${callId}\u0000${userId}`;
  return {
    async open(callId, userId, at) {
      if (!cards.has(key(callId, userId))) {
        cards.set(key(callId, userId), { callId, userId, openedAt: at, closedAt: null });
      }
    },
    async close(callId, userId, at) {
      const card = cards.get(key(callId, userId));
      if (!card) {
        cards.set(key(callId, userId), { callId, userId, openedAt: at, closedAt: at });
      } else if (card.closedAt === null) {
        card.closedAt = at;
      }
    },
    async openFor(userId, since, limit) {
      return [...cards.values()]
        .filter((c) => c.userId === userId && c.closedAt === null && c.openedAt >= since)
        .sort((a, b) => (a.openedAt < b.openedAt ? 1 : a.openedAt > b.openedAt ? -1 : 0))
        .slice(0, limit)
        .map((c) => c.callId);
    },
  };
}
