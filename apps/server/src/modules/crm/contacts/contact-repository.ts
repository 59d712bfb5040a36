/**
 * Contacts in the database (Kysely, both dialects): rows ↔ the contract's Contact, phones and emails as child
 * rows, the search index kept in step, and the paged list with search, filters and sort.
 */
import { type Expression, type Kysely, type SqlBool, sql, type Transaction } from 'kysely';
import type { ContactsTable } from '../../../platform/db/schema/crm.js';
import type { Database } from '../../../platform/db/schema.js';
import { newId } from '../../../platform/ids.js';
import { normalizePhone } from '../phones/normalize-phone.js';
import {
  phoneTokens,
  replaceSearchTokens,
  type SearchPlan,
  searchCondition,
} from '../search/search-index.js';
import { searchKey, tokensOf } from '../search/search-text.js';
import { ownerCondition } from '../shared/list-filters.js';
import type { Page } from '../shared/list-query.js';
import { pageOfRecords } from '../shared/paging.js';
import type { Contact, ContactListQuery } from './contact-schemas.js';

type Db = Kysely<Database> | Transaction<Database>;

/** The stored fields of a contact, children included, as use cases build them. */
export interface ContactData {
  firstName: string;
  lastName: string;
  displayName: string;
  companyId: string | null;
  responsibleUserId: string | null;
  notes: string;
  doNotCall: boolean;
  phones: { raw: string; label: string }[];
  emails: { email: string; label: string }[];
}

/** The name shown everywhere: the given display name, else first + last. */
export function displayNameOf(first: string, last: string, display?: string): string {
  const given = display?.trim();
  return given ? given : `${first.trim()} ${last.trim()}`.trim();
}

/** Loads full contacts (company, responsible user, phones, emails) for ids, in the given order. */
export async function loadContacts(db: Db, ids: readonly string[]): Promise<Contact[]> {
  if (ids.length === 0) {
    return [];
  }
  const [rows, phones, emails] = await Promise.all([
    db
      .selectFrom('contacts as c')
      .leftJoin('companies as co', 'co.id', 'c.company_id')
      .leftJoin('users as u', 'u.id', 'c.responsible_user_id')
      .selectAll('c')
      .select(['co.name as company_name', 'u.name as responsible_name'])
      .where('c.id', 'in', ids)
      .execute(),
    db
      .selectFrom('contact_phones')
      .select(['id', 'contact_id', 'raw', 'e164', 'label'])
      .where('contact_id', 'in', ids)
      .orderBy('position')
      .execute(),
    db
      .selectFrom('contact_emails')
      .select(['id', 'contact_id', 'email', 'label'])
      .where('contact_id', 'in', ids)
      .orderBy('position')
      .execute(),
  ]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const out: Contact[] = [];
  for (const id of ids) {
    const r = byId.get(id);
    if (!r) {
      continue;
    }
    out.push({
      id: r.id,
      firstName: r.first_name,
      lastName: r.last_name,
      displayName: r.display_name,
      companyId: r.company_id,
      ...(r.company_id && r.company_name ? { company: { id: r.company_id, name: r.company_name } } : {}),
      responsibleUserId: r.responsible_user_id,
      ...(r.responsible_user_id && r.responsible_name
        ? { responsibleUser: { id: r.responsible_user_id, name: r.responsible_name } }
        : {}),
      phones: phones
        .filter((p) => p.contact_id === id)
        .map((p) => ({ id: p.id, raw: p.raw, e164: p.e164, label: p.label })),
      emails: emails
        .filter((e) => e.contact_id === id)
        .map((e) => ({ id: e.id, email: e.email, label: e.label })),
      notes: r.notes,
      doNotCall: r.do_not_call === 1,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    });
  }
  return out;
}

/** One full contact or undefined. */
export async function findContact(db: Db, id: string): Promise<Contact | undefined> {
  return (await loadContacts(db, [id]))[0];
}

/** The search tokens of a contact: names, company name, emails, phone digits. */
function contactTokens(data: ContactData, companyName: string | null, defaultCountry: string): string[] {
  return [
    ...tokensOf(
      [data.firstName, data.lastName, data.displayName, companyName ?? ''],
      data.emails.map((e) => e.email),
    ),
    ...phoneTokens(
      data.phones.map((p) => p.raw),
      defaultCountry,
    ),
  ];
}

async function companyName(db: Db, companyId: string | null): Promise<string | null> {
  if (!companyId) {
    return null;
  }
  const row = await db.selectFrom('companies').select('name').where('id', '=', companyId).executeTakeFirst();
  return row?.name ?? null;
}

async function writeChildren(
  db: Db,
  contactId: string,
  data: ContactData,
  defaultCountry: string,
): Promise<void> {
  await db.deleteFrom('contact_phones').where('contact_id', '=', contactId).execute();
  await db.deleteFrom('contact_emails').where('contact_id', '=', contactId).execute();
  if (data.phones.length > 0) {
    await db
      .insertInto('contact_phones')
      .values(
        data.phones.map((p, position) => ({
          id: newId(),
          contact_id: contactId,
          raw: p.raw,
          e164: normalizePhone(p.raw, defaultCountry),
          label: p.label,
          position,
        })),
      )
      .execute();
  }
  if (data.emails.length > 0) {
    await db
      .insertInto('contact_emails')
      .values(
        data.emails.map((e, position) => ({
          id: newId(),
          contact_id: contactId,
          email: e.email.trim().toLowerCase(),
          label: e.label,
          position,
        })),
      )
      .execute();
  }
  await replaceSearchTokens(
    db,
    'contact',
    contactId,
    contactTokens(data, await companyName(db, data.companyId), defaultCountry),
  );
}

function columns(data: ContactData): Omit<ContactsTable, 'id' | 'created_at' | 'updated_at'> {
  return {
    first_name: data.firstName,
    last_name: data.lastName,
    display_name: data.displayName,
    sort_key: searchKey(data.displayName),
    company_id: data.companyId,
    responsible_user_id: data.responsibleUserId,
    notes: data.notes,
    do_not_call: data.doNotCall ? 1 : 0,
  };
}

/** Inserts a contact with its phones, emails and search tokens (call inside a transaction). */
export async function insertContact(
  db: Db,
  id: string,
  data: ContactData,
  now: string,
  defaultCountry: string,
): Promise<void> {
  await db
    .insertInto('contacts')
    .values({ id, ...columns(data), created_at: now, updated_at: now })
    .execute();
  await writeChildren(db, id, data, defaultCountry);
}

/** Rewrites a contact and its children (call inside a transaction). */
export async function updateContactRow(
  db: Db,
  id: string,
  data: ContactData,
  now: string,
  defaultCountry: string,
): Promise<void> {
  await db
    .updateTable('contacts')
    .set({ ...columns(data), updated_at: now })
    .where('id', '=', id)
    .execute();
  await writeChildren(db, id, data, defaultCountry);
}

const SORT_COLUMN = {
  displayName: 'c.sort_key',
  createdAt: 'c.created_at',
  updatedAt: 'c.updated_at',
} as const;

export type ContactFilters = Pick<ContactListQuery, 'responsibleUserId' | 'companyId' | 'doNotCall'>;

/**
 * The filtered contacts (no columns chosen yet), shared by the page, the count and the CSV export.
 * `responsibleUserId=none` selects unassigned contacts; `prefixes` come from `queryPrefixes(q)`.
 */
export function filteredContacts(
  db: Db,
  filters: ContactFilters,
  plan: SearchPlan | null,
  mode: 'list' | 'all' = 'list',
) {
  const match = searchCondition(sql.ref('c.id'), 'contact', plan, mode);
  return db.selectFrom('contacts as c').where((eb) => {
    const conditions: Expression<SqlBool>[] = [];
    if (filters.responsibleUserId !== undefined) {
      conditions.push(ownerCondition(eb, 'c.responsible_user_id', filters.responsibleUserId));
    }
    if (filters.companyId !== undefined) {
      conditions.push(eb('c.company_id', '=', filters.companyId));
    }
    if (filters.doNotCall !== undefined) {
      conditions.push(eb('c.do_not_call', '=', filters.doNotCall ? 1 : 0));
    }
    if (match) {
      conditions.push(match);
    }
    return eb.and(conditions);
  });
}

/**
 * A page of contacts. The total is exact, except for searches whose every word is very common (see
 * planSearch): it then counts the matches among the first DENSE_HITS index hits — read it as "at least".
 */
export async function listContacts(
  db: Db,
  query: ContactListQuery,
  prefixes: readonly string[],
): Promise<Page<Contact>> {
  return pageOfRecords({
    db,
    entity: 'contact',
    prefixes,
    query,
    filtered: (plan) => filteredContacts(db, query, plan),
    sortColumn: SORT_COLUMN[query.sort.field],
    idColumn: 'c.id',
    load: (ids) => loadContacts(db, ids),
  });
}

/** Recomputes the search tokens of contacts (after their company was renamed or deleted). */
export async function reindexContacts(db: Db, ids: readonly string[], defaultCountry: string): Promise<void> {
  for (let i = 0; i < ids.length; i += 500) {
    for (const c of await loadContacts(db, ids.slice(i, i + 500))) {
      await replaceSearchTokens(
        db,
        'contact',
        c.id,
        contactTokens(c, c.company?.name ?? null, defaultCountry),
      );
    }
  }
}

/** Recomputes the search tokens of a company's contacts. Why: contacts are found by their company's name. */
export async function reindexContactsOfCompany(
  db: Db,
  companyId: string,
  defaultCountry: string,
): Promise<void> {
  const rows = await db.selectFrom('contacts').select('id').where('company_id', '=', companyId).execute();
  await reindexContacts(
    db,
    rows.map((r) => r.id),
    defaultCountry,
  );
}
