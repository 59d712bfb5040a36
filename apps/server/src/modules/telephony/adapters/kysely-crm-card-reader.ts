/**
 * The `CrmCardReader` port on Kysely: the contact card of a call popup (api-contract-telephony.md `ContactCard`) —
 * who is calling, their company and responsible user, open deals and tasks, and their last calls, in a handful
 * of indexed queries over the CRM's tables.
 */
import { type Kysely, sql } from 'kysely';
import { preparedQuery } from '../../../platform/db/prepared-query.js';
import type { Database } from '../../../platform/db/schema.js';
import type { ContactCard, CrmCardReader } from '../ports.js';

const LAST_CALLS = 5;
const OPEN_ITEMS = 10;

// Each query is built once (platform/db/prepared-query.ts): the card is read for every ringing popup and missed
// call, and building four Kysely queries cost more than SQLite takes to run them.
const contactRow = preparedQuery((db, contactId: string) =>
  db
    .selectFrom('contacts as c')
    .leftJoin('companies as co', 'co.id', 'c.company_id')
    .leftJoin('users as u', 'u.id', 'c.responsible_user_id')
    .select([
      'c.id',
      'c.display_name',
      'c.do_not_call',
      'co.id as company_id',
      'co.name as company_name',
      'u.id as user_id',
      'u.name as user_name',
    ])
    .where('c.id', '=', contactId),
);

const openDeals = preparedQuery((db, contactId: string) =>
  db
    .selectFrom('deals as d')
    .innerJoin('pipeline_stages as s', 's.id', 'd.stage_id')
    .select(['d.id', 'd.title', 'd.amount', 'd.currency', 's.name as stage_name'])
    .where('d.contact_id', '=', contactId)
    .where('s.kind', '=', 'open')
    .orderBy('d.updated_at', 'desc')
    .limit(OPEN_ITEMS),
);

// Soonest due first, undated last (on both databases; SQLite would put nulls first), then by id. Why the
// explicit null rank: ordered by `due_at` alone, SQLite walks `tasks_status_due_idx` through EVERY open task of
// the CRM to skip the sort, instead of reading this contact's few on `tasks_subject_idx` (a test holds the plan).
const openTasks = preparedQuery((db, contactId: string) =>
  db
    .selectFrom('tasks')
    .select(['id', 'title', 'due_at'])
    .where('subject_type', '=', 'contact')
    .where('subject_id', '=', contactId)
    .where('status', '=', 'open')
    .orderBy(sql`due_at is null`)
    .orderBy('due_at')
    .orderBy('id')
    .limit(OPEN_ITEMS),
);

const lastCallsQuery = (db: Kysely<Database>, contactId: string) =>
  db
    .selectFrom('calls')
    .select(['id', 'started_at', 'created_at', 'direction', 'status', 'duration'])
    .where('contact_id', '=', contactId)
    .orderBy('started_at', 'desc')
    .limit(LAST_CALLS);
const lastCalls = preparedQuery((db, contactId: string) => lastCallsQuery(db, contactId));
const lastCallsBut = preparedQuery((db, contactId: string, excludeCallId: string) =>
  lastCallsQuery(db, contactId).where('id', '!=', excludeCallId),
);

/** Builds the card, or null when the contact no longer exists. */
async function loadContactCard(
  db: Kysely<Database>,
  contactId: string,
  options: { excludeCallId?: string } = {},
): Promise<ContactCard | null> {
  const [contact] = (await contactRow(db, contactId)).rows;
  if (!contact) {
    return null;
  }
  const [deals, tasks, calls] = await Promise.all([
    openDeals(db, contactId),
    openTasks(db, contactId),
    options.excludeCallId === undefined
      ? lastCalls(db, contactId)
      : lastCallsBut(db, contactId, options.excludeCallId),
  ]);
  return {
    id: contact.id,
    displayName: contact.display_name,
    company:
      contact.company_id && contact.company_name !== null
        ? { id: contact.company_id, name: contact.company_name }
        : null,
    responsibleUser:
      contact.user_id && contact.user_name !== null ? { id: contact.user_id, name: contact.user_name } : null,
    doNotCall: contact.do_not_call === 1,
    openDeals: deals.rows.map((d) => ({
      id: d.id,
      title: d.title,
      amount: Number(d.amount),
      currency: d.currency,
      stageName: d.stage_name,
    })),
    openTasks: tasks.rows.map((t) => ({ id: t.id, title: t.title, dueAt: t.due_at })),
    lastCalls: calls.rows.map((c) => ({
      id: c.id,
      startedAt: c.started_at ?? c.created_at,
      direction: c.direction === 'outbound' ? 'out' : 'in',
      status: c.status,
      duration: c.duration,
    })),
  };
}

/**
 * The card reader over `db` (the app's database or a batch's transaction).
 * Why: the agent sees who calls and what is open with them before picking up.
 */
export function createKyselyCrmCardReader(db: Kysely<Database>): CrmCardReader {
  return { cardOf: (contactId, options = {}) => loadContactCard(db, contactId, options) };
}
