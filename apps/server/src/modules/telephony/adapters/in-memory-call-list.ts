/**
 * The call-reading ports in memory, with the semantics of their Kysely adapters (kysely-call-list.ts,
 * kysely-call-log.ts, kysely-call-statistics.ts): what the use cases of the calls, call-log and statistics routes
 * are unit-tested on.
 */
import { MISSED_OUTCOMES } from '../domain/call-outcome.js';
import { type FateBucket, isConnectedStatus } from '../domain/missed-call-classification.js';
import type {
  CallDecision,
  CallListPages,
  CallLogReader,
  CallNotes,
  CallStatisticsReader,
  CallTraceEntry,
  RoutingTraceItem,
  StatisticsRange,
} from '../ports.js';
import { decisionTraceEntry, MAX_TRACE_ENTRIES, routingTraceEntries } from './call-trace-entries.js';
import { type InMemoryCallWorld, inScope } from './in-memory-read-models.js';

export function createInMemoryCallListPages(world: InMemoryCallWorld): CallListPages {
  return {
    async page(scope, { contactId, userId, direction, status, page, pageSize }) {
      const matching = (await world.calls.list({ limit: Number.MAX_SAFE_INTEGER }))
        .filter(
          (c) =>
            inScope(scope, c, world) &&
            (!contactId || c.contactId === contactId) &&
            (!userId || c.agentUserId === userId) &&
            (!direction || (direction === 'out') === (c.direction === 'outbound')) &&
            (!status || c.status === status),
        )
        .sort((a, b) => {
          const [x, y] = [a.startedAt ?? '', b.startedAt ?? ''];
          return x !== y ? (x < y ? 1 : -1) : a.id < b.id ? 1 : -1;
        });
      return {
        ids: matching.slice((page - 1) * pageSize, page * pageSize).map((c) => c.id),
        total: matching.length,
      };
    },
  };
}

/** Notes kept in `notes` (oldest first), the array an `InMemoryCallWorld` reads them from. */
export function createInMemoryCallNotes(
  notes: { callId: string; body: string; authorId?: string }[],
): CallNotes {
  return {
    async save({ callId, body, authorId }) {
      const existing = notes.find((n) => n.callId === callId);
      if (existing) {
        existing.body = body;
      } else {
        notes.push({ callId, body, authorId });
      }
    },
  };
}

/** What an in-memory `CallTimeline` (createInMemoryCallTimeline) wrote on the calls' traces. */
export interface InMemoryTraceWrites {
  routing(): readonly RoutingTraceItem[];
  decisions(): readonly CallDecision[];
}

const NOTHING_WRITTEN: InMemoryTraceWrites = { routing: () => [], decisions: () => [] };

/**
 * The call log's per-call reads in memory: later calls with the same client, and each call's trace read back from
 * what `timeline` wrote, as the Kysely reader reads the activities its timeline wrote (call-trace-entries.ts).
 */
export function createInMemoryCallLogDetails(
  world: InMemoryCallWorld,
  timeline: InMemoryTraceWrites = NOTHING_WRITTEN,
): Pick<CallLogReader, 'followUps' | 'trace'> {
  return {
    async followUps(clientE164, after, limit) {
      return (await world.calls.list({ limit: Number.MAX_SAFE_INTEGER }))
        .filter((c) => c.clientE164 === clientE164 && c.startedAt !== null && c.startedAt > after)
        .sort((a, b) => ((a.startedAt ?? '') < (b.startedAt ?? '') ? -1 : 1))
        .slice(0, limit)
        .map((c) => ({
          startedAt: c.startedAt as string,
          direction:
            c.direction === 'outbound' ? 'outbound' : c.direction === 'inbound' ? 'inbound' : 'unknown',
          // Connected, as the Kysely reader and the fold's upkeep count it: a call being talked counts too.
          answered: isConnectedStatus(c.status),
        }));
    },
    async trace(callId) {
      const entries: CallTraceEntry[] = [
        ...timeline
          .routing()
          .filter((item) => item.callId === callId)
          .flatMap(routingTraceEntries),
        ...timeline
          .decisions()
          .filter((item) => item.callId === callId)
          .map(decisionTraceEntry),
      ];
      // Oldest first by the instant (not the text: an offset or a missing fraction would sort wrongly).
      return entries
        .map((entry) => ({ entry, at: Date.parse(entry.at) }))
        .sort((a, b) => a.at - b.at)
        .slice(0, MAX_TRACE_ENTRIES)
        .map(({ entry }) => entry);
    },
  };
}

/** One rollup cell (domain/call-rollup.ts): an hour × extension × direction × outcome and its sums. */
export interface InMemoryRollupCell {
  readonly hour: number;
  readonly extension: string;
  readonly direction: 'in' | 'out';
  readonly outcome: string;
  readonly calls: number;
  readonly talkSeconds: number;
  readonly waitSeconds: number;
}

/** The statistics' reads over rollup cells and missed calls kept in memory. */
export function createInMemoryCallStatistics(
  cells: readonly InMemoryRollupCell[],
  missed: readonly (Awaited<ReturnType<CallStatisticsReader['missedFates']>>[number] & {
    hour: number;
  })[] = [],
): CallStatisticsReader {
  const inRange = (range: StatisticsRange, hour: number, extension: string) =>
    hour >= range.fromHour && hour < range.toHour && (range.extensions?.includes(extension) ?? true);
  function sum<K extends string>(
    range: StatisticsRange,
    keyOf: (c: InMemoryRollupCell) => Record<K, string | number>,
  ) {
    const groups = new Map<
      string,
      Record<K, string | number> & { calls: number; talkSeconds: number; waitSeconds: number }
    >();
    for (const cell of cells.filter((c) => inRange(range, c.hour, c.extension))) {
      const key = keyOf(cell);
      const id = JSON.stringify(key);
      const seen = groups.get(id) ?? { ...key, calls: 0, talkSeconds: 0, waitSeconds: 0 };
      seen.calls += cell.calls;
      seen.talkSeconds += cell.talkSeconds;
      seen.waitSeconds += cell.waitSeconds;
      groups.set(id, seen);
    }
    return [...groups.values()];
  }
  return {
    async byAgent(range) {
      return sum(range, (c) => ({
        extension: c.extension,
        direction: c.direction,
        outcome: c.outcome,
      })) as never;
    },
    async localTallies(extensions, runs, by) {
      const tallies = new Map<
        number,
        { key: number; calls: number; answered: number; inbound: number; missed: number }
      >();
      for (const run of runs) {
        const range = { fromHour: run.fromHour, toHour: run.toHour, extensions };
        for (const cell of cells.filter((c) => inRange(range, c.hour, c.extension))) {
          const local = cell.hour + run.offsetHours;
          const key = by === 'day' ? Math.floor(local / 24) : (local + 72) % 168;
          const t = tallies.get(key) ?? { key, calls: 0, answered: 0, inbound: 0, missed: 0 };
          t.calls += cell.calls;
          t.answered += cell.outcome === 'answered' ? cell.calls : 0;
          t.inbound += cell.direction === 'in' ? cell.calls : 0;
          t.missed +=
            cell.direction === 'in' && (MISSED_OUTCOMES as readonly string[]).includes(cell.outcome)
              ? cell.calls
              : 0;
          tallies.set(key, t);
        }
      }
      return [...tallies.values()];
    },
    async missedFates(range) {
      const sums = new Map<
        string,
        { extension: string; fate: FateBucket; calls: number; returnSeconds: number }
      >();
      for (const m of missed.filter((row) => inRange(range, row.hour, row.extension))) {
        const id = `${m.extension}|${m.fate}`;
        const seen = sums.get(id) ?? { extension: m.extension, fate: m.fate, calls: 0, returnSeconds: 0 };
        seen.calls += m.calls;
        seen.returnSeconds += m.returnSeconds;
        sums.set(id, seen);
      }
      return [...sums.values()];
    },
  };
}
