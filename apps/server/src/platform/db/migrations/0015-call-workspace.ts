/**
 * The agent's call workspace (issue 13). `call_wrap_ups` holds the after-call work an agent records on a call —
 * its outcome (Pipedrive's call logging) and a missed call dismissed from the "missed calls" list — beside the
 * calls table rather than in it, so the webhook's fold (which rewrites a call's row on every notification) never
 * carries them. Three partial indexes serve the workspace's reads: the calls in progress a connecting tab
 * restores (a handful of rows at any time: a call leaves the index when it ends), the missed calls, and the
 * answered calls by client number that tell that a missed call was returned.
 */
import { type Kysely, type Migration, type SqlBool, sql } from 'kysely';
import { dialectOf, timestampType } from '../column-types.js';

export const migration0015CallWorkspace: Migration = {
  async up(db: Kysely<unknown>) {
    const ts = timestampType(dialectOf(db));
    await db.schema
      .createTable('call_wrap_ups')
      .addColumn('call_id', 'text', (c) => c.primaryKey().references('calls.id').onDelete('cascade'))
      .addColumn('outcome', 'text')
      .addColumn('outcome_by', 'text', (c) => c.references('users.id').onDelete('set null'))
      .addColumn('outcome_at', ts)
      .addColumn('missed_dismissed_by', 'text', (c) => c.references('users.id').onDelete('set null'))
      .addColumn('missed_dismissed_at', ts)
      .execute();
    await db.schema
      .createIndex('calls_in_progress_idx')
      .on('calls')
      .column('started_at')
      .where(sql<SqlBool>`status in ('ringing', 'in_progress')`)
      .execute();
    await db.schema
      .createIndex('calls_status_missed_idx')
      .on('calls')
      .column('started_at')
      .where(sql<SqlBool>`status = 'missed'`)
      .execute();
    await db.schema
      .createIndex('calls_answered_client_idx')
      .on('calls')
      .columns(['client_e164', 'started_at'])
      .where(sql<SqlBool>`status = 'answered' and client_e164 is not null`)
      .execute();
  },
  async down(db: Kysely<unknown>) {
    for (const name of ['calls_in_progress_idx', 'calls_status_missed_idx', 'calls_answered_client_idx']) {
      await db.schema.dropIndex(name).execute();
    }
    await db.schema.dropTable('call_wrap_ups').execute();
  },
};
