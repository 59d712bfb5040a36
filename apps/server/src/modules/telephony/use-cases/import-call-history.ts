/**
 * History import (issue 11): an admin asks for the last N days of Zadarma's call history; a job reads
 * `/v1/statistics/pbx/` page by page and folds each call into the rows the webhooks build (same `pbx_call_id`,
 * same fold, rollups and attribution), so importing twice adds nothing. The run's cursor (the ≤ 30-day window and
 * the rows of it read) is written after every page: a restart goes on where it stopped, a 429 is waited out from
 * the same place, and a page that cannot be read fails the run with the reason instead of being skipped.
 *
 * Reconciliation (`reconcile-calls.ts`) is the same walk over the last days, reported as "checked, missing, healed".
 */
import { type Actor, actorUserId, refuseUnlessAdmin } from '../../../platform/auth/actor.js';
import { AppError } from '../../../platform/errors/errors.js';
import {
  BadHistoryRowError,
  groupHistoryRows,
  historyEvents,
  isCompleteCall,
  type StatisticsCall,
} from '../domain/call-history.js';
import { parseTimezoneOffset } from '../domain/zadarma-date-time.js';
import type {
  CallHistorySource,
  Clock,
  HistoryFoldPorts,
  HistoryJobs,
  HistoryRun,
  HistoryRunKind,
  HistoryRunStore,
  UnitOfWork,
} from '../ports.js';
import { recordCallActivity } from './record-call-activity.js';

/** Zadarma serves at most one month per request (§4.4): the period is read in windows of 30 days. */
const WINDOW_DAYS = 30;
/** The default and largest page (Zadarma's `limit`). */
export const HISTORY_PAGE_SIZE = 1000;
export const DEFAULT_IMPORT_DAYS = 30;
/** Zadarma documents no limit on how far back its history goes; a year is what one import asks for at most. */
export const MAX_IMPORT_DAYS = 365;
/** Zadarma's statistics limit (3 requests a minute): the pace the estimate of the time left is counted at. */
const STATISTICS_REQUEST_INTERVAL_MS = 20_000;
const MAX_PROBLEMS = 20;
/** Calls folded per transaction: as many as a webhook batch (64), so a chunk holds SQLite's one writer briefly. */
const CALLS_PER_TRANSACTION = 50;

export interface HistoryPorts {
  readonly runs: HistoryRunStore;
  readonly source: CallHistorySource;
  /**
   * The webhooks' call repository and the contact timeline (where a healed call goes, as a webhook-built one does:
   * `record-call-activity.ts`), one transaction per chunk of a page's calls.
   */
  readonly folds: UnitOfWork<HistoryFoldPorts>;
  /** The company's default country (phone numbers), read once per page, outside its transactions. */
  readonly defaultCountry: () => Promise<string>;
  readonly jobs: HistoryJobs;
  /** This server's clock: the runs' timestamps and when a waiting run asks again. */
  readonly clock: Clock;
  /** Zadarma's clock (the simulator's virtual one in demo mode): what "the last N days" are counted back from. */
  readonly pbxClock: Clock;
  readonly newId: () => string;
}

/** `YYYY-MM-DD HH:MM:SS` wall-clock time of `ms` in the account's timezone. */
function accountTime(ms: number, timezone: string): string {
  return new Date(ms + parseTimezoneOffset(timezone) * 60_000).toISOString().slice(0, 19).replace('T', ' ');
}

/** Wall-clock text → milliseconds as if UTC (only differences between two such values are used). */
function wallMs(text: string): number {
  return Date.parse(`${text.replace(' ', 'T')}Z`);
}

function wallText(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** Creates a run over the last `days` and starts its job. Shared by the import and the reconciliation. */
export async function startHistoryRun(
  ports: HistoryPorts,
  actor: Actor,
  input: { readonly kind: HistoryRunKind; readonly days: number; readonly pageSize?: number | undefined },
): Promise<HistoryRun> {
  refuseUnlessAdmin(actor, input.kind === 'import' ? 'import the call history' : 'reconcile calls');
  const { days } = input;
  const pageSize = input.pageSize ?? HISTORY_PAGE_SIZE;
  if (!Number.isInteger(days) || days < 1 || days > MAX_IMPORT_DAYS) {
    throw new AppError('SB_ERR_VALIDATION', `days must be a whole number from 1 to ${MAX_IMPORT_DAYS}`);
  }
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > HISTORY_PAGE_SIZE) {
    throw new AppError('SB_ERR_VALIDATION', `pageSize must be a whole number from 1 to ${HISTORY_PAGE_SIZE}`);
  }
  const active = await ports.runs.active(input.kind);
  if (active) {
    throw new AppError('SB_ERR_CONFLICT', `a ${input.kind} is already running (${active.id})`);
  }
  const now = ports.clock.now();
  const pbxNow = ports.pbxClock.now();
  const timezone = await ports.source.timezone();
  const periodEnd = accountTime(pbxNow, timezone);
  const periodStart = accountTime(pbxNow - days * 86_400_000, timezone);
  const run = await ports.runs.create({
    id: ports.newId(),
    kind: input.kind,
    periodStart,
    periodEnd,
    pageSize,
    requestedBy: actorUserId(actor),
    createdAt: new Date(now).toISOString(),
  });
  await ports.jobs.runNext(run.id, 0);
  return run;
}

/** Cancels a run that has not finished; the page being read is folded (harmless), no further page is. */
export async function cancelHistoryRun(
  ports: HistoryPorts,
  actor: Actor,
  runId: string,
): Promise<HistoryRun> {
  refuseUnlessAdmin(actor, 'cancel a history import');
  const run = await ports.runs.get(runId);
  if (!run) {
    throw new AppError('SB_ERR_NOT_FOUND', 'no such history run');
  }
  await ports.runs.finish(runId, 'cancelled', null, new Date(ports.clock.now()).toISOString());
  return (await ports.runs.get(runId)) ?? run;
}

/** The end of the window that starts at `windowStart` (inclusive, to the second), within the period. */
function windowEnd(run: HistoryRun, windowStart: string): string {
  // `end - start` of exactly 30 days is what Zadarma serves uncut: a 30-day import is one window.
  return wallText(Math.min(wallMs(windowStart) + WINDOW_DAYS * 86_400_000, wallMs(run.periodEnd)));
}

interface Folded {
  readonly missing: boolean;
  readonly healed: boolean;
}

/** Folds one call's statistics into our call, with the links the webhook path would give it. */
async function foldCall(
  ports: HistoryPorts,
  tx: HistoryFoldPorts,
  call: StatisticsCall,
  timezone: string,
  country: string,
): Promise<Folded> {
  const known = await tx.calls.get(call.pbxCallId);
  if (isCompleteCall(known)) {
    return { missing: false, healed: false };
  }
  const events = historyEvents(call, timezone, known);
  for (const event of events) {
    await tx.calls.applyEvent(event, new Date(ports.clock.now()).toISOString());
  }
  let stored = await tx.calls.get(call.pbxCallId);
  if (stored?.clientNumber) {
    const number = stored.clientNumber;
    const clientE164 = await tx.links.e164Of(number, country);
    const contactId = stored.contactId ?? (await tx.links.contactIdOf(number, country));
    const agentExtension =
      stored.answeredBy ?? (stored.direction === 'outbound' ? stored.originExtension : null);
    const agentUserId = agentExtension ? await tx.links.userOfExtension(agentExtension) : null;
    const links = {
      ...(clientE164 !== stored.clientE164 && clientE164 !== null ? { clientE164 } : {}),
      ...(contactId !== stored.contactId ? { contactId } : {}),
      ...(agentUserId && agentUserId !== stored.agentUserId ? { agentUserId } : {}),
    };
    if (Object.keys(links).length > 0) {
      stored = await tx.calls.link(stored, links, new Date(ports.clock.now()).toISOString());
    }
  }
  if (stored) {
    await recordCallActivity(tx, stored);
  }
  return { missing: true, healed: isCompleteCall(stored) };
}

export type HistoryStepOutcome = 'more' | 'waiting' | 'done' | 'stopped';

/**
 * Reads the run's next page and folds it, then moves the cursor: one step of the job. A full page's last call is
 * left for the next page (its other legs may be there), unless it fills the page alone.
 * Why one page per step: a stopping server waits for one request at most, and the queue's retries (a 5xx, a
 * network failure) start again from the cursor, never from the beginning.
 */
export async function runHistoryStep(
  ports: HistoryPorts,
  runId: string,
  step: number,
): Promise<HistoryStepOutcome> {
  const run = await ports.runs.get(runId);
  if (!run || run.status === 'done' || run.status === 'failed' || run.status === 'cancelled') {
    return 'stopped';
  }
  const nowIso = () => new Date(ports.clock.now()).toISOString();
  const end = windowEnd(run, run.windowStart);
  const page = await ports.source.page({ start: run.windowStart, end, skip: run.skip, limit: run.pageSize });
  if (page.kind === 'rate-limited') {
    const resumeAt = new Date(ports.clock.now() + page.retryAfterMs);
    const { status: _s, ...progress } = run;
    const still = await ports.runs.advance(runId, progress, 'waiting', resumeAt.toISOString(), nowIso());
    if (!still) {
      return 'stopped';
    }
    await ports.jobs.runNext(runId, step + 1, resumeAt);
    return 'waiting';
  }
  const timezone = await ports.source.timezone();
  const country = await ports.defaultCountry();
  const full = page.rows.length >= run.pageSize;
  let calls = groupHistoryRows(page.rows);
  let used = page.rows.length;
  const last = calls.at(-1);
  if (full && last && calls.length > 1) {
    calls = calls.slice(0, -1);
    used -= last.rows.length;
  }
  let missing = 0;
  let healed = 0;
  let badRows = page.bad.length;
  const problems = [...run.problems, ...page.bad];
  for (let from = 0; from < calls.length; from += CALLS_PER_TRANSACTION) {
    const chunk = calls.slice(from, from + CALLS_PER_TRANSACTION);
    // A chunk commits whole or not at all; a failure other than a bad call rolls it back and the job is retried
    // from the cursor, which only moves after the page.
    const counted = await ports.folds.run(async (tx) => {
      const c = { missing: 0, healed: 0, badRows: 0, problems: [] as string[] };
      for (const call of chunk) {
        try {
          const folded = await foldCall(ports, tx, call, timezone, country);
          c.missing += folded.missing ? 1 : 0;
          c.healed += folded.healed ? 1 : 0;
        } catch (error) {
          if (
            !(error instanceof BadHistoryRowError) &&
            (error as { code?: string }).code !== 'SB_ERR_CONFLICT'
          ) {
            throw error;
          }
          // A call Zadarma lists but we cannot fold (unreadable, or contradicting what was signed) is reported.
          c.missing += 1;
          c.badRows += call.rows.length;
          c.problems.push((error as Error).message);
        }
      }
      return c;
    });
    missing += counted.missing;
    healed += counted.healed;
    badRows += counted.badRows;
    problems.push(...counted.problems);
  }
  const reachedAt = calls.at(-1)?.rows[0]?.callstart ?? run.reachedAt;
  const windowDone = !full;
  const lastWindow = end >= run.periodEnd;
  const progress = {
    windowStart: windowDone && !lastWindow ? wallText(wallMs(end) + 1000) : run.windowStart,
    skip: windowDone ? 0 : run.skip + used,
    reachedAt: windowDone && !lastWindow ? wallText(wallMs(end) + 1000) : reachedAt,
    pages: run.pages + 1,
    rows: run.rows + used,
    callsChecked: run.callsChecked + calls.length,
    callsMissing: run.callsMissing + missing,
    callsHealed: run.callsHealed + healed,
    badRows: run.badRows + badRows,
    problems: problems.slice(0, MAX_PROBLEMS),
  };
  const still = await ports.runs.advance(runId, progress, 'running', null, nowIso());
  if (!still) {
    return 'stopped';
  }
  if (windowDone && lastWindow) {
    await ports.runs.finish(runId, 'done', null, nowIso());
    return 'done';
  }
  await ports.jobs.runNext(runId, step + 1);
  return 'more';
}

/** Marks a run failed with why (the job gave up: Zadarma kept failing, or its answers are not pages). */
export async function failHistoryRun(ports: HistoryPorts, runId: string, error: string): Promise<void> {
  await ports.runs.finish(runId, 'failed', error.slice(0, 500), new Date(ports.clock.now()).toISOString());
}

/** A run as the settings card shows it: its share done and an estimate of the time left. */
export interface HistoryRunView extends Omit<HistoryRun, 'problems'> {
  readonly problems: string[];
  /** 0–1: how far through the period the rows read reach. */
  readonly progress: number;
  /** Estimated seconds left at Zadarma's 3 requests a minute, null when finished or not yet known. */
  readonly secondsLeft: number | null;
}

export function viewHistoryRun(run: HistoryRun): HistoryRunView {
  const span = wallMs(run.periodEnd) - wallMs(run.periodStart);
  const finished = run.status === 'done';
  const reached = run.reachedAt ? wallMs(run.reachedAt) - wallMs(run.periodStart) : 0;
  const progress = finished ? 1 : span > 0 ? Math.min(1, Math.max(0, reached / span)) : 0;
  let secondsLeft: number | null = null;
  if (!['done', 'failed', 'cancelled'].includes(run.status) && progress > 0 && run.pages > 0) {
    // Pages still to read if the rest of the period is as busy as what was read, at least one per window left.
    const pagesLeft = Math.max(
      Math.ceil(run.pages * ((1 - progress) / progress)),
      Math.ceil((wallMs(run.periodEnd) - wallMs(run.windowStart)) / (WINDOW_DAYS * 86_400_000)),
    );
    secondsLeft = Math.round((pagesLeft * STATISTICS_REQUEST_INTERVAL_MS) / 1000);
  }
  return { ...run, problems: [...run.problems], progress, secondsLeft };
}

/** The latest import and reconciliation, for the settings card (admins). */
export async function readHistoryRuns(
  ports: Pick<HistoryPorts, 'runs'>,
  actor: Actor,
): Promise<{ import: HistoryRunView | null; reconcile: HistoryRunView | null }> {
  refuseUnlessAdmin(actor, 'read the history imports');
  const [imported, reconciled] = await Promise.all([
    ports.runs.latest('import'),
    ports.runs.latest('reconcile'),
  ]);
  return {
    import: imported ? viewHistoryRun(imported) : null,
    reconcile: reconciled ? viewHistoryRun(reconciled) : null,
  };
}
