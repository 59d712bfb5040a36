/** The `WrapUpCards` port on Kysely (`call_wrap_up_cards`, migration 0020); same queries on both dialects. */
import type { Kysely } from 'kysely';
import type { Database } from '../../../platform/db/schema.js';
import type { WrapUpCards } from '../ports.js';

/** The open wrap-up cards over `db`. Why: restored from the database, a card survives any tab and instance. */
export function createKyselyWrapUpCards(db: Kysely<Database>): WrapUpCards {
  return {
    async open(callId, userId, at) {
      await db
        .insertInto('call_wrap_up_cards')
        .values({ call_id: callId, user_id: userId, opened_at: at, closed_at: null })
        .onConflict((oc) => oc.columns(['call_id', 'user_id']).doNothing())
        .execute();
    },
    async close(callId, userId, at) {
      await db
        .insertInto('call_wrap_up_cards')
        .values({ call_id: callId, user_id: userId, opened_at: at, closed_at: at })
        .onConflict((oc) =>
          oc
            .columns(['call_id', 'user_id'])
            .doUpdateSet({ closed_at: at })
            .where('call_wrap_up_cards.closed_at', 'is', null),
        )
        .execute();
    },
    async openFor(userId, since, limit) {
      const rows = await db
        .selectFrom('call_wrap_up_cards')
        .select('call_id')
        .where('user_id', '=', userId)
        .where('closed_at', 'is', null)
        .where('opened_at', '>=', since)
        .orderBy('opened_at', 'desc')
        .limit(limit)
        .execute();
      return rows.map((r) => r.call_id);
    },
  };
}
