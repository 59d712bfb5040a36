/**
 * Drops two indexes of calls by client number whose rows are a subset of another index's with the same key
 * (`client_e164, started_at`), so that every query they served reads the other the same way:
 * - `calls_unlinked_client_idx` (0013, where `contact_id is null`): "Missed you 3× today" counts an unknown
 *   caller's missed calls today (kysely-caller-history.ts, kysely-caller-facts.ts). It now reads
 *   `calls_client_e164_idx` (0011, where `client_e164 is not null`), and checks `contact_id` on the rows it reads
 *   anyway for their direction and status — an unknown number's calls are all unlinked, so no more of them.
 * - `calls_answered_client_idx` (0015, where `status = 'answered'`): the missed-calls list's "returned" check
 *   read it until the fold kept each missed call's return (0017, `calls_connected_client_idx`, answered or
 *   talking); no query reads it since.
 * Why: both are keyed by the client's number, so each call wrote its entry on a random page of each — a call from
 * a new number wrote one more for "unlinked", an answered one one more for "answered" (telephony-ingest.bench.ts).
 */
import { type Kysely, type Migration, type SqlBool, sql } from 'kysely';

export const migration0044DropSubsetClientIndexes: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.dropIndex('calls_unlinked_client_idx').execute();
    await db.schema.dropIndex('calls_answered_client_idx').execute();
  },
  async down(db: Kysely<unknown>) {
    // As 0013 and 0015 made them.
    await db.schema
      .createIndex('calls_unlinked_client_idx')
      .on('calls')
      .columns(['client_e164', 'started_at'])
      .where(sql.ref('contact_id'), 'is', null)
      .execute();
    await db.schema
      .createIndex('calls_answered_client_idx')
      .on('calls')
      .columns(['client_e164', 'started_at'])
      .where(sql<SqlBool>`status = 'answered' and client_e164 is not null`)
      .execute();
  },
};
