/**
 * Kysely adapter of `BlacklistRepository`: numbers (E.164) whose calls are rejected with busy (docs/zadarma-protocol.md §6.2).
 */
import type SQLite from 'better-sqlite3';
import { type Kysely, type Selectable, sql } from 'kysely';
import type { BlacklistTable } from '../../../platform/db/schema/telephony.js';
import type { Database } from '../../../platform/db/schema.js';
import { newId } from '../../../platform/ids.js';
import type { BlacklistEntry, BlacklistPage, BlacklistPageQuery, BlacklistRepository } from '../ports.js';

type Row = Selectable<BlacklistTable> & { created_by_name?: string | null };

function toEntry(row: Row): BlacklistEntry {
  return {
    id: row.id,
    e164: row.e164,
    isPrefix: Number(row.is_prefix) === 1,
    reason: row.reason,
    createdBy: row.created_by,
    createdByName: row.created_by_name ?? null,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    blockedCalls: Number(row.blocked_calls),
    lastBlockedAt: row.last_blocked_at,
  };
}

/**
 * Every key that can block an E.164 number: its prefixes, `+3` to the number itself (at most 15).
 * Why: a prefix match is then an exact match of one of them on the unique index — one indexed read.
 */
export function blockingKeys(e164: string): string[] {
  const keys: string[] = [];
  for (let end = 2; end <= e164.length; end += 1) {
    keys.push(e164.slice(0, end));
  }
  return keys;
}

const MATCH_SQL = (n: number) =>
  `select e164 from blacklist where e164 in (${Array.from({ length: n }, () => '?').join(', ')}) ` +
  'and (is_prefix = 1 or e164 = ?) and (expires_at is null or expires_at > ?) ' +
  'order by length(e164) desc limit 1';

type Match = (keys: string[], e164: string, at: string) => Promise<string | null>;

const preparedMatches = new WeakMap<
  SQLite.Database,
  Map<number, SQLite.Statement<string[], { e164: string }>>
>();

/** On SQLite, one prepared statement per key count and connection: no query building on the call path. */
function sqliteMatch(sqlite: SQLite.Database): Match {
  let byCount = preparedMatches.get(sqlite);
  if (!byCount) {
    byCount = new Map();
    preparedMatches.set(sqlite, byCount);
  }
  const statements = byCount;
  return async (keys, e164, at) => {
    let statement = statements.get(keys.length);
    if (!statement) {
      statement = sqlite.prepare<string[], { e164: string }>(MATCH_SQL(keys.length));
      statements.set(keys.length, statement);
    }
    return statement.get(...keys, e164, at)?.e164 ?? null;
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
  let q = db
    .selectFrom('blacklist')
    .leftJoin('users', 'users.id', 'blacklist.created_by')
    .selectAll('blacklist')
    .select('users.name as created_by_name');
  const prefix = query.prefix ? e164Prefix(query.prefix) : null;
  if (prefix) {
    // A range the index can read (E.164 has at most 15 digits, so prefix + 16 nines bounds every match);
    // the LIKE keeps the result exact whatever the collation.
    q = q
      .where('blacklist.e164', '>=', prefix)
      .where('blacklist.e164', '<=', `${prefix}${'9'.repeat(16)}`)
      .where('blacklist.e164', 'like', `${prefix}%`);
  }
  if (query.after) {
    q = q.where('blacklist.e164', '>', query.after);
  }
  const rows = await q
    .orderBy('blacklist.e164')
    .limit(limit + 1)
    .execute();
  const items = rows.slice(0, limit).map(toEntry);
  return { items, nextCursor: rows.length > limit ? (items.at(-1)?.e164 ?? null) : null };
}

/**
 * Creates the blacklist repository.
 * Why: the NOTIFY_START decision asks `isBlacklisted` on every inbound call — one unique-index lookup.
 */
export function createBlacklistRepository(
  db: Kysely<Database>,
  sqlite: SQLite.Database | null = null,
): BlacklistRepository {
  const match: Match = sqlite
    ? sqliteMatch(sqlite)
    : async (keys, e164, at) => {
        const row = await db
          .selectFrom('blacklist')
          .select('e164')
          .where('e164', 'in', keys)
          .where((eb) => eb.or([eb('is_prefix', '=', 1), eb('e164', '=', e164)]))
          .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', at)]))
          .orderBy(sql`length(e164)`, 'desc')
          .limit(1)
          .executeTakeFirst();
        return row?.e164 ?? null;
      };
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
          is_prefix: entry.isPrefix ? 1 : 0,
          expires_at: entry.expiresAt ?? null,
        })
        .onConflict((oc) => oc.column('e164').doNothing())
        .execute();
      const row = await db
        .selectFrom('blacklist')
        .leftJoin('users', 'users.id', 'blacklist.created_by')
        .selectAll('blacklist')
        .select('users.name as created_by_name')
        .where('blacklist.e164', '=', entry.e164)
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
      return (await match(blockingKeys(e164), e164, new Date().toISOString())) !== null;
    },
    matchCaller(e164, at) {
      return match(blockingKeys(e164), e164, at);
    },
    async countBlocked(entry, at) {
      await db
        .updateTable('blacklist')
        .set((eb) => ({ blocked_calls: eb('blocked_calls', '+', 1), last_blocked_at: at }))
        .where('e164', '=', entry)
        .execute();
    },
    async entriesBlocking(e164s, at) {
      const keys = [...new Set(e164s.flatMap(blockingKeys))];
      if (keys.length === 0) {
        return [];
      }
      const rows = await db
        .selectFrom('blacklist')
        .leftJoin('users', 'users.id', 'blacklist.created_by')
        .selectAll('blacklist')
        .select('users.name as created_by_name')
        .where('blacklist.e164', 'in', keys)
        .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', at)]))
        .orderBy('blacklist.e164')
        .execute();
      const exact = new Set(e164s);
      return rows.filter((r) => Number(r.is_prefix) === 1 || exact.has(r.e164)).map(toEntry);
    },
    async blockedCallsTotal() {
      const row = await db
        .selectFrom('blacklist')
        .select((eb) => eb.fn.sum<number | string | null>('blocked_calls').as('total'))
        .executeTakeFirst();
      return Number(row?.total ?? 0);
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
