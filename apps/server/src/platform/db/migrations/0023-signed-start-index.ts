/**
 * The ringing popup's replay check in one index seek (modules/telephony/use-cases/handle-call-ringing.ts): the
 * first call stored with a signed `caller_id` and start is looked up on `(caller_id, started_at)`. Why: on the
 * start-time index alone the check read every call of that second, so a burst of calls starting in the same
 * second (the ingest bench sends thousands) made each ringing cost as many rows as calls before it — the
 * largest item of the ingest's profile (ARCHITECTURE.md "Performance"). One more index entry per call.
 * On a big database this builds over every call once (the table locked for writes meanwhile): a quiet hour.
 */
import type { Kysely, Migration } from 'kysely';

export const migration0023SignedStartIndex: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createIndex('calls_signed_start_idx')
      .on('calls')
      .columns(['caller_id', 'started_at'])
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex('calls_signed_start_idx').execute();
  },
};
