/**
 * Transcripts Zadarma posts (SPEECH_RECOGNITION, issue 11): the one that arrives before its recording's NOTIFY_RECORD
 * waits in `parked_transcripts` (keyed by the id it names) until that recording is registered, in the same
 * transaction; and an index to find a recording by Zadarma's id alone (the event may name no `pbx_call_id`).
 */
import type { Kysely, Migration } from 'kysely';
import { dialectOf, timestampType } from '../column-types.js';

export const migration0018ParkedTranscripts: Migration = {
  async up(db: Kysely<unknown>) {
    const ts = timestampType(dialectOf(db));
    await db.schema
      .createTable('parked_transcripts')
      // `rec:<call_id_with_rec>` or, when the event names only the call, `pbx:<pbx_call_id>`.
      .addColumn('notice_key', 'text', (c) => c.primaryKey())
      .addColumn('lang', 'text')
      .addColumn('phrases', 'text', (c) => c.notNull())
      .addColumn('received_at', ts, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('call_recordings_recording_idx')
      .on('call_recordings')
      .column('recording_id')
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex('call_recordings_recording_idx').execute();
    await db.schema.dropTable('parked_transcripts').execute();
  },
};
