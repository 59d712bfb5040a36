/**
 * Tasks in the database: rows ↔ the contract's Task, the paged list with the `due` windows
 * (overdue: open and past due; today: due this UTC day; week: due in the next 7 days from today's start, UTC),
 * and the search `q`: the title's text, or, for a query that looks like a number, its digits however spaced.
 */
import {
  type Expression,
  type Kysely,
  type RawBuilder,
  type Selectable,
  type SqlBool,
  sql,
  type Transaction,
} from 'kysely';
import type { TasksTable } from '../../../platform/db/schema/crm.js';
import type { Database } from '../../../platform/db/schema.js';
import { phoneDigits } from '../phones/normalize-phone.js';
import { phoneQueryDigits } from '../search/search-index.js';
import { ownerCondition } from '../shared/list-filters.js';
import type { Page } from '../shared/list-query.js';
import { countRows } from '../shared/paging.js';
import type { Task, TaskListQuery } from './task-schemas.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Row → contract shape (plus who created it, for the access rule). */
function toTask(r: Selectable<TasksTable>): Task & { createdById: string | null } {
  return {
    id: r.id,
    title: r.title,
    description: r.description,
    dueAt: r.due_at,
    status: r.status,
    assigneeId: r.assignee_id,
    subjectType: r.subject_type,
    subjectId: r.subject_id,
    createdAt: r.created_at,
    completedAt: r.completed_at,
    createdById: r.created_by_id,
  };
}

export async function findTask(db: Db, id: string) {
  const row = await db.selectFrom('tasks').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toTask(row) : undefined;
}

/** Strips internal fields for the API. */
export function publicTask(task: Task & { createdById?: string | null }): Task {
  const { createdById: _ignored, ...rest } = task;
  return rest;
}

export type TaskFilters = Pick<
  TaskListQuery,
  'assigneeId' | 'status' | 'subjectType' | 'subjectId' | 'due' | 'q'
>;

function dayStart(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

/** What people put between the digits of a number: a title written `+33 6 12 34 56 78` or `06.12.34.56.78`. */
const NUMBER_SEPARATORS = [' ', '\u00a0', '+', '(', ')', '.', '-', '/'];

/**
 * The title with those separators taken out, so its numbers are runs of digits (`Call back 33612345678 — …`).
 * Nested `replace` is the same function on SQLite and PostgreSQL (SQLite has no regexp_replace).
 */
const titleDigits = NUMBER_SEPARATORS.reduce<RawBuilder<string>>(
  (text, separator) => sql<string>`replace(${text}, ${separator}, '')`,
  sql<string>`${sql.ref('t.title')}`,
);

/**
 * The digit strings a phone-like query can appear as in a title: the number it normalises to (a national
 * `06 12…` or `8 985…` becomes its international digits, as titles write numbers) and the digits as typed.
 */
function searchedDigits(q: string, defaultCountry: string): string[] {
  const phone = phoneQueryDigits(q, defaultCountry);
  return phone === null ? [] : [...new Set([phone, phoneDigits(q)])].filter((d) => d.length >= 2);
}

/**
 * The filtered tasks (shared by the page and the CSV export). `defaultCountry` reads national numbers in `q`.
 */
export function filteredTasks(db: Db, filters: TaskFilters, now: Date, defaultCountry: string) {
  return db.selectFrom('tasks as t').where((eb) => {
    const conditions: Expression<SqlBool>[] = [];
    if (filters.assigneeId !== undefined) {
      conditions.push(ownerCondition(eb, 't.assignee_id', filters.assigneeId));
    }
    if (filters.status !== undefined) {
      conditions.push(eb('t.status', '=', filters.status));
    }
    if (filters.subjectType !== undefined) {
      conditions.push(eb('t.subject_type', '=', filters.subjectType));
    }
    if (filters.subjectId !== undefined) {
      conditions.push(eb('t.subject_id', '=', filters.subjectId));
    }
    const start = dayStart(now);
    if (filters.due === 'overdue') {
      conditions.push(eb('t.status', '=', 'open'), eb('t.due_at', '<', now.toISOString()));
    } else if (filters.due === 'today') {
      conditions.push(
        eb('t.due_at', '>=', start.toISOString()),
        eb('t.due_at', '<', new Date(start.getTime() + 86_400_000).toISOString()),
      );
    } else if (filters.due === 'week') {
      conditions.push(
        eb('t.due_at', '>=', start.toISOString()),
        eb('t.due_at', '<', new Date(start.getTime() + 7 * 86_400_000).toISOString()),
      );
    }
    if (filters.q) {
      // Tasks are few per office: a substring match on the title is enough and needs no index.
      const text = eb(
        eb.fn('lower', ['t.title']),
        'like',
        `%${filters.q.toLowerCase().replace(/[%_\\]/g, '')}%`,
      );
      const digits = searchedDigits(filters.q, defaultCountry);
      conditions.push(
        digits.length === 0 ? text : eb.or([text, ...digits.map((d) => eb(titleDigits, 'like', `%${d}%`))]),
      );
    }
    return eb.and(conditions);
  });
}

/** A page of tasks; tasks without a due time sort after the others on both dialects. */
export async function listTasks(
  db: Db,
  query: TaskListQuery,
  now: Date,
  defaultCountry: string,
): Promise<Page<Task>> {
  const base = filteredTasks(db, query, now, defaultCountry);
  let ordered = base.selectAll('t');
  const dir = query.sort.direction;
  if (query.sort.field === 'dueAt') {
    ordered = ordered.orderBy(sql`case when t.due_at is null then 1 else 0 end`).orderBy('t.due_at', dir);
  } else if (query.sort.field === 'title') {
    ordered = ordered.orderBy(sql`lower(t.title)`, dir);
  } else {
    ordered = ordered.orderBy('t.created_at', dir);
  }
  const [rows, total] = await Promise.all([
    ordered
      .orderBy('t.id', dir)
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize)
      .execute(),
    countRows(base),
  ]);
  return { items: rows.map((r) => publicTask(toTask(r))), total, page: query.page, pageSize: query.pageSize };
}
