/**
 * Refused webhooks kept as metadata (issue 9, finding 2): `webhook_inbox.body_size` (bytes received) and
 * `webhook_inbox.body_sha256` (hex SHA-256 of the whole body) beside a short prefix in `body`. Verified entries
 * still keep their whole body (replay needs it); a refused one keeps its first bytes only, since a flood of
 * refused 1 MiB bodies grew a database from 218 MB to 2.6 GB. Both columns are NULL for older rows.
 */
import type { Kysely, Migration } from 'kysely';

export const migration0006InboxRefusedMetadata: Migration = {
  async up(db: Kysely<unknown>) {
    // One column per statement: SQLite's ALTER TABLE adds one at a time.
    await db.schema.alterTable('webhook_inbox').addColumn('body_size', 'integer').execute();
    await db.schema.alterTable('webhook_inbox').addColumn('body_sha256', 'text').execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('webhook_inbox').dropColumn('body_sha256').execute();
    await db.schema.alterTable('webhook_inbox').dropColumn('body_size').execute();
  },
};
