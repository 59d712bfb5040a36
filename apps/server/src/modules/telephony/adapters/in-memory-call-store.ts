/** The inbox and the call repository in memory. Same semantics as the Kysely adapters (ARCHITECTURE.md: every port has a real adapter and an in-memory one). */
import { randomUUID } from 'node:crypto';
import { addToEventLog, type CallEvent, CallEventRefusedError } from '../domain/call-event.js';
import { identityConflict } from '../domain/call-identity.js';
import { foldCall } from '../domain/fold-call.js';
import {
  type CallRepository,
  type InboxEntry,
  type InboxRepository,
  inboxListLimit,
  type SignedStart,
  type StoredCall,
} from '../ports.js';

interface CallState {
  id: string;
  events: CallEvent[];
  contactId: string | null;
  agentUserId: string | null;
  clientE164: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

function toStored(pbxCallId: string, s: CallState): StoredCall {
  return { ...foldCall(s.events), pbxCallId, ...s, events: [...s.events] };
}

/**
 * An in-memory store a unit of work can roll back: `checkpoint()` returns what restores the store as it was.
 * Why: the in-memory `UnitOfWork` keeps nothing of a unit that threw, like a transaction.
 */
export interface Checkpointed {
  checkpoint(): () => void;
}

/** An in-memory CallRepository. Why: use-case tests without a database. */
export function createInMemoryCallRepository(): CallRepository & Checkpointed {
  let calls = new Map<string, CallState>();
  const sortKey = (c: StoredCall) => c.startedAt ?? c.createdAt;
  const firstSignedWith = (signed: SignedStart): string | null => {
    // A Map keeps insertion order: the first match is the call stored first.
    for (const [pbxCallId, state] of calls) {
      const record = foldCall(state.events);
      if (
        record.startedAt === signed.startedAt &&
        record.callStart === signed.callStart &&
        record.callerId === signed.callerId
      ) {
        return pbxCallId;
      }
    }
    return null;
  };
  return {
    checkpoint() {
      const saved = new Map(calls);
      return () => {
        calls = saved;
      };
    },
    async applyEvent(event, now = new Date().toISOString(), options = {}) {
      let state = calls.get(event.pbxCallId);
      const conflict = identityConflict(state?.events ?? [], event);
      if (conflict !== null) {
        throw new CallEventRefusedError(conflict);
      }
      const log = addToEventLog(state?.events ?? [], event);
      if (state && !log.changed) {
        return { call: toStored(event.pbxCallId, state), duplicate: log.duplicate, changed: false };
      }
      state ??= {
        id: randomUUID(),
        events: [],
        contactId: null,
        agentUserId: null,
        clientE164: null,
        version: 0,
        createdAt: now,
        updatedAt: now,
      };
      const clientNumber = foldCall(log.events).clientNumber;
      const e164 = clientNumber && options.clientE164 ? options.clientE164(clientNumber) : null;
      state = {
        ...state,
        events: [...log.events],
        clientE164: e164 ?? state.clientE164,
        version: state.version + 1,
        updatedAt: now,
      };
      calls.set(event.pbxCallId, state);
      return { call: toStored(event.pbxCallId, state), duplicate: log.duplicate, changed: true };
    },
    async get(pbxCallId) {
      const state = calls.get(pbxCallId);
      return state ? toStored(pbxCallId, state) : null;
    },
    async ringingFacts(pbxCallId, signed) {
      const state = calls.get(pbxCallId);
      return {
        call: state ? toStored(pbxCallId, state) : null,
        firstSigned: signed ? firstSignedWith(signed) : null,
      };
    },
    async getById(id) {
      for (const [pbxCallId, state] of calls) {
        if (state.id === id) {
          return toStored(pbxCallId, state);
        }
      }
      return null;
    },
    async link(call, links, now = new Date().toISOString()) {
      const pbxCallId = call.pbxCallId;
      const state = calls.get(pbxCallId);
      if (!state) {
        return null;
      }
      const next: CallState = {
        ...state,
        contactId: links.contactId === undefined ? state.contactId : links.contactId,
        agentUserId: links.agentUserId === undefined ? state.agentUserId : links.agentUserId,
        clientE164: links.clientE164 === undefined ? state.clientE164 : links.clientE164,
        version: state.version + 1,
        updatedAt: now,
      };
      calls.set(pbxCallId, next);
      return toStored(pbxCallId, next);
    },
    async list(query = {}) {
      return [...calls.entries()]
        .map(([pbxCallId, state]) => toStored(pbxCallId, state))
        .filter((c) => !query.contactId || c.contactId === query.contactId)
        .filter((c) => !query.agentUserId || c.agentUserId === query.agentUserId)
        .filter((c) => !query.startedBefore || sortKey(c) < query.startedBefore)
        .sort((a, b) =>
          sortKey(a) === sortKey(b) ? (a.id < b.id ? 1 : -1) : sortKey(a) < sortKey(b) ? 1 : -1,
        )
        .slice(0, query.limit ?? 50);
    },
  };
}

/** An in-memory InboxRepository. Why: webhook use-case tests without a database. */
export function createInMemoryInboxRepository(): InboxRepository & Checkpointed {
  let entries = new Map<string, InboxEntry>();
  const update = (id: string, patch: Partial<InboxEntry>) => {
    const entry = entries.get(id);
    if (entry) {
      entries.set(id, { ...entry, ...patch });
    }
  };
  return {
    checkpoint() {
      const saved = new Map(entries);
      return () => {
        entries = saved;
      };
    },
    async append(entry) {
      // Every field as the table answers it: what the request did not say is null, not absent.
      const stored: InboxEntry = {
        ...entry,
        id: randomUUID(),
        error: entry.error ?? null,
        processedAt: null,
        bodySize: entry.bodySize ?? null,
        bodySha256: entry.bodySha256 ?? null,
        routingRefusal: null,
      };
      entries.set(stored.id, stored);
      return stored;
    },
    async markProcessed(id, at) {
      update(id, { status: 'processed', processedAt: at, error: null });
    },
    async markFailed(id, error, at) {
      update(id, { status: 'failed', processedAt: at, error });
    },
    async noteRoutingRefusal(id, refusal) {
      if (!entries.has(id)) {
        throw new Error(`inbox entry ${id} is not stored: its routing refusal cannot be`);
      }
      update(id, { routingRefusal: refusal });
    },
    async list(query = {}) {
      return [...entries.values()]
        .filter((e) => !query.status || e.status === query.status)
        .filter((e) => !query.pbxCallId || e.pbxCallId === query.pbxCallId)
        .filter((e) => !query.receivedBefore || e.receivedAt < query.receivedBefore)
        .filter((e) => {
          const after = query.receivedAfter;
          return !after || e.receivedAt > after.at || (e.receivedAt === after.at && e.id > after.id);
        })
        .sort((a, b) => {
          const order =
            a.receivedAt === b.receivedAt ? (a.id < b.id ? -1 : 1) : a.receivedAt < b.receivedAt ? -1 : 1;
          return query.oldestFirst ? order : -order;
        })
        .slice(0, inboxListLimit(query.limit));
    },
    async get(id) {
      return entries.get(id) ?? null;
    },
  };
}

/**
 * An in-memory ExtensionAssignmentRepository; `userName` names holders (default: the user id).
 * Same keys as the table: an extension or a user already assigned refuses the write.
 */
