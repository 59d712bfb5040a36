/** The call read models in memory. Same semantics as the Kysely adapters (ARCHITECTURE.md: every port has a real adapter and an in-memory one). */
import type {
  CallCount,
  CallReadModel,
  CallReadScope,
  CallRepository,
  CallVisibility,
  InboxBrowser,
  InboxRepository,
  StoredCall,
} from '../ports.js';

export interface InMemoryCallWorld {
  readonly calls: Pick<CallRepository, 'list' | 'getById'>;
  readonly contacts?: readonly { id: string; displayName: string; responsibleUserId: string | null }[];
  readonly users?: readonly { id: string; name: string }[];
  /** Notes on calls, oldest first. */
  readonly notes?: readonly { callId: string; body: string }[];
}

/** Whether `scope` reads `call` (the rule of use-cases/call-visibility.ts over the world's contacts). */
export function inScope(scope: CallReadScope, call: StoredCall, world: InMemoryCallWorld): boolean {
  switch (scope.kind) {
    case 'all':
      return true;
    case 'none':
      return false;
    case 'agent':
      return (
        call.agentUserId === scope.userId ||
        (world.contacts ?? []).some((c) => c.id === call.contactId && c.responsibleUserId === scope.userId)
      );
  }
}

/** An in-memory CallReadModel over a call repository and the names given. */
export function createInMemoryCallReadModel(world: InMemoryCallWorld): CallReadModel {
  return {
    async detailsOf(calls) {
      const ids = new Set(calls.map((c) => c.id));
      return {
        contactNames: new Map((world.contacts ?? []).map((c) => [c.id, c.displayName])),
        userNames: new Map((world.users ?? []).map((u) => [u.id, u.name])),
        notes: new Map((world.notes ?? []).filter((n) => ids.has(n.callId)).map((n) => [n.callId, n.body])),
      };
    },
    async countByDay({ scope, boundaries, statuses }) {
      const counts = new Map<string, CallCount>();
      for (const call of await world.calls.list({ limit: Number.MAX_SAFE_INTEGER })) {
        const at = call.startedAt;
        if (!at || !statuses.includes(call.status) || !inScope(scope, call, world)) {
          continue;
        }
        const dayIndex = boundaries.findLastIndex((b) => Date.parse(b) <= Date.parse(at));
        if (dayIndex < 0 || dayIndex >= boundaries.length - 1) {
          continue;
        }
        const key = `${dayIndex}|${call.status}`;
        const seen = counts.get(key);
        counts.set(key, { dayIndex, status: call.status, count: (seen?.count ?? 0) + 1 });
      }
      return [...counts.values()];
    },
  };
}

/** An in-memory CallVisibility: the scope of `use-cases/call-visibility.ts` over the world's calls and contacts. */
export function createInMemoryCallVisibility(
  world: InMemoryCallWorld,
  scopeOf: (actor: Parameters<CallVisibility['canRead']>[0]) => CallReadScope,
): CallVisibility {
  return {
    async canRead(actor, callId) {
      const call = await world.calls.getById(callId);
      return call !== null && inScope(scopeOf(actor), call, world);
    },
  };
}

/** An in-memory InboxBrowser over an in-memory inbox. */
export function createInMemoryInboxBrowser(inbox: Pick<InboxRepository, 'list'>): InboxBrowser {
  return {
    async page({ status, event, page, pageSize }) {
      const all = (
        await inbox.list({ limit: Number.MAX_SAFE_INTEGER, ...(status ? { status } : {}) })
      ).filter((e) => !event || e.event === event);
      return { items: all.slice((page - 1) * pageSize, page * pageSize), total: all.length };
    },
  };
}
