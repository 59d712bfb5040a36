/**
 * The NOTIFY_START refusal stored with its inbox entry: `webhook_inbox.routing_refusal` is `blacklist` (the reply
 * redirected the caller to the busy tone) or `hangup` (it hung up on them), NULL for every other entry and for
 * rows older than this. Why: the decision travelled from the reply to processing only in memory, so a crash in
 * between folded a refused caller as an ordinary missed call (a call-back task, a notice to the responsible user)
 * once the restart processed the entry; processing and replay now read it from the row.
 */
import type { Kysely, Migration } from 'kysely';

export const migration0030InboxRoutingRefusal: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('webhook_inbox').addColumn('routing_refusal', 'text').execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('webhook_inbox').dropColumn('routing_refusal').execute();
  },
};
