/** The call read models: the call log, a call's page, the statistics, and who may read them. (Part of the telephony ports; import them from `../ports.js`.) */
import type { Actor } from '../../../platform/auth/actor.js';
import type { CallOutcome as ZadarmaCallOutcome } from '../domain/call-outcome.js';
import type { InstantRange } from '../domain/local-hour-slots.js';
import type { FateBucket, FollowUpCall, MissedCallClass } from '../domain/missed-call-classification.js';
import type { InboxEntry, InboxStatus, StoredCall } from './calls.js';

// ── The call read models: what the call log, a call's page and the chart read, and who may read it.

/**
 * Whose calls an actor reads (use-cases/call-visibility.ts decides it; adapters apply it as a query condition):
 * every call, none, or an agent's — the calls they handled and those of contacts they are responsible for.
 */
export type CallReadScope =
  | { readonly kind: 'all' }
  | { readonly kind: 'none' }
  | { readonly kind: 'agent'; readonly userId: string };

/** Whether an actor may read one call. Why: single-call routes and notes on calls answer 404 alike for both. */
export interface CallVisibility {
  canRead(actor: Actor, callId: string): Promise<boolean>;
}

/** The names and notes a list of calls is shown with, read in batches (never a query per call). */
interface CallDetails {
  /** Contact id → display name. */
  readonly contactNames: ReadonlyMap<string, string>;
  /** User id → name. */
  readonly userNames: ReadonlyMap<string, string>;
  /** Call id → the latest note written on the call. */
  readonly notes: ReadonlyMap<string, string>;
}

/** Calls of a scope counted per day and status. */
interface CallCountQuery {
  readonly scope: CallReadScope;
  /**
   * Ascending ISO instants: day `i` runs from `boundaries[i]` (inclusive) to `boundaries[i + 1]` (exclusive);
   * calls outside the first and last boundary are not counted.
   */
  readonly boundaries: readonly string[];
  readonly statuses: readonly string[];
}

export interface CallCount {
  readonly dayIndex: number;
  readonly status: string;
  readonly count: number;
}

/** Reads calls as the API shows them. Why: the call log and the chart read in SQL, the use cases decide. */
export interface CallReadModel {
  detailsOf(calls: readonly StoredCall[]): Promise<CallDetails>;
  /** Counts in the store (one grouped query), only days and statuses that have calls. */
  countByDay(query: CallCountQuery): Promise<CallCount[]>;
}

/** One page of the admin's webhook inbox, newest first. */
export interface InboxPageQuery {
  readonly status?: InboxStatus | undefined;
  readonly event?: string | undefined;
  readonly page: number;
  readonly pageSize: number;
}

/** Browses the webhook inbox for the admin. Why: the list filters and counts, which the hot path never does. */
export interface InboxBrowser {
  page(query: InboxPageQuery): Promise<{ readonly items: InboxEntry[]; readonly total: number }>;
}

/** A position in the call log: the last row's start time and id (keyset paging). */
export interface CallLogCursor {
  readonly startedAt: string;
  readonly id: string;
}

/** What the call log can be filtered by; every field optional, all combined with AND. */
export interface CallLogFilter {
  /** Calls started at or after this instant. */
  readonly from?: string;
  /** Calls started before this instant. */
  readonly to?: string;
  /** The attributed extension (domain/call-attribution.ts). */
  readonly extension?: string;
  /** The linked agent. */
  readonly userId?: string;
  readonly direction?: 'in' | 'out';
  /** An outcome (domain/call-outcome.ts), or `missed`: any missed inbound outcome. */
  readonly outcome?: ZadarmaCallOutcome | 'missed';
  readonly contactId?: string;
  /** The client's number in E.164. */
  readonly clientE164?: string;
  readonly hasRecording?: boolean;
  /** Missed inbound calls with no connected call with the same client after them. */
  readonly notReturned?: boolean;
  /**
   * Missed inbound calls of one class (domain/missed-call-classification.ts), with the return window the
   * statistics counted them with: exactly the calls behind a "missed calls classified" figure.
   */
  readonly fate?: { readonly class: MissedCallClass; readonly returnWithinMinutes: number };
  /**
   * Calls in one cell of the statistics' heatmap: local weekday (Monday = 0) and hour in `timeZone`; needs
   * `from` and `to`. The use case turns it into ranges of start times (domain/local-hour-slots.ts).
   */
  readonly localHour?: { readonly weekday: number; readonly hour: number; readonly timeZone: string };
  /** Words said in the call (its transcript contains them, case-insensitive); the use case turns it into `callIds`. */
  readonly said?: string;
}

export interface CallLogQuery extends CallLogFilter {
  readonly order: 'newest' | 'oldest';
  /** Rows strictly after this position in `order`. */
  readonly after?: CallLogCursor;
  readonly limit: number;
  /** Only these calls (the transcript search's answer for `said`). */
  readonly callIds?: readonly string[];
  /**
   * For some of `callIds`, an instant the call cannot have started after (the transcript search's
   * `startedAtMost`). A hint, never a filter: the page is the same with or without it, but a reader may read the
   * calls latest bound first and stop once the page is full instead of reading them all.
   */
  readonly callStartBounds?: ReadonlyMap<string, string>;
  /**
   * Only calls started in one of these disjoint ranges (a heatmap cell's hours, `localHour`), within `from` and
   * `to` as well. Why the reader takes them all: it reads them in a query or two, not one per range.
   */
  readonly within?: readonly InstantRange[];
}

/** An item of a call's trace (decisions taken on the call): a kind code and its parameters, never prose. */
export interface CallTraceEntry {
  readonly at: string;
  readonly type: string;
  readonly params: Readonly<Record<string, string | number>>;
  /** The English line written at the time (logs, older items): shown only when the kind is unknown. */
  readonly text: string | null;
}

/**
 * The call log's reading side. Why a port: the log's paging, filters and the checks behind "missed and not
 * returned" are queries the use cases describe and the adapter answers from its indexes.
 */
export interface CallLogReader {
  /** The calls `reader` may read that match, in `order`, at most `limit`. Calls with no start time are left out. */
  page(reader: Actor, query: CallLogQuery): Promise<StoredCall[]>;
  /** Calls with this client that started after `after`, oldest first, at most `limit`. */
  followUps(clientE164: string, after: string, limit: number): Promise<FollowUpCall[]>;
  /** The call's trace, oldest first. */
  trace(callId: string): Promise<CallTraceEntry[]>;
}

/** Sums of rollup cells over a range of hours, grouped as the query asked. */
interface RollupSums {
  readonly calls: number;
  readonly talkSeconds: number;
  readonly waitSeconds: number;
}

/**
 * Missed inbound calls of a range summed by attributed extension and fate bucket (the fold keeps each missed
 * call's return: domain/missed-call-classification.ts `fateBucket`).
 */
interface MissedFateSums {
  readonly extension: string;
  readonly fate: FateBucket;
  readonly calls: number;
  /** Seconds from the missed calls to their return, summed. */
  readonly returnSeconds: number;
}

/** A range of whole UTC hours since the epoch, `[fromHour, toHour)`, and the extensions to count (null: all). */
export interface StatisticsRange {
  readonly fromHour: number;
  readonly toHour: number;
  readonly extensions: readonly string[] | null;
}

/**
 * The statistics' reading side: sums over the rollups (domain/call-rollup.ts), never over the call log, and
 * the missed calls of a period with their first return. Why a port: the use case composes the figures; the
 * adapter answers each question from the table and index made for it.
 */
export interface CallStatisticsReader {
  /** Per extension × direction × outcome. */
  byAgent(
    range: StatisticsRange,
  ): Promise<(RollupSums & { extension: string; direction: 'in' | 'out'; outcome: string })[]>;
  /** The missed inbound calls started in the range, per extension × fate bucket. */
  missedFates(range: StatisticsRange): Promise<MissedFateSums[]>;
  /**
   * The runs' hours tallied per local day (`day`: whole days since the epoch in local wall time) or per local
   * hour of the week (`weekHour`: Monday 00:00 = 0 … Sunday 23:00 = 167), for the daily trend and the heatmap.
   * Why in the database: a year is 8,760 hours × ~10 cells, and the trend needs 366 rows.
   */
  localTallies(
    extensions: readonly string[] | null,
    runs: readonly LocalHourRun[],
    by: 'day' | 'weekHour',
  ): Promise<LocalTally[]>;
}

/** UTC hours `[fromHour, toHour)` whose local hour is the UTC hour plus `offsetHours` (the zone's offset, floored). */
export interface LocalHourRun {
  readonly fromHour: number;
  readonly toHour: number;
  readonly offsetHours: number;
}

/** The calls of one local day or hour of the week: all, answered (either way), inbound, inbound missed. */
interface LocalTally {
  readonly key: number;
  readonly calls: number;
  readonly answered: number;
  readonly inbound: number;
  readonly missed: number;
}
