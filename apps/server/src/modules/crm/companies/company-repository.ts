/**
 * Companies in the database: rows ↔ the contract's Company, search tokens, the paged list.
 */
import { type Expression, type Kysely, type Selectable, type SqlBool, sql, type Transaction } from 'kysely';
import type { CompaniesTable } from '../../../platform/db/schema/crm.js';
import type { Database } from '../../../platform/db/schema.js';
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
import type { Company, CompanyListQuery } from './company-schemas.js';

type Db = Kysely<Database> | Transaction<Database>;

export type CompanyData = Omit<Company, 'id' | 'createdAt' | 'updatedAt'>;

/** Row → contract shape. */
function toCompany(r: Selectable<CompaniesTable>): Company {
  return {
    id: r.id,
    name: r.name,
    website: r.website,
    phone: r.phone,
    address: r.address,
    notes: r.notes,
    responsibleUserId: r.responsible_user_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export async function findCompany(db: Db, id: string): Promise<Company | undefined> {
  const row = await db.selectFrom('companies').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toCompany(row) : undefined;
}

/** Loads companies by id, in the given order. */
export async function loadCompanies(db: Db, ids: readonly string[]): Promise<Company[]> {
  if (ids.length === 0) {
    return [];
  }
  const rows = await db.selectFrom('companies').selectAll().where('id', 'in', ids).execute();
  const byId = new Map(rows.map((r) => [r.id, toCompany(r)]));
  return ids.map((id) => byId.get(id)).filter((c): c is Company => c !== undefined);
}

function columns(data: CompanyData) {
  return {
    name: data.name,
    sort_key: searchKey(data.name),
    website: data.website,
    phone: data.phone,
    address: data.address,
    notes: data.notes,
    responsible_user_id: data.responsibleUserId,
  };
}

async function index(db: Db, id: string, data: CompanyData, defaultCountry: string): Promise<void> {
  const domain = data.website.replace(/^[a-z]+:\/\//i, '').replace(/^www\./i, '');
  await replaceSearchTokens(db, 'company', id, [
    ...tokensOf([data.name, domain]),
    ...phoneTokens([data.phone], defaultCountry),
  ]);
}

export async function insertCompany(
  db: Db,
  id: string,
  data: CompanyData,
  now: string,
  defaultCountry: string,
) {
  await db
    .insertInto('companies')
    .values({ id, ...columns(data), created_at: now, updated_at: now })
    .execute();
  await index(db, id, data, defaultCountry);
}

export async function updateCompanyRow(
  db: Db,
  id: string,
  data: CompanyData,
  now: string,
  defaultCountry: string,
) {
  await db
    .updateTable('companies')
    .set({ ...columns(data), updated_at: now })
    .where('id', '=', id)
    .execute();
  await index(db, id, data, defaultCountry);
}

const SORT_COLUMN = { name: 'c.sort_key', createdAt: 'c.created_at', updatedAt: 'c.updated_at' } as const;

export type CompanyFilters = Pick<CompanyListQuery, 'responsibleUserId'>;

/** The filtered companies (shared by the page and the CSV export). */
export function filteredCompanies(
  db: Db,
  filters: CompanyFilters,
  plan: SearchPlan | null,
  mode: 'list' | 'all' = 'list',
) {
  const match = searchCondition(sql.ref('c.id'), 'company', plan, mode);
  return db.selectFrom('companies as c').where((eb) => {
    const conditions: Expression<SqlBool>[] = [];
    if (filters.responsibleUserId !== undefined) {
      conditions.push(ownerCondition(eb, 'c.responsible_user_id', filters.responsibleUserId));
    }
    if (match) {
      conditions.push(match);
    }
    return eb.and(conditions);
  });
}

/** A page of companies. */
export async function listCompanies(
  db: Db,
  query: CompanyListQuery,
  prefixes: readonly string[],
): Promise<Page<Company>> {
  return pageOfRecords({
    db,
    entity: 'company',
    prefixes,
    query,
    filtered: (plan) => filteredCompanies(db, query, plan),
    sortColumn: SORT_COLUMN[query.sort.field],
    idColumn: 'c.id',
    load: (ids) => loadCompanies(db, ids),
  });
}
