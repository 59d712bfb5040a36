/** History import and reconciliation (issue 11). (Part of the telephony ports; import them from `../ports.js`.) */
import type { StatisticsCallRow } from '../domain/call-history.js';
import type { CallRepository } from './calls.js';
import type { CallTimeline, ExtensionDirectory } from './webhook-path.js';

/** `import`: an admin's "last N days"; `reconcile`: the nightly (or "Reconcile now") check of the last days. */
export type HistoryRunKind = 'import' | 'reconcile';

/**
 * `queued` → `running` (pages being read) → `done` | `failed` (a bad page, or Zadarma kept failing) | `cancelled`.
 * `waiting`: Zadarma said 429; the run sleeps until `resumeAt` and goes on from its cursor.
 */
type HistoryRunStatus = 'queued' | 'running' | 'waiting' | 'done' | 'failed' | 'cancelled';

/** One import or reconciliation, with its cursor (where it goes on after a restart) and its report. */
export interface HistoryRun {
  readonly id: string;
  readonly kind: HistoryRunKind;
  readonly status: HistoryRunStatus;
  /** The period asked for, `YYYY-MM-DD HH:MM:SS` in the account's timezone (Zadarma's own format). */
  readonly periodStart: string;
  readonly periodEnd: string;
  /** Rows per request (Zadarma's `limit`, ≤ 1000). */
  readonly pageSize: number;
  /** The cursor: the start of the ≤ 30-day window being read, and the rows of it already read (`skip`). */
  readonly windowStart: string;
  readonly skip: number;
  /** The `callstart` of the last row read: how far through the period the run is (the progress bar). */
  readonly reachedAt: string | null;
  readonly pages: number;
  readonly rows: number;
  /** Distinct calls Zadarma listed. */
  readonly callsChecked: number;
  /** Of those, calls we did not have, or had without their end. */
  readonly callsMissing: number;
  /** Of the missing, those folded in (added or completed). */
  readonly callsHealed: number;
  /** Rows that could not be read, each with why (the first 20 kept). */
  readonly badRows: number;
  readonly problems: readonly string[];
  readonly error: string | null;
  /** While `waiting`: when the next request may go (Zadarma's Retry-After). */
  readonly resumeAt: string | null;
  readonly requestedBy: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly finishedAt: string | null;
}

interface NewHistoryRun {
  readonly id: string;
  readonly kind: HistoryRunKind;
  readonly periodStart: string;
  readonly periodEnd: string;
  readonly pageSize: number;
  readonly requestedBy: string | null;
  readonly createdAt: string;
}

/** What a page changes on a run: the cursor moves and the counts grow, in one write. */
interface HistoryRunProgress {
  readonly windowStart: string;
  readonly skip: number;
  readonly reachedAt: string | null;
  readonly pages: number;
  readonly rows: number;
  readonly callsChecked: number;
  readonly callsMissing: number;
  readonly callsHealed: number;
  readonly badRows: number;
  readonly problems: readonly string[];
}

/** The runs, their cursors and reports. */
export interface HistoryRunStore {
  create(run: NewHistoryRun): Promise<HistoryRun>;
  get(id: string): Promise<HistoryRun | null>;
  /** The latest run of a kind, or null. */
  latest(kind: HistoryRunKind): Promise<HistoryRun | null>;
  /** A run of the kind still queued, running or waiting (one at a time per kind). */
  active(kind: HistoryRunKind): Promise<HistoryRun | null>;
  /**
   * Moves the cursor and the counts, only while the run is not finished or cancelled; false when it is (a cancel
   * won the race: the page's calls are folded, which is harmless, and the run stays cancelled).
   */
  advance(
    id: string,
    progress: HistoryRunProgress,
    status: 'running' | 'waiting',
    resumeAt: string | null,
    now: string,
  ): Promise<boolean>;
  /** Ends a run (`done`, `failed`, `cancelled`) unless it is already finished; false when it was. */
  finish(
    id: string,
    status: 'done' | 'failed' | 'cancelled',
    error: string | null,
    now: string,
  ): Promise<boolean>;
}

/** One page of Zadarma's PBX statistics, or why there is none for now. */
export type HistoryPage =
  | { readonly kind: 'rows'; readonly rows: readonly StatisticsCallRow[]; readonly bad: readonly string[] }
  /** 429: wait this long and ask again. */
  | { readonly kind: 'rate-limited'; readonly retryAfterMs: number };

/** `/v1/statistics/pbx/` version 2, one page at a time (the SDK paces it to 3 a minute). */
export interface CallHistorySource {
  /**
   * The rows of `[start, end]` from `skip`, at most `limit`, oldest first. Rows that do not parse come back in
   * `bad` (never dropped silently). Rejects on a 5xx, a network failure or an answer that is not a page at all:
   * the job is retried with backoff from the same cursor.
   */
  page(query: { start: string; end: string; skip: number; limit: number }): Promise<HistoryPage>;
  /** The account's timezone label (`UTC+3`), which `callstart` is written in. */
  timezone(): Promise<string>;
}

/**
 * The links an imported call gets, as the webhook path gives them: the client's E.164 and contact, the agent. The
 * company's default country is read before the transaction (on SQLite a read through the app's handle would wait
 * for the connection the transaction holds).
 */
export interface HistoryCallLinks {
  e164Of(rawNumber: string, defaultCountry: string): Promise<string | null>;
  contactIdOf(rawNumber: string, defaultCountry: string): Promise<string | null>;
  userOfExtension(extension: string): Promise<string | null>;
}

/**
 * What a chunk of a page's calls is folded with, in one transaction (the port's `UnitOfWork`): the webhooks' own
 * call repository and the contact timeline. Why: one commit per chunk instead of one per notification.
 */
export interface HistoryFoldPorts {
  readonly calls: Pick<CallRepository, 'get' | 'applyEvent' | 'link'>;
  readonly timeline: CallTimeline;
  readonly links: HistoryCallLinks;
  readonly directory: ExtensionDirectory;
}

/** Starts the job that runs a history run (`telephony.history-run`), keyed by the run and its cursor. */
export interface HistoryJobs {
  runNext(runId: string, step: number, at?: Date): Promise<void>;
}
