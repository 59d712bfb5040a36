/** Deals in the database: rows ↔ the contract's Deal, search tokens, the paged list. */
import { type Expression, type Kysely, type Selectable, type SqlBool, sql, type Transaction } from 'kysely';
import type { DealsTable } from '../../../platform/db/schema/crm.js';
import type { Database } from '../../../platform/db/schema.js';
import { replaceSearchTokens, type SearchPlan, searchCondition } from '../search/search-index.js';
import { searchKey, tokensOf } from '../search/search-text.js';
import { ownerCondition } from '../shared/list-filters.js';
import type { Page } from '../shared/list-query.js';
import { pageOfRecords } from '../shared/paging.js';
import type { Deal, DealListQuery } from './deal-schemas.js';

type Db = Kysely<Database> | Transaction<Database>;

export type DealData = Omit<Deal, 'id' | 'createdAt' | 'updatedAt'>;

/** Row → contract shape. */
function toDeal(r: Selectable<DealsTable>): Deal {
  return {
    id: r.id,
    title: r.title,
    amount: Number(r.amount),
    currency: r.currency,
    pipelineId: r.pipeline_id,
    stageId: r.stage_id,
    contactId: r.contact_id,
    companyId: r.company_id,
    responsibleUserId: r.responsible_user_id,
    expectedCloseDate: r.expected_close_date,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export async function findDeal(db: Db, id: string): Promise<Deal | undefined> {
  const row = await db.selectFrom('deals').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toDeal(row) : undefined;
}

export async function loadDeals(db: Db, ids: readonly string[]): Promise<Deal[]> {
  if (ids.length === 0) {
    return [];
  }
  const rows = await db.selectFrom('deals').selectAll().where('id', 'in', ids).execute();
  const byId = new Map(rows.map((r) => [r.id, toDeal(r)]));
  return ids.map((id) => byId.get(id)).filter((x): x is Deal => x !== undefined);
}

function columns(data: DealData) {
  return {
    title: data.title,
    sort_key: searchKey(data.title),
    amount: data.amount,
    currency: data.currency,
    pipeline_id: data.pipelineId,
    stage_id: data.stageId,
    contact_id: data.contactId,
    company_id: data.companyId,
    responsible_user_id: data.responsibleUserId,
    expected_close_date: data.expectedCloseDate,
  };
}

export async function insertDeal(db: Db, id: string, data: DealData, now: string): Promise<void> {
  await db
    .insertInto('deals')
    .values({ id, ...columns(data), created_at: now, updated_at: now })
    .execute();
  await replaceSearchTokens(db, 'deal', id, tokensOf([data.title]));
}

export async function updateDealRow(db: Db, id: string, data: DealData, now: string): Promise<void> {
  await db
    .updateTable('deals')
    .set({ ...columns(data), updated_at: now })
    .where('id', '=', id)
    .execute();
  await replaceSearchTokens(db, 'deal', id, tokensOf([data.title]));
}

const SORT_COLUMN = {
  title: 'd.sort_key',
  amount: 'd.amount',
  expectedCloseDate: 'd.expected_close_date',
  createdAt: 'd.created_at',
  updatedAt: 'd.updated_at',
} as const;

export type DealFilters = Pick<
  DealListQuery,
  'stageId' | 'pipelineId' | 'responsibleUserId' | 'contactId' | 'companyId'
>;

/** The filtered deals (shared by the page and the CSV export). */
export function filteredDeals(
  db: Db,
  filters: DealFilters,
  plan: SearchPlan | null,
  mode: 'list' | 'all' = 'list',
) {
  const match = searchCondition(sql.ref('d.id'), 'deal', plan, mode);
  return db.selectFrom('deals as d').where((eb) => {
    const conditions: Expression<SqlBool>[] = [];
    if (filters.stageId !== undefined) {
      conditions.push(eb('d.stage_id', '=', filters.stageId));
    }
    if (filters.pipelineId !== undefined) {
      conditions.push(eb('d.pipeline_id', '=', filters.pipelineId));
    }
    if (filters.responsibleUserId !== undefined) {
      conditions.push(ownerCondition(eb, 'd.responsible_user_id', filters.responsibleUserId));
    }
    if (filters.contactId !== undefined) {
      conditions.push(eb('d.contact_id', '=', filters.contactId));
    }
    if (filters.companyId !== undefined) {
      conditions.push(eb('d.company_id', '=', filters.companyId));
    }
    if (match) {
      conditions.push(match);
    }
    return eb.and(conditions);
  });
}

/** A page of deals. */
export async function listDeals(
  db: Db,
  query: DealListQuery,
  prefixes: readonly string[],
): Promise<Page<Deal>> {
  return pageOfRecords({
    db,
    entity: 'deal',
    prefixes,
    query,
    filtered: (plan) => filteredDeals(db, query, plan),
    sortColumn: SORT_COLUMN[query.sort.field],
    idColumn: 'd.id',
    load: (ids) => loadDeals(db, ids),
  });
}
