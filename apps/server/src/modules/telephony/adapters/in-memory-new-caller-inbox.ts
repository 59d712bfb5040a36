/**
 * The `NewCallerInbox` port in memory, over the callers map of `createInMemoryNewCallers` (the same numbers the
 * after-call job counts). Same rules as the Kysely inbox: pending numbers by last call, newest first; accept,
 * merge and decline each claim a pending number once — whoever is first — and remember the record and who decided.
 * Why: the inbox use cases are unit-tested without a database.
 */
import { randomUUID } from 'node:crypto';
import { actorUserId } from '../../../platform/auth/actor.js';
import type { NewCaller, NewCallerInbox } from '../ports.js';

/** The inbox over `callers`; `decisions` are who decided each number, when. */
export function createInMemoryNewCallerInbox(callers: Map<string, NewCaller>): NewCallerInbox & {
  readonly decisions: Map<string, { decidedBy: string | null; decidedAt: string; name: string | null }>;
} {
  const decisions = new Map<string, { decidedBy: string | null; decidedAt: string; name: string | null }>();
  const claim = (
    clientE164: string,
    status: NewCaller['status'],
    decision: { decidedBy: string | null; decidedAt: string; name: string | null },
    record: Pick<NewCaller, 'recordType' | 'recordId'> | null,
  ) => {
    const caller = callers.get(clientE164);
    if (caller?.status !== 'pending') {
      return false;
    }
    callers.set(clientE164, { ...caller, status, ...(record ?? {}) });
    decisions.set(clientE164, decision);
    return true;
  };
  return {
    decisions,
    async listPending(limit) {
      return [...callers.values()]
        .filter((caller) => caller.status === 'pending')
        .sort((a, b) => b.lastCallAt.localeCompare(a.lastCallAt))
        .slice(0, limit);
    },
    async accept(input) {
      const record = { type: input.kind, id: randomUUID() };
      const claimed = claim(
        input.clientE164,
        'accepted',
        { decidedBy: actorUserId(input.actor), decidedAt: input.at, name: input.name },
        { recordType: record.type, recordId: record.id },
      );
      return claimed ? record : null;
    },
    async merge(input) {
      return claim(
        input.clientE164,
        'merged',
        { decidedBy: actorUserId(input.actor), decidedAt: input.at, name: null },
        { recordType: 'contact', recordId: input.contactId },
      );
    },
    async decline(input) {
      return claim(
        input.clientE164,
        'declined',
        { decidedBy: actorUserId(input.actor), decidedAt: input.at, name: null },
        null,
      );
    },
  };
}
