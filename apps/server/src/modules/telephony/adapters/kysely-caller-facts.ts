/**
 * The `CallerFactsReader` port on PostgreSQL: everything the NOTIFY_START decision may read about a caller — the
 * contact owning the number (with its company), the blacklist entry blocking it, the open deal and lead, the last
 * answering agent, today's missed calls from an unknown number, and the extension (and name) of every user these
 * name — in ONE statement, each part the same indexed read as its own port's (kysely-contact-lookup.ts,
 * kysely-blacklist-repository.ts, kysely-caller-history.ts, kysely-extension-directory.ts). A part not asked for
 * is cut by its `where $n` flag before it reads anything.
 * Why: read one after the other they were three to five round trips through the reply pool, each queueing behind
 * the ingest's own queries, while the phone rang (issue 12: p99 ≤ 5 ms server-side).
 */
import type { DatabaseHandle } from '../../../platform/db/database.js';
import type { CallerFacts, CallerFactsQuery, CallerFactsReader } from '../ports.js';
import { blockingKeys } from './kysely-blacklist-repository.js';

// $1 e164, $2 blocking keys (text[]), $3 blacklist instant (null: not read), $4 deal?, $5 lead?,
// $6 last agent since (null: not read), $7 missed since (null: not counted), $8 another user, $9 names?
const FACTS_SQL = `with
c as (
  select c.id, c.display_name, c.responsible_user_id, co.name as company_name, c.do_not_call
  from contact_phones p join contacts c on c.id = p.contact_id left join companies co on co.id = c.company_id
  where p.e164 = $1 order by p.contact_id limit 1),
b as (
  select e164 from blacklist where $3::timestamptz is not null and e164 = any($2::text[])
  and (is_prefix = 1 or e164 = $1) and (expires_at is null or expires_at > $3::timestamptz)
  order by length(e164) desc limit 1),
d as (
  select d.id, d.responsible_user_id, s.name as stage_name, d.amount from deals d
  join pipeline_stages s on s.id = d.stage_id
  where $4::boolean and d.contact_id = (select id from c) and s.kind = 'open' order by d.updated_at desc limit 1),
l as (
  select id, responsible_user_id from leads where $5::boolean and contact_id = (select id from c)
  and status in ('new', 'contacted', 'qualified') order by updated_at desc limit 1),
a as (
  select agent_user_id from calls where $6::timestamptz is not null and contact_id = (select id from c)
  and started_at >= $6::timestamptz and status = 'answered' and agent_user_id is not null
  order by started_at desc limit 1),
u as (
  select responsible_user_id as id from c union all select responsible_user_id from d
  union all select responsible_user_id from l union all select agent_user_id from a union all select $8::text)
select c.id as contact_id, c.display_name, c.responsible_user_id, c.company_name, c.do_not_call,
  (select e164 from b) as blacklisted_by,
  d.id as deal_id, d.responsible_user_id as deal_user_id, d.stage_name as deal_stage, d.amount as deal_amount,
  l.id as lead_id, l.responsible_user_id as lead_user_id,
  (select agent_user_id from a) as last_agent,
  case when $7::timestamptz is null or c.id is not null then 0 else (select count(*) from calls
    where client_e164 = $1 and contact_id is null and started_at >= $7::timestamptz
    and direction = 'inbound' and status in ('missed', 'busy')) end as missed,
  (select json_object_agg(user_id, extension) from (select user_id, min(extension) as extension
    from extension_assignments where user_id in (select id from u) group by user_id) e) as extensions,
  (select json_object_agg(id, name) from users where $9::boolean and id in (select id from u)) as names
from (select 1) as one left join c on true left join d on true left join l on true`;

interface Row {
  contact_id: string | null;
  display_name: string | null;
  responsible_user_id: string | null;
  company_name: string | null;
  do_not_call: number | null;
  blacklisted_by: string | null;
  deal_id: string | null;
  deal_user_id: string | null;
  deal_stage: string | null;
  deal_amount: number | string | null;
  lead_id: string | null;
  lead_user_id: string | null;
  last_agent: string | null;
  missed: number | string;
  extensions: Record<string, string> | null;
  names: Record<string, string> | null;
}

function toFacts(row: Row): CallerFacts {
  return {
    contact:
      row.contact_id === null
        ? null
        : {
            id: row.contact_id,
            displayName: row.display_name ?? '',
            responsibleUserId: row.responsible_user_id,
            companyName: row.company_name,
            doNotCall: Number(row.do_not_call) === 1,
          },
    blacklistedBy: row.blacklisted_by,
    deal:
      row.deal_id === null
        ? null
        : {
            id: row.deal_id,
            responsibleUserId: row.deal_user_id,
            stageName: row.deal_stage ?? '',
            amount: Number(row.deal_amount),
          },
    lead: row.lead_id === null ? null : { id: row.lead_id, responsibleUserId: row.lead_user_id },
    lastAgent: row.last_agent,
    missed: Number(row.missed),
    extensions: new Map(Object.entries(row.extensions ?? {})),
    names: new Map(Object.entries(row.names ?? {})),
  };
}

/** Runs a named statement (`DatabaseHandle.replyPrepared`: PostgreSQL's decision pool). */
type RunPrepared = NonNullable<DatabaseHandle['replyPrepared']>;

/**
 * The reader on `run` (the decision pool's named statements: planned once per connection, not on every call).
 * Why: the NOTIFY_START decision in one round trip.
 */
export function createPostgresCallerFacts(run: RunPrepared): CallerFactsReader {
  return {
    async read(query: CallerFactsQuery, signal?: AbortSignal): Promise<CallerFacts> {
      // The decision's signal travels to the pool: a read still waiting for a connection when the budget runs
      // out is never sent (database.ts `runUnlessAbandoned`).
      const rows = await run<Row>(
        'switchboard_caller_facts',
        FACTS_SQL,
        [
          query.e164,
          query.blacklistAt === null ? [] : blockingKeys(query.e164),
          query.blacklistAt,
          query.deal,
          query.lead,
          query.lastAgentSince,
          query.missedSince,
          query.alsoUser,
          query.names,
        ],
        signal,
      );
      const row = rows[0];
      if (!row) {
        throw new Error('caller facts: no row');
      }
      return toFacts(row);
    },
  };
}
