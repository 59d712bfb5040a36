/**
 * The call path's contact lookup: any form of a number (`06 12 34 56 78`, `+33…`, `0033…`, Zadarma's bare
 * `33612345678`) → the contact owning it, in ONE indexed query on `contact_phones(e164, contact_id)`.
 * On SQLite it runs a prepared better-sqlite3 statement (no query builder on the hot path: p99 target 50 µs).
 */
import { type Kysely, sql } from 'kysely';
import { getCountryCallingCode, isSupportedCountry } from 'libphonenumber-js/max';
import type { DatabaseHandle } from '../../../platform/db/database.js';
import type { Database } from '../../../platform/db/schema.js';
import { MAX_EXTENSION_DIGITS, normalizePhone, phoneDigits } from '../phones/normalize-phone.js';

/** What the call path needs about a caller; the full card is `GET /api/contacts/:id`. */
export interface PhoneMatch {
  id: string;
  displayName: string;
  responsibleUserId: string | null;
  companyId: string | null;
  doNotCall: boolean;
}

interface Row {
  id: string;
  display_name: string;
  responsible_user_id: string | null;
  company_id: string | null;
  do_not_call: number;
}

// Several contacts may share a number (a switchboard, a family): the oldest one wins, deterministically
// (UUID v7 ids sort by creation), and the index already yields them in that order.
const LOOKUP_SQL =
  'select c.id, c.display_name, c.responsible_user_id, c.company_id, c.do_not_call from contact_phones p ' +
  'join contacts c on c.id = p.contact_id where p.e164 = ? order by p.contact_id limit 1';

// Callers ring again and again: a bounded memo of normalisations saves the parse on repeat calls.
const NORMALIZED_CACHE_SIZE = 10_000;
const normalized = new Map<string, string | null>();

/**
 * `normalizePhone` memoised (bounded). Why: every notification of a call carries the same caller number, and
 * parsing it against the numbering plan costs more than the indexed lookup itself.
 */
export function cachedNormalize(raw: string, defaultCountry: string): string | null {
  const key = `${defaultCountry}|${raw}`;
  const hit = normalized.get(key);
  if (hit !== undefined) {
    return hit;
  }
  const value = normalizePhone(raw, defaultCountry);
  if (normalized.size >= NORMALIZED_CACHE_SIZE) {
    normalized.clear();
  }
  normalized.set(key, value);
  return value;
}

function toMatch(row: Row | undefined): PhoneMatch | null {
  return row
    ? {
        id: row.id,
        displayName: row.display_name,
        responsibleUserId: row.responsible_user_id,
        companyId: row.company_id,
        doNotCall: row.do_not_call === 1,
      }
    : null;
}

function isHandle(db: DatabaseHandle | Kysely<Database>): db is DatabaseHandle {
  return 'dialect' in db && 'db' in db;
}

// Countries whose national numbers are written with a plain `0` trunk prefix that E.164 drops
// (0 6 12 34 56 78 → +33 6 12 34 56 78). Others (IT keeps its 0, RU uses 8, AR rewrites digits) go through
// the full numbering plan.
const PLAIN_ZERO_TRUNK = new Set([
  'FR',
  'GB',
  'DE',
  'NL',
  'BE',
  'CH',
  'AT',
  'IE',
  'SE',
  'FI',
  'UA',
  'TR',
  'AU',
  'NZ',
  'ZA',
  'IL',
]);

function plainZeroCallingCode(country: string): string | undefined {
  const code = country.toUpperCase();
  return PLAIN_ZERO_TRUNK.has(code) && isSupportedCountry(code) ? getCountryCallingCode(code) : undefined;
}

/**
 * The E.164 a number has when its form says so, without parsing: `+…`, `00…`, bare digits not starting
 * with 0 (Zadarma's caller ids), or `0…` in a country whose trunk prefix is a plain 0 (FR, GB, DE…).
 * Undefined otherwise. Why: stored E.164 values are all valid numbers, so querying the candidate first
 * finds exactly what normalizePhone would, and the usual forms cost no numbering-plan parsing at all.
 */
export function fastE164Candidate(raw: string, defaultCountry = ''): string | undefined {
  const trimmed = raw.trim();
  const digits = phoneDigits(trimmed);
  if (digits.length <= MAX_EXTENSION_DIGITS || digits.length > 15) {
    return undefined;
  }
  if (trimmed.startsWith('+')) {
    return `+${digits}`;
  }
  if (digits.startsWith('00')) {
    return `+${digits.slice(2)}`;
  }
  if (!digits.startsWith('0')) {
    return `+${digits}`;
  }
  const callingCode = plainZeroCallingCode(defaultCountry);
  return callingCode ? `+${callingCode}${digits.slice(1)}` : undefined;
}

/**
 * Finds the contact that owns a number in any format, or null (also for extensions and invalid numbers).
 * Why: the NOTIFY_START routing decision and the caller popup must name the caller within microseconds.
 * One indexed query when the number arrives as `+…`, `00…` or Zadarma's bare digits and is known; otherwise
 * the number is normalised with the default country (memoised) and queried once more if that differs.
 * Pass the DatabaseHandle to get the prepared-statement path on SQLite; a Kysely instance also works.
 */
export async function findContactByPhone(
  db: DatabaseHandle | Kysely<Database>,
  rawOrDigits: string,
  defaultCountry: string,
): Promise<PhoneMatch | null> {
  const query = queryFor(db);
  const candidate = fastE164Candidate(rawOrDigits, defaultCountry);
  if (candidate) {
    const row = await query(candidate);
    if (row) {
      return toMatch(row);
    }
  }
  const e164 = cachedNormalize(rawOrDigits, defaultCountry);
  if (!e164 || e164 === candidate) {
    return null;
  }
  return toMatch(await query(e164));
}

type Query = (e164: string) => Row | undefined | Promise<Row | undefined>;
const queries = new WeakMap<object, Query>();

/** The lookup query for this database, built once per handle (no preparing or allocating per call). */
function queryFor(db: DatabaseHandle | Kysely<Database>): Query {
  // On SQLite, keyed by the connection: a handle rebound to a transaction (a webhook batch) reuses the
  // statement prepared for its connection.
  const key = isHandle(db) && db.sqlite ? db.sqlite : db;
  const known = queries.get(key);
  if (known) {
    return known;
  }
  const query = buildQuery(db);
  queries.set(key, query);
  return query;
}

function buildQuery(db: DatabaseHandle | Kysely<Database>): Query {
  if (isHandle(db) && db.sqlite) {
    const prepared = db.sqlite.prepare<[string], Row>(LOOKUP_SQL);
    return (e164) => prepared.get(e164);
  }
  const kysely = isHandle(db) ? db.db : db;
  return async (e164) => {
    const { rows } =
      await sql<Row>`select c.id, c.display_name, c.responsible_user_id, c.company_id, c.do_not_call
      from contact_phones p join contacts c on c.id = p.contact_id
      where p.e164 = ${e164} order by p.contact_id limit 1`.execute(kysely);
    return rows[0];
  };
}
