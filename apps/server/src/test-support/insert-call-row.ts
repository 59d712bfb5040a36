/**
 * Inserts a `calls` row at any schema since the calls table's first migration: the columns every row needs are
 * filled (empty JSON lists, version 1, not recorded, the status its outcome implies), the rest come from `row`.
 * Why: migration tests run at an older schema, where the telephony test-support's `insertTestCall` would write
 * columns that do not exist yet.
 */
import type { Insertable, Kysely } from 'kysely';
import type { Database } from '../platform/db/schema.js';

type CallRow = Insertable<Database['calls']>;

export async function insertCallRow(
  db: Kysely<Database>,
  row: Pick<CallRow, 'id' | 'direction' | 'outcome' | 'started_at'> & Partial<CallRow>,
): Promise<void> {
  const at = row.started_at ?? new Date().toISOString();
  await db
    .insertInto('calls')
    .values({
      pbx_call_id: `${row.direction === 'outbound' ? 'out' : 'in'}_${row.id}`,
      status: row.outcome === 'answered' ? 'answered' : 'missed',
      ringing_extensions: '[]',
      recording_ids: '[]',
      events: '[]',
      version: 1,
      is_recorded: 0,
      created_at: at,
      updated_at: at,
      ...row,
    })
    .execute();
}
