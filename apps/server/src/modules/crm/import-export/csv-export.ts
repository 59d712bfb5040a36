/**
 * CSV export of any list with the list's own filters, streamed in keyset-paged chunks (by id) so a
 * million-row export never sits in memory. UTF-8 with BOM (Excel reads Cyrillic and accents right).
 * Chunks are small and the event loop gets a turn between them: a stream whose reader keeps up would
 * otherwise read and format the whole list without ever letting a timer or another request run.
 */
import { Readable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import { csvLine } from '../../../platform/csv/csv-format.js';
import type { Database } from '../../../platform/db/schema.js';
import type { CompanyFilters } from '../companies/company-repository.js';
import { filteredCompanies } from '../companies/company-repository.js';
import { type ContactFilters, filteredContacts, loadContacts } from '../contacts/contact-repository.js';
import { type DealFilters, filteredDeals } from '../deals/deal-repository.js';
import { filteredLeads, type LeadFilters } from '../leads/lead-repository.js';
import { planSearch } from '../search/search-index.js';
import { filteredTasks, type TaskFilters } from '../tasks/task-repository.js';

/** Rows per query: a few milliseconds of reading and formatting between two turns of the event loop. */
const CHUNK = 250;

type Cell = string | number | boolean | null | undefined;

async function* chunks(
  header: readonly string[],
  next: (after: string | null) => Promise<{ id: string; cells: Cell[] }[]>,
) {
  yield `\uFEFF${csvLine(header)}`;
  let after: string | null = null;
  for (;;) {
    const rows = await next(after);
    if (rows.length === 0) {
      return;
    }
    yield rows.map((r) => csvLine(r.cells)).join('');
    after = (rows[rows.length - 1] as { id: string }).id;
    if (rows.length < CHUNK) {
      return;
    }
    await nextTurn();
  }
}

async function userNames(db: Kysely<Database>): Promise<Map<string, string>> {
  const rows = await db.selectFrom('users').select(['id', 'name']).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Streams contacts as CSV. Why: "export any list" with the filters the user sees. */
export function exportContacts(
  db: Kysely<Database>,
  filters: ContactFilters,
  prefixes: readonly string[],
): Readable {
  const names = userNames(db);
  const plan = planSearch(db, 'contact', prefixes);
  return Readable.from(
    chunks(
      [
        'id',
        'firstName',
        'lastName',
        'displayName',
        'company',
        'phones',
        'emails',
        'responsible',
        'doNotCall',
        'notes',
        'createdAt',
        'updatedAt',
      ],
      async (after) => {
        let q = filteredContacts(db, filters, await plan, 'all').select('c.id');
        if (after) {
          q = q.where('c.id', '>', after);
        }
        const ids = (await q.orderBy('c.id').limit(CHUNK).execute()).map((r) => r.id);
        const users = await names;
        return (await loadContacts(db, ids)).map((c) => ({
          id: c.id,
          cells: [
            c.id,
            c.firstName,
            c.lastName,
            c.displayName,
            c.company?.name ?? '',
            c.phones.map((p) => p.e164 ?? p.raw).join(' | '),
            c.emails.map((e) => e.email).join(' | '),
            c.responsibleUserId ? (users.get(c.responsibleUserId) ?? '') : '',
            c.doNotCall ? 'yes' : 'no',
            c.notes,
            c.createdAt,
            c.updatedAt,
          ],
        }));
      },
    ),
  );
}

/** Streams companies as CSV. */
export function exportCompanies(
  db: Kysely<Database>,
  filters: CompanyFilters,
  prefixes: readonly string[],
): Readable {
  const names = userNames(db);
  const plan = planSearch(db, 'company', prefixes);
  return Readable.from(
    chunks(
      ['id', 'name', 'website', 'phone', 'address', 'responsible', 'notes', 'createdAt', 'updatedAt'],
      async (after) => {
        let q = filteredCompanies(db, filters, await plan, 'all').selectAll('c');
        if (after) {
          q = q.where('c.id', '>', after);
        }
        const users = await names;
        return (await q.orderBy('c.id').limit(CHUNK).execute()).map((c) => ({
          id: c.id,
          cells: [
            c.id,
            c.name,
            c.website,
            c.phone,
            c.address,
            c.responsible_user_id ? (users.get(c.responsible_user_id) ?? '') : '',
            c.notes,
            c.created_at,
            c.updated_at,
          ],
        }));
      },
    ),
  );
}

/** Streams leads as CSV. */
export function exportLeads(
  db: Kysely<Database>,
  filters: LeadFilters,
  prefixes: readonly string[],
): Readable {
  const names = userNames(db);
  const plan = planSearch(db, 'lead', prefixes);
  return Readable.from(
    chunks(
      [
        'id',
        'title',
        'status',
        'source',
        'contact',
        'company',
        'responsible',
        'notes',
        'createdAt',
        'updatedAt',
      ],
      async (after) => {
        let q = filteredLeads(db, filters, await plan, 'all')
          .leftJoin('contacts as ct', 'ct.id', 'l.contact_id')
          .leftJoin('companies as co', 'co.id', 'l.company_id')
          .selectAll('l')
          .select(['ct.display_name as contact_name', 'co.name as company_name']);
        if (after) {
          q = q.where('l.id', '>', after);
        }
        const users = await names;
        return (await q.orderBy('l.id').limit(CHUNK).execute()).map((l) => ({
          id: l.id,
          cells: [
            l.id,
            l.title,
            l.status,
            l.source,
            l.contact_name ?? '',
            l.company_name ?? '',
            l.responsible_user_id ? (users.get(l.responsible_user_id) ?? '') : '',
            l.notes,
            l.created_at,
            l.updated_at,
          ],
        }));
      },
    ),
  );
}

/** Streams deals as CSV. */
export function exportDeals(
  db: Kysely<Database>,
  filters: DealFilters,
  prefixes: readonly string[],
): Readable {
  const names = userNames(db);
  const plan = planSearch(db, 'deal', prefixes);
  return Readable.from(
    chunks(
      [
        'id',
        'title',
        'amount',
        'currency',
        'pipeline',
        'stage',
        'contact',
        'company',
        'responsible',
        'expectedCloseDate',
        'createdAt',
        'updatedAt',
      ],
      async (after) => {
        let q = filteredDeals(db, filters, await plan, 'all')
          .innerJoin('pipelines as p', 'p.id', 'd.pipeline_id')
          .innerJoin('pipeline_stages as s', 's.id', 'd.stage_id')
          .leftJoin('contacts as ct', 'ct.id', 'd.contact_id')
          .leftJoin('companies as co', 'co.id', 'd.company_id')
          .selectAll('d')
          .select([
            'p.name as pipeline_name',
            's.name as stage_name',
            'ct.display_name as contact_name',
            'co.name as company_name',
          ]);
        if (after) {
          q = q.where('d.id', '>', after);
        }
        const users = await names;
        return (await q.orderBy('d.id').limit(CHUNK).execute()).map((d) => ({
          id: d.id,
          cells: [
            d.id,
            d.title,
            Number(d.amount),
            d.currency,
            d.pipeline_name,
            d.stage_name,
            d.contact_name ?? '',
            d.company_name ?? '',
            d.responsible_user_id ? (users.get(d.responsible_user_id) ?? '') : '',
            d.expected_close_date ?? '',
            d.created_at,
            d.updated_at,
          ],
        }));
      },
    ),
  );
}

/** Streams tasks as CSV. */
export function exportTasks(
  db: Kysely<Database>,
  filters: TaskFilters,
  now: Date,
  defaultCountry: string,
): Readable {
  const names = userNames(db);
  return Readable.from(
    chunks(
      [
        'id',
        'title',
        'description',
        'dueAt',
        'status',
        'assignee',
        'subjectType',
        'subjectId',
        'createdAt',
        'completedAt',
      ],
      async (after) => {
        let q = filteredTasks(db, filters, now, defaultCountry).selectAll('t');
        if (after) {
          q = q.where('t.id', '>', after);
        }
        const users = await names;
        return (await q.orderBy('t.id').limit(CHUNK).execute()).map((t) => ({
          id: t.id,
          cells: [
            t.id,
            t.title,
            t.description,
            t.due_at ?? '',
            t.status,
            t.assignee_id ? (users.get(t.assignee_id) ?? '') : '',
            t.subject_type ?? '',
            t.subject_id ?? '',
            t.created_at,
            t.completed_at ?? '',
          ],
        }));
      },
    ),
  );
}
