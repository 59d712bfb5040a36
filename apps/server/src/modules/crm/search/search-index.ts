/**
 * The word-prefix search index shared by contacts, companies, leads and deals: rows of
 * (entity, normalised token, id) under one primary key, so "every record with a word starting with `mar`"
 * is one B-tree range scan on both SQLite and PostgreSQL, fast at 1,000,000 contacts without FTS extensions.
 * Multi-word queries scan the longest word and check the others per record through a second index.
 */
import { type Expression, type Kysely, type SqlBool, sql } from 'kysely';
import type { SearchEntity } from '../../../platform/db/schema/crm.js';
import type { Database } from '../../../platform/db/schema.js';
import { normalizePhone, phoneDigits, phoneSearchTokens } from '../phones/normalize-phone.js';
import { prefixRange, searchWords } from './search-text.js';

/** At most this many words of a query are used (the longest ones). */
const MAX_QUERY_WORDS = 4;

/** Replaces a record's tokens. Why: called on every create/update so search never lags behind. */
export async function replaceSearchTokens(
  db: Kysely<Database>,
  entity: SearchEntity,
  entityId: string,
  tokens: readonly string[],
): Promise<void> {
  await deleteSearchTokens(db, entity, entityId);
  if (tokens.length > 0) {
    await db
      .insertInto('search_tokens')
      .values([...new Set(tokens)].map((token) => ({ entity, token, entity_id: entityId })))
      .execute();
  }
}

/** Removes a record's tokens (on delete). */
export async function deleteSearchTokens(
  db: Kysely<Database>,
  entity: SearchEntity,
  entityId: string,
): Promise<void> {
  await db
    .deleteFrom('search_tokens')
    .where('entity_id', '=', entityId)
    .where('entity', '=', entity)
    .execute();
}

/**
 * The digits a query stands for when it looks like a phone number (digits, spaces, `+().-`, at least two digits):
 * the full E.164 digits when it normalises, else the digits without `00`/`+` or without the national trunk `0`,
 * as the international and national tokens of stored numbers are written. Null for any other query.
 */
export function phoneQueryDigits(q: string, defaultCountry: string): string | null {
  const trimmed = q.trim();
  if (!/^[\d\s+().-]+$/.test(trimmed)) {
    return null;
  }
  const digits = phoneDigits(trimmed);
  if (digits.length < 2) {
    return null;
  }
  const e164 = normalizePhone(trimmed, defaultCountry);
  if (e164) {
    return e164.slice(1);
  }
  if (trimmed.startsWith('+')) {
    return digits;
  }
  if (digits.startsWith('00')) {
    return digits.slice(2);
  }
  return digits.replace(/^0/, '');
}

/**
 * The token prefixes a query stands for: a phone-like query is one digit prefix (`phoneQueryDigits`), matching
 * the international and national tokens of indexed numbers; other text, its longest words.
 */
export function queryPrefixes(q: string, defaultCountry: string): string[] {
  const trimmed = q.trim();
  const phone = phoneQueryDigits(trimmed, defaultCountry);
  if (phone !== null) {
    return [phone];
  }
  const words = trimmed.includes('@') ? [trimmed.toLowerCase()] : searchWords(trimmed);
  return [...new Set(words)].sort((a, b) => b.length - a.length).slice(0, MAX_QUERY_WORDS);
}

/** Phone tokens of raw numbers (international and national digits of each valid one). */
export function phoneTokens(raws: readonly string[], defaultCountry: string): string[] {
  const out: string[] = [];
  for (const raw of raws) {
    const e164 = normalizePhone(raw, defaultCountry);
    if (e164) {
      out.push(...phoneSearchTokens(e164));
    }
  }
  return out;
}

/**
 * A list search considers at most this many index hits of its rarest word. Why: every search then costs a
 * bounded amount of work at a million rows (the page and its total come from one sorted, bounded set); for
 * words this common the total is a lower bound ("2,000+").
 */
export const DENSE_HITS = 2000;

/** How a list search runs: the rarest word drives; dense when even it has DENSE_HITS hits or more. */
export interface SearchPlan {
  /** Prefixes, the rarest first. */
  readonly prefixes: readonly string[];
  readonly dense: boolean;
}

/**
 * Counts each prefix's index hits (at most DENSE_HITS each, a bounded range scan) and orders the prefixes
 * rarest first, so the most selective word drives the search and the others are checked per record.
 */
export async function planSearch(
  db: Kysely<Database>,
  entity: SearchEntity,
  prefixes: readonly string[],
): Promise<SearchPlan | null> {
  if (prefixes.length === 0) {
    return null;
  }
  const hits = await Promise.all(
    prefixes.map(async (prefix) => {
      const [low, high] = prefixRange(prefix);
      const { rows } = await sql<{ n: number }>`select count(*) as n from (select 1 from search_tokens
        where entity = ${entity} and token >= ${low} and token < ${high} limit ${DENSE_HITS}) m`.execute(db);
      return { prefix, n: Number(rows[0]?.n ?? 0) };
    }),
  );
  hits.sort((a, b) => a.n - b.n);
  return { prefixes: hits.map((h) => h.prefix), dense: (hits[0]?.n ?? 0) >= DENSE_HITS };
}

function existsToken(
  column: Expression<string> | ReturnType<typeof sql.ref>,
  entity: SearchEntity,
  word: string,
) {
  const [low, high] = prefixRange(word);
  return sql<SqlBool>`exists (select 1 from search_tokens t where t.entity_id = ${column} and t.entity = ${entity} and t.token >= ${low} and t.token < ${high})`;
}

/**
 * The WHERE condition of a search. `list`: the records among the first DENSE_HITS hits of the rarest word
 * that match the other words (bounded work). `all` (exports): every match, each record probed per word
 * while the export walks its id order.
 */
export function searchCondition(
  column: Expression<string> | ReturnType<typeof sql.ref>,
  entity: SearchEntity,
  plan: SearchPlan | null,
  mode: 'list' | 'all',
): Expression<SqlBool> | null {
  if (!plan) {
    return null;
  }
  if (mode === 'all') {
    return sql<SqlBool>`(${sql.join(
      plan.prefixes.map((w) => existsToken(column, entity, w)),
      sql` and `,
    )})`;
  }
  const ids = matchingIdsSql(entity, plan.prefixes, { driverHits: DENSE_HITS });
  return sql<SqlBool>`${column} in (${ids})`;
}

/**
 * SQL selecting the ids of `entity` records that have a token starting with each prefix (possibly with
 * repeats); null when the query has no searchable word. Why: lists and global search embed it.
 */
function matchingIdsSql(
  entity: SearchEntity,
  prefixes: readonly string[],
  bounds: { driverHits?: number; limit?: number } = {},
) {
  const [driver, ...others] = prefixes;
  if (driver === undefined) {
    return null;
  }
  const [low, high] = prefixRange(driver);
  const driverLimit = bounds.driverHits === undefined ? sql`` : sql` limit ${bounds.driverHits}`;
  const limit = bounds.limit === undefined ? sql`` : sql` limit ${bounds.limit}`;
  // The driver's hits are bounded first, then checked against the other words: the work stays bounded
  // even when the words rarely occur together.
  const hits = sql`select t.entity_id from search_tokens t where t.entity = ${entity} and t.token >= ${low} and t.token < ${high}${driverLimit}`;
  if (others.length === 0) {
    const single = Math.min(
      bounds.driverHits ?? Number.POSITIVE_INFINITY,
      bounds.limit ?? Number.POSITIVE_INFINITY,
    );
    const singleLimit = Number.isFinite(single) ? sql` limit ${single}` : sql``;
    return sql<{
      entity_id: string;
    }>`select t.entity_id from search_tokens t where t.entity = ${entity} and t.token >= ${low} and t.token < ${high}${singleLimit}`;
  }
  const checks = others.map((word) => {
    const [l, h] = prefixRange(word);
    return sql`exists (select 1 from search_tokens t2 where t2.entity_id = d.entity_id and t2.entity = ${entity} and t2.token >= ${l} and t2.token < ${h})`;
  });
  return sql<{
    entity_id: string;
  }>`select d.entity_id from (${hits}) d where ${sql.join(checks, sql` and `)}${limit}`;
}

/** The first `limit` distinct matching ids in index order. Why: the global search needs a few, fast. */
export async function firstMatchingIds(
  db: Kysely<Database>,
  entity: SearchEntity,
  prefixes: readonly string[],
  limit: number,
): Promise<string[]> {
  const plan = prefixes.length > 1 ? await planSearch(db, entity, prefixes) : { prefixes };
  const query = matchingIdsSql(entity, plan?.prefixes ?? prefixes, {
    driverHits: DENSE_HITS,
    limit: limit * 5,
  });
  if (!query) {
    return [];
  }
  const { rows } = await query.execute(db);
  return [...new Set(rows.map((r) => r.entity_id))].slice(0, limit);
}
