/**
 * The agent's open wrap-ups (issue 13): one row per call and user from the moment the call is the user's on
 * their card (they answered or placed it) until they close the card. A tab that connects after the call ended
 * gets the wrap-up card back from here, so a reload or a second tab never loses the outcome still to record.
 * Why a row the card opens, not "every call I answered": four weeks of history would all come back as cards.
 */
import { type Kysely, type Migration, type SqlBool, sql } from 'kysely';
import { dialectOf, timestampType } from '../column-types.js';

export const migration0020WrapUpCards: Migration = {
  async up(db: Kysely<unknown>) {
    const ts = timestampType(dialectOf(db));
    await db.schema
      .createTable('call_wrap_up_cards')
      .addColumn('call_id', 'text', (c) => c.notNull().references('calls.id').onDelete('cascade'))
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('opened_at', ts, (c) => c.notNull())
      .addColumn('closed_at', ts)
      .addPrimaryKeyConstraint('call_wrap_up_cards_pk', ['call_id', 'user_id'])
      .execute();
    // A user's cards still open: a handful of rows at any time (a card leaves the index once closed).
    await db.schema
      .createIndex('call_wrap_up_cards_open_idx')
      .on('call_wrap_up_cards')
      .columns(['user_id', 'opened_at'])
      .where(sql<SqlBool>`closed_at is null`)
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('call_wrap_up_cards').execute();
  },
};
