/** Leads in the database: rows ↔ the contract's Lead, search tokens, the paged list. */
import { type Expression, type Kysely, type Selectable, type SqlBool, sql, type Transaction } from 'kysely';
import type { LeadsTable } from '../../../platform/db/schema/crm.js';
import type { Database } from '../../../platform/db/schema.js';
import { replaceSearchTokens, type SearchPlan, searchCondition } from '../search/search-index.js';
import { searchKey, tokensOf } from '../search/search-text.js';
import { ownerCondition } from '../shared/list-filters.js';
import type { Page } from '../shared/list-query.js';
import { pageOfRecords } from '../shared/paging.js';
import type { Lead, LeadListQuery } from './lead-schemas.js';

type Db = Kysely<Database> | Transaction<Database>;

export type LeadData = Omit<Lead, 'id' | 'createdAt' | 'updatedAt'>;

/** Row → contract shape. */
function toLead(r: Selectable<LeadsTable>): Lead {
  return {
    id: r.id,
    title: r.title,
    contactId: r.contact_id,
    companyId: r.company_id,
    source: r.source,
    status: r.status,
    responsibleUserId: r.responsible_user_id,
    notes: r.notes,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export async function findLead(db: Db, id: string): Promise<Lead | undefined> {
  const row = await db.selectFrom('leads').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toLead(row) : undefined;
}

export async function loadLeads(db: Db, ids: readonly string[]): Promise<Lead[]> {
  if (ids.length === 0) {
    return [];
  }
  const rows = await db.selectFrom('leads').selectAll().where('id', 'in', ids).execute();
  const byId = new Map(rows.map((r) => [r.id, toLead(r)]));
  return ids.map((id) => byId.get(id)).filter((x): x is Lead => x !== undefined);
}

function columns(data: LeadData) {
  return {
    title: data.title,
    sort_key: searchKey(data.title),
    contact_id: data.contactId,
    company_id: data.companyId,
    source: data.source,
    status: data.status,
    responsible_user_id: data.responsibleUserId,
    notes: data.notes,
  };
}

export async function insertLead(db: Db, id: string, data: LeadData, now: string): Promise<void> {
  await db
    .insertInto('leads')
    .values({ id, ...columns(data), created_at: now, updated_at: now })
    .execute();
  await replaceSearchTokens(db, 'lead', id, tokensOf([data.title]));
}

export async function updateLeadRow(db: Db, id: string, data: LeadData, now: string): Promise<void> {
  await db
    .updateTable('leads')
    .set({ ...columns(data), updated_at: now })
    .where('id', '=', id)
    .execute();
  await replaceSearchTokens(db, 'lead', id, tokensOf([data.title]));
}

const SORT_COLUMN = { title: 'l.sort_key', createdAt: 'l.created_at', updatedAt: 'l.updated_at' } as const;

export type LeadFilters = Pick<
  LeadListQuery,
  'status' | 'source' | 'responsibleUserId' | 'contactId' | 'companyId'
>;

/** The filtered leads (shared by the page and the CSV export). */
export function filteredLeads(
  db: Db,
  filters: LeadFilters,
  plan: SearchPlan | null,
  mode: 'list' | 'all' = 'list',
) {
  const match = searchCondition(sql.ref('l.id'), 'lead', plan, mode);
  return db.selectFrom('leads as l').where((eb) => {
    const conditions: Expression<SqlBool>[] = [];
    if (filters.status !== undefined) {
      conditions.push(eb('l.status', '=', filters.status));
    }
    if (filters.source !== undefined) {
      conditions.push(eb('l.source', '=', filters.source));
    }
    if (filters.responsibleUserId !== undefined) {
      conditions.push(ownerCondition(eb, 'l.responsible_user_id', filters.responsibleUserId));
    }
    if (filters.contactId !== undefined) {
      conditions.push(eb('l.contact_id', '=', filters.contactId));
    }
    if (filters.companyId !== undefined) {
      conditions.push(eb('l.company_id', '=', filters.companyId));
    }
    if (match) {
      conditions.push(match);
    }
    return eb.and(conditions);
  });
}

/** A page of leads. */
export async function listLeads(
  db: Db,
  query: LeadListQuery,
  prefixes: readonly string[],
): Promise<Page<Lead>> {
  return pageOfRecords({
    db,
    entity: 'lead',
    prefixes,
    query,
    filtered: (plan) => filteredLeads(db, query, plan),
    sortColumn: SORT_COLUMN[query.sort.field],
    idColumn: 'l.id',
    load: (ids) => loadLeads(db, ids),
  });
}
