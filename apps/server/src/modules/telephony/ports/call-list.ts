/**
 * The calls list of `GET /api/calls` (numbered pages with a total, for the contact page and the dashboard) and
 * the note an agent writes on a call from its popup. The call log (`CallLogReader`) is the keyset-paged,
 * fully filtered list; this one stays small on purpose.
 */
import type { StoredCall } from './calls.js';
import type { CallReadScope } from './read-models.js';

export interface CallListPageQuery {
  readonly contactId?: string;
  readonly userId?: string;
  readonly direction?: 'in' | 'out';
  readonly status?: StoredCall['status'];
  /** From 1. */
  readonly page: number;
  readonly pageSize: number;
}

/** Calls a scope may read, newest first (start time, then id), one numbered page at a time. */
export interface CallListPages {
  page(
    scope: CallReadScope,
    query: CallListPageQuery,
  ): Promise<{ readonly ids: string[]; readonly total: number }>;
}

/** The note written during a call: one per call, the first note on it (a `notes` row with subject `call`). */
export interface CallNotes {
  /** Replaces the call's note, or writes it by `authorId` at `at` when it has none. */
  save(input: { callId: string; body: string; authorId: string; at: string }): Promise<void>;
}
