/**
 * Tables of what happens after a call (migration 0014): the open missed-call loop per client number and the
 * calls it counted; the new callers and the calls counted for them.
 */

/** One client's open callback task (deleted when the loop closes; the task keeps the history). */
export interface CallbackLoopsTable {
  client_e164: string;
  task_id: string;
  missed_calls: number;
  first_call_id: string;
  last_call_id: string;
  first_missed_at: string;
  last_missed_at: string;
  due_at: string;
  escalated_at: string | null;
}

interface CallbackLoopCallsTable {
  call_id: string;
  client_e164: string;
  task_id: string;
  at: string;
}

/** `pending`: waits in the new-callers inbox; the others are decisions, kept so a number is decided once. */
export type NewCallerStatus = 'pending' | 'created' | 'accepted' | 'merged' | 'declined';

export interface NewCallersTable {
  client_e164: string;
  status: NewCallerStatus;
  calls: number;
  /** Calls shorter than the spam threshold (the spam hint). */
  short_calls: number;
  first_call_id: string;
  last_call_id: string;
  last_direction: string;
  last_status: string;
  agent_user_id: string | null;
  record_type: 'contact' | 'lead' | 'deal' | null;
  record_id: string | null;
  decided_by: string | null;
  decided_at: string | null;
  first_call_at: string;
  last_call_at: string;
}

interface NewCallerCallsTable {
  call_id: string;
  client_e164: string;
}

export type AfterCallTables = {
  callback_loops: CallbackLoopsTable;
  callback_loop_calls: CallbackLoopCallsTable;
  new_callers: NewCallersTable;
  new_caller_calls: NewCallerCallsTable;
};
