/**
 * `call_transcripts.call_started_at`: the call's start when its transcript was saved. A call's start only moves
 * earlier as its events arrive (fold-call.ts `mergeCall`: the earliest start any event gives), so this copy is an
 * instant the call cannot have started after, ever. Why: the call log's "said" filter reads the calls a transcript
 * search names latest first and stops once its page is full (kysely-call-log.ts `pageByStartBounds`), instead of
 * reading up to 1,000 calls at random places of the calls table. Null: the call had no start yet (no bound).
 * Rows saved before this migration get their call's start now (a bound as well).
 */
import { type Kysely, type Migration, sql } from 'kysely';
import { dialectOf, timestampType } from '../column-types.js';

export const migration0041TranscriptCallStart: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable('call_transcripts')
      .addColumn('call_started_at', timestampType(dialectOf(db)))
      .execute();
    await sql`update call_transcripts set call_started_at =
      (select c.started_at from calls c where c.id = call_transcripts.call_id)`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('call_transcripts').dropColumn('call_started_at').execute();
  },
};
