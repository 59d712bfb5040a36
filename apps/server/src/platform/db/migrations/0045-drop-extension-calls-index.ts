/**
 * Drops `calls_agent_extension_idx` (0011: `agent_extension, started_at`, where an extension is attributed). No
 * query reads it since the call log's streams (0021): the log's only filter by extension reads one ordered range
 * of `calls_log_agent_idx` per direction, outcome and recorded value (kysely-call-log.ts), and nothing else
 * filters calls by extension (the statistics read their rollups). Why: every call attributed to an extension —
 * every ringing popup's call among them — wrote an entry in it, one more page in its commit. Measured with the
 * index and without it in one process, popups alternating (as bench/popup-duel.bench.ts does): the popup's
 * median 1.1–1.7 % lower without it, in four runs of four.
 */
import { type Kysely, type Migration, sql } from 'kysely';

export const migration0045DropExtensionCallsIndex: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.dropIndex('calls_agent_extension_idx').execute();
  },
  async down(db: Kysely<unknown>) {
    // As 0011 made it.
    await db.schema
      .createIndex('calls_agent_extension_idx')
      .on('calls')
      .columns(['agent_extension', 'started_at'])
      .where(sql.ref('agent_extension'), 'is not', null)
      .execute();
  },
};
