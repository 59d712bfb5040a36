/**
 * The `CallerHistory` port: the caller's open deal (with its stage), open lead, last answering agent and the
 * calls we missed from an unknown number — each one indexed read (`deals_contact_idx`, `leads_contact_idx`,
 * `calls_log_contact_idx`, `calls_client_e164_idx`). On SQLite prepared statements on the connection (no
 * query builder on the NOTIFY_START path), on PostgreSQL parameterised queries.
 */
import type SQLite from 'better-sqlite3';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../../platform/db/schema.js';
import type { CallerDeal, CallerHistory } from '../ports.js';

const DEAL_SQL =
  'select d.id, d.responsible_user_id, s.name as stage_name, d.amount from deals d ' +
  "join pipeline_stages s on s.id = d.stage_id where d.contact_id = ? and s.kind = 'open' " +
  'order by d.updated_at desc limit 1';
const LEAD_SQL =
  'select id, responsible_user_id from leads where contact_id = ? ' +
  "and status in ('new', 'contacted', 'qualified') order by updated_at desc limit 1";
const LAST_AGENT_SQL =
  'select agent_user_id from calls where contact_id = ? and started_at >= ? ' +
  "and status = 'answered' and agent_user_id is not null order by started_at desc limit 1";
const MISSED_SQL =
  'select count(*) as n from calls where client_e164 = ? and contact_id is null and started_at >= ? ' +
  "and direction = 'inbound' and status in ('missed', 'busy')";

interface DealRow {
  id: string;
  responsible_user_id: string | null;
  stage_name: string;
  amount: number | string;
}

function toDeal(row: DealRow | undefined): CallerDeal | null {
  return row
    ? {
        id: row.id,
        responsibleUserId: row.responsible_user_id,
        stageName: row.stage_name,
        amount: Number(row.amount),
      }
    : null;
}

const prepared = new WeakMap<SQLite.Database, CallerHistory>();

function sqliteHistory(sqlite: SQLite.Database): CallerHistory {
  let history = prepared.get(sqlite);
  if (!history) {
    const deal = sqlite.prepare<[string], DealRow>(DEAL_SQL);
    const lead = sqlite.prepare<[string], { id: string; responsible_user_id: string | null }>(LEAD_SQL);
    const lastAgent = sqlite.prepare<[string, string], { agent_user_id: string }>(LAST_AGENT_SQL);
    const missed = sqlite.prepare<[string, string], { n: number }>(MISSED_SQL);
    history = {
      openDealOf: async (contactId) => toDeal(deal.get(contactId)),
      async openLeadOf(contactId) {
        const row = lead.get(contactId);
        return row ? { id: row.id, responsibleUserId: row.responsible_user_id } : null;
      },
      lastAgentOf: async (contactId, since) => lastAgent.get(contactId, since)?.agent_user_id ?? null,
      missedFrom: async (e164, since) => Number(missed.get(e164, since)?.n ?? 0),
    };
    prepared.set(sqlite, history);
  }
  return history;
}

/**
 * The history over `db`; `sqlite`, the connection under it, selects the prepared-statement path.
 * Why: the routing chain and the caller name read it while the phone rings.
 */
export function createKyselyCallerHistory(
  db: Kysely<Database>,
  sqlite: SQLite.Database | null = null,
): CallerHistory {
  if (sqlite) {
    return sqliteHistory(sqlite);
  }
  return {
    async openDealOf(contactId) {
      const { rows } = await sql<DealRow>`select d.id, d.responsible_user_id, s.name as stage_name, d.amount
        from deals d join pipeline_stages s on s.id = d.stage_id
        where d.contact_id = ${contactId} and s.kind = 'open' order by d.updated_at desc limit 1`.execute(db);
      return toDeal(rows[0]);
    },
    async openLeadOf(contactId) {
      const { rows } = await sql<{ id: string; responsible_user_id: string | null }>`select id,
          responsible_user_id from leads where contact_id = ${contactId}
          and status in ('new', 'contacted', 'qualified') order by updated_at desc limit 1`.execute(db);
      const row = rows[0];
      return row ? { id: row.id, responsibleUserId: row.responsible_user_id } : null;
    },
    async lastAgentOf(contactId, since) {
      const { rows } = await sql<{ agent_user_id: string }>`select agent_user_id from calls
        where contact_id = ${contactId} and started_at >= ${since} and status = 'answered'
        and agent_user_id is not null order by started_at desc limit 1`.execute(db);
      return rows[0]?.agent_user_id ?? null;
    },
    async missedFrom(e164, since) {
      const { rows } = await sql<{ n: number | string }>`select count(*) as n from calls
        where client_e164 = ${e164} and contact_id is null and started_at >= ${since}
        and direction = 'inbound' and status in ('missed', 'busy')`.execute(db);
      return Number(rows[0]?.n ?? 0);
    },
  };
}
