/**
 * History import and reconciliation runs (migration 0016). Times ISO-8601 UTC (timestamptz on PostgreSQL); the
 * period and cursor in Zadarma's `YYYY-MM-DD HH:MM:SS` of the account's timezone.
 */
export interface CallHistoryRunsTable {
  id: string;
  kind: 'import' | 'reconcile';
  status: 'queued' | 'running' | 'waiting' | 'done' | 'failed' | 'cancelled';
  period_start: string;
  period_end: string;
  page_size: number;
  window_start: string;
  skip: number;
  reached_at: string | null;
  pages: number;
  rows_read: number;
  calls_checked: number;
  calls_missing: number;
  calls_healed: number;
  bad_rows: number;
  /** JSON array of strings: why rows could not be read (the first 20). */
  problems: string;
  error: string | null;
  resume_at: string | null;
  requested_by: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

export interface HistoryTables {
  call_history_runs: CallHistoryRunsTable;
}
