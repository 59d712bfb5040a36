/**
 * Kysely adapter of `BlacklistRepository`: numbers (E.164) whose calls are rejected with busy (docs/zadarma-protocol.md §6.2).
 */
import type { Kysely, Selectable } from 'kysely';
import type { BlacklistTable } from '../../../platform/db/schema/telephony.js';
import type { Database } from '../../../platform/db/schema.js';
import { newId } from '../../../platform/ids.js';
import type { BlacklistEntry, BlacklistPage, BlacklistPageQuery, BlacklistRepository } from '../ports.js';

function toEntry(row: Selectable<BlacklistTable>): BlacklistEntry {
  return {
    id: row.id,
    e164: row.e164,
    reason: row.reason,
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}

/** Most entries one page holds. */
export const MAX_BLACKLIST_PAGE = 200;

/**
 * Digits of a number prefix typed by a user (`+33 6`, `336`…) as the start of an E.164 number, or null
 * when there are none.
 */
function e164Prefix(typed: string): string | null {
  const digits = typed.replace(/\D/g, '');
  return digits === '' ? null : `+${digits}`;
}

/**
 * One page of blacklisted numbers in E.164 order after `after`, optionally those starting with `prefix`
 * (digits; see `e164Prefix`). Why: the list can hold hundreds of thousands of numbers; each page is one range
 * read of the unique index on `e164`, however deep.
 */
export async function listBlacklistPage(
  db: Kysely<Database>,
  query: BlacklistPageQuery,
): Promise<BlacklistPage> {
  const limit = Math.min(Math.max(Math.trunc(query.limit), 1), MAX_BLACKLIST_PAGE);
  let q = db.selectFrom('blacklist').selectAll();
  const prefix = query.prefix ? e164Prefix(query.prefix) : null;
  if (prefix) {
    // A range the index can read (E.164 has at most 15 digits, so prefix + 16 nines bounds every match);
    // the LIKE keeps the result exact whatever the collation.
    q = q
      .where('e164', '>=', prefix)
      .where('e164', '<=', `${prefix}${'9'.repeat(16)}`)
      .where('e164', 'like', `${prefix}%`);
  }
  if (query.after) {
    q = q.where('e164', '>', query.after);
  }
  const rows = await q
    .orderBy('e164')
    .limit(limit + 1)
    .execute();
  const items = rows.slice(0, limit).map(toEntry);
  return { items, nextCursor: rows.length > limit ? (items.at(-1)?.e164 ?? null) : null };
}

/**
 * Creates the blacklist repository.
 * Why: the NOTIFY_START decision asks `isBlacklisted` on every inbound call — one unique-index lookup.
 */
export function createBlacklistRepository(db: Kysely<Database>): BlacklistRepository {
  return {
    async add(entry, now = new Date().toISOString()) {
      await db
        .insertInto('blacklist')
        .values({
          id: newId(),
          e164: entry.e164,
          reason: entry.reason ?? '',
          created_by: entry.createdBy ?? null,
          created_at: now,
        })
        .onConflict((oc) => oc.column('e164').doNothing())
        .execute();
      const row = await db
        .selectFrom('blacklist')
        .selectAll()
        .where('e164', '=', entry.e164)
        .executeTakeFirstOrThrow();
      return toEntry(row);
    },
    async remove(e164) {
      const result = await db.deleteFrom('blacklist').where('e164', '=', e164).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
    async removeById(id) {
      const result = await db.deleteFrom('blacklist').where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
    listPage(query) {
      return listBlacklistPage(db, query);
    },
    async isBlacklisted(e164) {
      const row = await db.selectFrom('blacklist').select('id').where('e164', '=', e164).executeTakeFirst();
      return row !== undefined;
    },
    async list() {
      const rows = await db
        .selectFrom('blacklist')
        .selectAll()
        .orderBy('created_at', 'desc')
        .orderBy('id')
        .execute();
      return rows.map(toEntry);
    },
  };
}
