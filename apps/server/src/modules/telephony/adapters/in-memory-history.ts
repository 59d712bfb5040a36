/** In-memory adapters of the history ports (`ports/history.ts`), for the use cases' unit tests. */
import type { StatisticsCallRow } from '../domain/call-history.js';
import type { CallHistorySource, HistoryJobs, HistoryPage, HistoryRun, HistoryRunStore } from '../ports.js';

const UNFINISHED = new Set(['queued', 'running', 'waiting']);

export function createInMemoryHistoryRunStore(): HistoryRunStore {
  const runs = new Map<string, HistoryRun>();
  return {
    async create(run) {
      const stored: HistoryRun = {
        ...run,
        status: 'queued',
        windowStart: run.periodStart,
        skip: 0,
        reachedAt: null,
        pages: 0,
        rows: 0,
        callsChecked: 0,
        callsMissing: 0,
        callsHealed: 0,
        badRows: 0,
        problems: [],
        error: null,
        resumeAt: null,
        updatedAt: run.createdAt,
        finishedAt: null,
      };
      runs.set(run.id, stored);
      return stored;
    },
    async get(id) {
      return runs.get(id) ?? null;
    },
    async latest(kind) {
      return [...runs.values()].filter((r) => r.kind === kind).at(-1) ?? null;
    },
    async active(kind) {
      return [...runs.values()].find((r) => r.kind === kind && UNFINISHED.has(r.status)) ?? null;
    },
    async advance(id, progress, status, resumeAt, now) {
      const run = runs.get(id);
      if (!run || !UNFINISHED.has(run.status)) {
        return false;
      }
      runs.set(id, {
        ...run,
        windowStart: progress.windowStart,
        skip: progress.skip,
        reachedAt: progress.reachedAt,
        pages: progress.pages,
        rows: progress.rows,
        callsChecked: progress.callsChecked,
        callsMissing: progress.callsMissing,
        callsHealed: progress.callsHealed,
        badRows: progress.badRows,
        problems: [...progress.problems],
        status,
        resumeAt,
        updatedAt: now,
      });
      return true;
    },
    async finish(id, status, error, now) {
      const run = runs.get(id);
      if (!run || !UNFINISHED.has(run.status)) {
        return false;
      }
      runs.set(id, { ...run, status, error, resumeAt: null, updatedAt: now, finishedAt: now });
      return true;
    },
  };
}

/**
 * Zadarma's history as a list of rows, paged as `/v1/statistics/pbx/` pages them (oldest first, `skip`/`limit`
 * within `[start, end]`); `failNext` queues answers to give instead (a 429, or an error to throw).
 */
export function createInMemoryCallHistorySource(
  rows: StatisticsCallRow[],
  timezone = 'UTC+3',
): CallHistorySource & {
  readonly requests: { start: string; end: string; skip: number; limit: number }[];
  failNext(answer: HistoryPage | Error): void;
} {
  const requests: { start: string; end: string; skip: number; limit: number }[] = [];
  const planned: (HistoryPage | Error)[] = [];
  return {
    requests,
    failNext(answer) {
      planned.push(answer);
    },
    async page(query) {
      requests.push(query);
      const next = planned.shift();
      if (next instanceof Error) {
        throw next;
      }
      if (next) {
        return next;
      }
      const inWindow = rows
        .filter((r) => r.callstart >= query.start && r.callstart <= query.end)
        .sort((a, b) => (a.callstart < b.callstart ? -1 : a.callstart > b.callstart ? 1 : 0));
      return { kind: 'rows', rows: inWindow.slice(query.skip, query.skip + query.limit), bad: [] };
    },
    async timezone() {
      return timezone;
    },
  };
}

/** Jobs as a list the test drains (step by step, as the queue would run them). */
export function createInMemoryHistoryJobs(): HistoryJobs & {
  readonly queued: { runId: string; step: number; at: Date | undefined }[];
} {
  const queued: { runId: string; step: number; at: Date | undefined }[] = [];
  return {
    queued,
    async runNext(runId, step, at) {
      queued.push({ runId, step, at });
    },
  };
}
