/**
 * The call log's `page` in memory, with the semantics of kysely-call-log.ts: every filter of `CallLogQuery`, the
 * keyset order and the reader's visibility, computed over the calls themselves — the columns the fold writes
 * (outcome, attributed extension, recorded, a missed call's return) derived by the domain's own functions.
 * Why: the use cases of the call log are unit-tested on it, and call-log-reader.contract.test.ts holds the two
 * adapters equal, so each rule here is the domain's, never a second copy.
 */
import type { Actor } from '../../../platform/auth/actor.js';
import { attributeCall } from '../domain/call-attribution.js';
import { callOutcome, isMissed } from '../domain/call-outcome.js';
import {
  classifyReturn,
  type FollowUpCall,
  firstReturn,
  isConnectedStatus,
  isMissedNotReturned,
  type StoredReturn,
} from '../domain/missed-call-classification.js';
import type { CallLogQuery, CallLogReader, StoredCall } from '../ports.js';
import { type CallReadPolicy, callReadScope } from '../use-cases/call-visibility.js';
import { createInMemoryCallLogDetails, type InMemoryTraceWrites } from './in-memory-call-list.js';
import { type InMemoryCallWorld, inScope } from './in-memory-read-models.js';

/** The Kysely reader's page bound (kysely-call-log.ts `MAX_PAGE`). */
const MAX_PAGE = 500;

const NO_RETURN: StoredReturn = { returnAt: null, returnDirection: null };

/** A call with the columns the fold derives for the log (kysely-call-repository.ts writes the same ones). */
export interface LoggedCall {
  readonly call: StoredCall;
  readonly at: number;
  readonly startedAt: string;
  readonly missed: boolean;
  /** The stored return of a missed call with a client (missed-call-fates.ts keeps it), else none. */
  readonly stored: StoredReturn;
}

/** The calls as later calls of their client, the way the fold's upkeep and `followUps` read them. */
function asFollowUp(call: StoredCall & { startedAt: string }): FollowUpCall {
  return {
    startedAt: call.startedAt,
    direction: call.direction,
    answered: isConnectedStatus(call.status),
  };
}

/**
 * The calls with a start, each with whether it is missed and its stored return (the first connected call of its
 * client after it: what missed-call-fates.ts keeps in `return_at`). The statistics' in-memory reader reads it too.
 */
export function withReturns(calls: readonly StoredCall[]): LoggedCall[] {
  const started = calls.filter((c): c is StoredCall & { startedAt: string } => c.startedAt !== null);
  const byClient = new Map<string, FollowUpCall[]>();
  for (const c of started) {
    if (c.clientE164 !== null) {
      byClient.set(c.clientE164, [...(byClient.get(c.clientE164) ?? []), asFollowUp(c)]);
    }
  }
  return started.map((call) => {
    const missed = isMissed(call.direction, callOutcome(call));
    return {
      call,
      at: Date.parse(call.startedAt),
      startedAt: call.startedAt,
      missed,
      stored:
        missed && call.clientE164 !== null
          ? firstReturn(call.startedAt, byClient.get(call.clientE164) ?? [])
          : NO_RETURN,
    };
  });
}

/** Whether `c` passes every filter of `query` but the visibility and the keyset. */
function matches(c: LoggedCall, query: CallLogQuery): boolean {
  const { call } = c;
  const within = (from: string | undefined, to: string | undefined) =>
    (from === undefined || c.at >= Date.parse(from)) && (to === undefined || c.at < Date.parse(to));
  return (
    within(query.from, query.to) &&
    (query.within === undefined || query.within.some((r) => within(r.from, r.to))) &&
    (query.extension === undefined || attributeCall(call).extension === query.extension) &&
    (query.userId === undefined || call.agentUserId === query.userId) &&
    (query.direction === undefined || (query.direction === 'out') === (call.direction === 'outbound')) &&
    (query.outcome === undefined ||
      (query.outcome === 'missed' ? c.missed : callOutcome(call) === query.outcome)) &&
    (query.notReturned !== true || isMissedNotReturned(c.missed, c.stored)) &&
    (query.fate === undefined ||
      (c.missed &&
        classifyReturn(c.startedAt, c.stored, query.fate.returnWithinMinutes).classification ===
          query.fate.class)) &&
    (query.contactId === undefined || call.contactId === query.contactId) &&
    (query.clientE164 === undefined || call.clientE164 === query.clientE164) &&
    (query.callIds === undefined || query.callIds.includes(call.id)) &&
    (query.hasRecording === undefined || call.isRecorded === query.hasRecording)
  );
}

/** Start time, then id: the log's keyset order, oldest first. */
function compare(a: { at: number; id: string }, b: { at: number; id: string }): number {
  return a.at !== b.at ? a.at - b.at : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * The call log reader over the world's calls and contacts; `policy` is the admins' switch as stored now (read on
 * every page, as the Kysely reader reads its row). `timeline`: the in-memory `CallTimeline` the calls' traces
 * were written to.
 */
export function createInMemoryCallLog(
  world: InMemoryCallWorld,
  options: {
    readonly policy?: () => CallReadPolicy;
    readonly timeline?: InMemoryTraceWrites;
  } = {},
): CallLogReader {
  return {
    ...createInMemoryCallLogDetails(world, options.timeline),
    async page(reader: Actor, query: CallLogQuery) {
      const limit = Math.min(Math.max(query.limit, 1), MAX_PAGE);
      const scope = callReadScope(reader, options.policy?.());
      const sign = query.order === 'newest' ? -1 : 1;
      const after = query.after ? { at: Date.parse(query.after.startedAt), id: query.after.id } : null;
      return withReturns(await world.calls.list({ limit: Number.MAX_SAFE_INTEGER }))
        .filter(
          (c) =>
            inScope(scope, c.call, world) &&
            matches(c, query) &&
            (after === null || sign * compare({ at: c.at, id: c.call.id }, after) > 0),
        )
        .sort((a, b) => sign * compare({ at: a.at, id: a.call.id }, { at: b.at, id: b.call.id }))
        .slice(0, limit)
        .map((c) => c.call);
    },
  };
}
