/**
 * The listening audit names who acted when no user did (issue 10's `Actor`): `actor_kind` (`user`, `api-client`,
 * `system`) and `actor_ref` (the API key's id — never its secret — or the system's reason). Before, such a line had
 * only `user_id` null, like a line of a deleted user, so an API key that tried to hear a call could not be told.
 * Lines written before this migration keep both null: who wrote them is unknown.
 */
import type { Kysely, Migration } from 'kysely';

export const migration0028RecordingAuditActor: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('recording_audit').addColumn('actor_kind', 'text').execute();
    await db.schema.alterTable('recording_audit').addColumn('actor_ref', 'text').execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('recording_audit').dropColumn('actor_ref').execute();
    await db.schema.alterTable('recording_audit').dropColumn('actor_kind').execute();
  },
};
