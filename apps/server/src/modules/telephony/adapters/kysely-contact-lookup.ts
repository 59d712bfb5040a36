/**
 * The `ContactLookup` port on the CRM's `contact_phones(e164, contact_id)` index: the caller normalised once
 * (memoised) and looked up in ONE indexed query that also names the contact's company. On SQLite a prepared
 * better-sqlite3 statement (no query builder on the hot path), on PostgreSQL one parameterised query.
 */
import type SQLite from 'better-sqlite3';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../../platform/db/schema.js';
import { cachedNormalize } from '../../crm/contacts/find-contact-by-phone.js';
import type { CallerContact, CallerLookup, ContactLookup } from '../ports.js';

interface Row {
  id: string;
  display_name: string;
  responsible_user_id: string | null;
  company_name: string | null;
  do_not_call: number;
}

// Several contacts may share a number (a switchboard, a family): the oldest one wins, deterministically
// (UUID v7 ids sort by creation), and the index already yields them in that order.
const LOOKUP_SQL =
  'select c.id, c.display_name, c.responsible_user_id, co.name as company_name, c.do_not_call ' +
  'from contact_phones p join contacts c on c.id = p.contact_id left join companies co on co.id = c.company_id ' +
  'where p.e164 = ? order by p.contact_id limit 1';

function toContact(row: Row | undefined): CallerContact | null {
  return row
    ? {
        id: row.id,
        displayName: row.display_name,
        responsibleUserId: row.responsible_user_id,
        companyName: row.company_name,
        doNotCall: Number(row.do_not_call) === 1,
      }
    : null;
}

type Query = (e164: string) => Row | undefined | Promise<Row | undefined>;
const prepared = new WeakMap<SQLite.Database, Query>();

/** On SQLite, one statement per connection (a batch's transaction runs on the same one). */
function sqliteQuery(sqlite: SQLite.Database): Query {
  let query = prepared.get(sqlite);
  if (!query) {
    const statement = sqlite.prepare<[string], Row>(LOOKUP_SQL);
    query = (e164) => statement.get(e164);
    prepared.set(sqlite, query);
  }
  return query;
}

/**
 * The lookup over `db` (the app's database or a batch's transaction); pass `sqlite`, the connection under it,
 * for the prepared-statement path. Why: NOTIFY_START names and routes the caller within its budget.
 */
export function createKyselyContactLookup(
  db: Kysely<Database>,
  sqlite: SQLite.Database | null = null,
): ContactLookup {
  const query: Query = sqlite
    ? sqliteQuery(sqlite)
    : async (e164) => {
        const { rows } = await sql<Row>`select c.id, c.display_name, c.responsible_user_id,
            co.name as company_name, c.do_not_call
          from contact_phones p join contacts c on c.id = p.contact_id
          left join companies co on co.id = c.company_id
          where p.e164 = ${e164} order by p.contact_id limit 1`.execute(db);
        return rows[0];
      };
  return {
    e164Of: cachedNormalize,
    async findCaller(rawNumber, defaultCountry): Promise<CallerLookup> {
      const e164 = cachedNormalize(rawNumber, defaultCountry);
      return { number: rawNumber, e164, contact: e164 ? toContact(await query(e164)) : null };
    },
    async findContact(contactId) {
      const row = await db
        .selectFrom('contacts as c')
        .leftJoin('companies as co', 'co.id', 'c.company_id')
        .select([
          'c.id',
          'c.display_name',
          'c.responsible_user_id',
          'co.name as company_name',
          'c.do_not_call',
        ])
        .where('c.id', '=', contactId)
        .executeTakeFirst();
      return toContact(row);
    },
  };
}
