/**
 * The calls table keeps only the indexes something reads, and skips the rows they cannot match: every index
 * is rewritten by every webhook's write (issue 5 bench). Dropped: `status` and `client_e164`, which no query
 * filters on. Made partial: `contact_id` and `agent_user_id`, NULL for most calls until linked (unknown
 * numbers, unanswered calls) and only ever looked up by value; ordered by start time, as their readers are
 * (the contact card's last calls, an agent's calls). A query `x = ?` implies `x IS NOT NULL`, so both SQLite and
 * PostgreSQL use these partial indexes for it.
 */
import { type Kysely, type Migration, sql } from 'kysely';

export const migration0005CallIndexes: Migration = {
  async up(db: Kysely<unknown>) {
    for (const name of [
      'calls_status_idx',
      'calls_client_e164_idx',
      'calls_contact_id_idx',
      'calls_agent_user_id_idx',
    ]) {
      await db.schema.dropIndex(name).execute();
    }
    await db.schema
      .createIndex('calls_contact_id_idx')
      .on('calls')
      .columns(['contact_id', 'started_at'])
      .where(sql.ref('contact_id'), 'is not', null)
      .execute();
    await db.schema
      .createIndex('calls_agent_user_id_idx')
      .on('calls')
      .columns(['agent_user_id', 'started_at'])
      .where(sql.ref('agent_user_id'), 'is not', null)
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex('calls_contact_id_idx').execute();
    await db.schema.dropIndex('calls_agent_user_id_idx').execute();
    await db.schema.createIndex('calls_client_e164_idx').on('calls').column('client_e164').execute();
    await db.schema.createIndex('calls_contact_id_idx').on('calls').column('contact_id').execute();
    await db.schema.createIndex('calls_agent_user_id_idx').on('calls').column('agent_user_id').execute();
    await db.schema.createIndex('calls_status_idx').on('calls').columns(['status', 'started_at']).execute();
  },
};
