/** The `HistoryRunStore` on Kysely (`call_history_runs`, migration 0016), both dialects. */
import type { Kysely, Selectable } from 'kysely';
import type { CallHistoryRunsTable } from '../../../platform/db/schema/history.js';
import type { Database } from '../../../platform/db/schema.js';
import type { HistoryRun, HistoryRunStore } from '../ports.js';

function toRun(row: Selectable<CallHistoryRunsTable>): HistoryRun {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    periodStart: row.period_start,
    periodEnd: row.period_end,
    pageSize: Number(row.page_size),
    windowStart: row.window_start,
    skip: Number(row.skip),
    reachedAt: row.reached_at,
    pages: Number(row.pages),
    rows: Number(row.rows_read),
    callsChecked: Number(row.calls_checked),
    callsMissing: Number(row.calls_missing),
    callsHealed: Number(row.calls_healed),
    badRows: Number(row.bad_rows),
    problems: JSON.parse(row.problems) as string[],
    error: row.error,
    resumeAt: row.resume_at,
    requestedBy: row.requested_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    finishedAt: row.finished_at,
  };
}

const UNFINISHED = ['queued', 'running', 'waiting'] as const;

export function createKyselyHistoryRunStore(db: Kysely<Database>): HistoryRunStore {
  const get = async (id: string) => {
    const row = await db.selectFrom('call_history_runs').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toRun(row) : null;
  };
  return {
    async create(run) {
      await db
        .insertInto('call_history_runs')
        .values({
          id: run.id,
          kind: run.kind,
          status: 'queued',
          period_start: run.periodStart,
          period_end: run.periodEnd,
          page_size: run.pageSize,
          window_start: run.periodStart,
          skip: 0,
          reached_at: null,
          pages: 0,
          rows_read: 0,
          calls_checked: 0,
          calls_missing: 0,
          calls_healed: 0,
          bad_rows: 0,
          problems: '[]',
          error: null,
          resume_at: null,
          requested_by: run.requestedBy,
          created_at: run.createdAt,
          updated_at: run.createdAt,
          finished_at: null,
        })
        .execute();
      return (await get(run.id)) as HistoryRun;
    },
    get,
    async latest(kind) {
      const row = await db
        .selectFrom('call_history_runs')
        .selectAll()
        .where('kind', '=', kind)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row ? toRun(row) : null;
    },
    async active(kind) {
      const row = await db
        .selectFrom('call_history_runs')
        .selectAll()
        .where('kind', '=', kind)
        .where('status', 'in', UNFINISHED)
        .orderBy('created_at', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row ? toRun(row) : null;
    },
    async advance(id, p, status, resumeAt, now) {
      const result = await db
        .updateTable('call_history_runs')
        .set({
          status,
          window_start: p.windowStart,
          skip: p.skip,
          reached_at: p.reachedAt,
          pages: p.pages,
          rows_read: p.rows,
          calls_checked: p.callsChecked,
          calls_missing: p.callsMissing,
          calls_healed: p.callsHealed,
          bad_rows: p.badRows,
          problems: JSON.stringify(p.problems),
          resume_at: resumeAt,
          updated_at: now,
        })
        .where('id', '=', id)
        .where('status', 'in', UNFINISHED)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
    async finish(id, status, error, now) {
      const result = await db
        .updateTable('call_history_runs')
        .set({ status, error, resume_at: null, updated_at: now, finished_at: now })
        .where('id', '=', id)
        .where('status', 'in', UNFINISHED)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
  };
}
