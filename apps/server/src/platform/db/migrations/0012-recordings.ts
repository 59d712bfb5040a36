/**
 * The recordings vault (issue 11): one row per recording of a call (`call_id_with_rec`), where its audio is
 * (our copy's storage key, size and SHA-256, or "link only"), a legal hold; and the audit of who listened to or
 * downloaded which recording, when — including refused attempts; and the transcripts Zadarma made of them.
 */
import type { Kysely, Migration } from 'kysely';
import { dialectOf, timestampType } from '../column-types.js';

export const migration0012Recordings: Migration = {
  async up(db: Kysely<unknown>) {
    const ts = timestampType(dialectOf(db));
    await db.schema
      .createTable('call_recordings')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('call_id', 'text', (c) => c.references('calls.id').onDelete('cascade'))
      .addColumn('pbx_call_id', 'text', (c) => c.notNull())
      .addColumn('recording_id', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('storage_key', 'text')
      .addColumn('size_bytes', 'bigint')
      .addColumn('sha256', 'text')
      .addColumn('content_type', 'text')
      .addColumn('legal_hold', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('last_error', 'text')
      .addColumn('created_at', ts, (c) => c.notNull())
      .addColumn('stored_at', ts)
      .addColumn('deleted_at', ts)
      .execute();
    await db.schema
      .createIndex('call_recordings_identity_idx')
      .on('call_recordings')
      .columns(['pbx_call_id', 'recording_id'])
      .unique()
      .execute();
    await db.schema.createIndex('call_recordings_call_idx').on('call_recordings').column('call_id').execute();
    await db.schema
      .createTable('recording_audit')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('at', ts, (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.references('users.id').onDelete('set null'))
      .addColumn('call_id', 'text', (c) => c.notNull())
      .addColumn('recording_id', 'text')
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('outcome', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('recording_audit_at_idx')
      .on('recording_audit')
      .columns(['at', 'id'])
      .execute();
    await db.schema
      .createTable('call_transcripts')
      .addColumn('recording_id', 'text', (c) =>
        c.primaryKey().references('call_recordings.id').onDelete('cascade'),
      )
      .addColumn('call_id', 'text', (c) => c.references('calls.id').onDelete('cascade'))
      .addColumn('lang', 'text')
      .addColumn('phrases', 'text', (c) => c.notNull())
      .addColumn('search_text', 'text', (c) => c.notNull())
      .addColumn('created_at', ts, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('call_transcripts_call_idx')
      .on('call_transcripts')
      .column('call_id')
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('call_transcripts').execute();
    await db.schema.dropTable('recording_audit').execute();
    await db.schema.dropTable('call_recordings').execute();
  },
};
