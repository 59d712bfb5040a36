/**
 * Kysely adapter of `CallRepository`: one row per `pbx_call_id` holding the folded record in columns (for
 * queries and indexes) and the distinct events folded (JSON), from which the record is always re-folded.
 * Concurrent notifications of one call are serialised on the row: an upsert creates it, then PostgreSQL locks it
 * with `SELECT … FOR UPDATE`; SQLite has a single writer connection (Kysely's driver mutex), so transactions
 * already run one at a time.
 */
import { type Kysely, type Selectable, sql } from 'kysely';
import { dialectOf } from '../../db/column-types.js';
import type { CallsTable } from '../../db/schema/telephony.js';
import type { Database } from '../../db/schema.js';
import { newId } from '../../ids.js';
import { addToEventLog, type CallEvent } from './domain/call-event.js';
import { type CallRecord, emptyCallRecord, foldCall } from './domain/fold-call.js';
import type { CallLinks, CallListQuery, CallRepository, StoredCall } from './domain/ports.js';

const MAX_LIST = 500;

function recordColumns(record: CallRecord) {
  return {
    direction: record.direction,
    status: record.status,
    call_start: record.callStart,
    started_at: record.startedAt,
    caller_id: record.callerId,
    destination: record.destination,
    client_number: record.clientNumber,
    did_number: record.didNumber,
    ringing_extensions: JSON.stringify(record.ringingExtensions),
    origin_extension: record.originExtension,
    answered_at: record.answeredAt,
    answered_by: record.answeredBy,
    disposition: record.disposition,
    duration: record.duration,
    status_code: record.statusCode,
    ended_at: record.endedAt,
    is_recorded: record.isRecorded ? 1 : 0,
    recording_ids: JSON.stringify(record.recordingIds),
    calltype: record.calltype,
  };
}

function toStoredCall(row: Selectable<CallsTable>): StoredCall {
  const events = JSON.parse(row.events) as CallEvent[];
  const record = events.length > 0 ? foldCall(events) : emptyCallRecord(row.pbx_call_id);
  return {
    ...record,
    id: row.id,
    events,
    contactId: row.contact_id,
    agentUserId: row.agent_user_id,
    clientE164: row.client_e164,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/**
 * Creates the call repository over a Kysely database (either dialect).
 * Why: `applyEvent` is the one write path of call records — idempotent, order-independent and race-free.
 */
export function createCallRepository(db: Kysely<Database>): CallRepository {
  // Kysely<Database> is not assignable to Kysely<unknown> (invariant table map); only the adapter is read.
  const lockRows = dialectOf(db as unknown as Kysely<unknown>) === 'postgres';

  async function get(pbxCallId: string): Promise<StoredCall | null> {
    const row = await db
      .selectFrom('calls')
      .selectAll()
      .where('pbx_call_id', '=', pbxCallId)
      .executeTakeFirst();
    return row ? toStoredCall(row) : null;
  }

  return {
    applyEvent(event, now = new Date().toISOString()) {
      return db.transaction().execute(async (trx) => {
        await trx
          .insertInto('calls')
          .values({
            id: newId(),
            pbx_call_id: event.pbxCallId,
            ...recordColumns(emptyCallRecord(event.pbxCallId)),
            events: '[]',
            contact_id: null,
            agent_user_id: null,
            client_e164: null,
            version: 0,
            created_at: now,
            updated_at: now,
          })
          .onConflict((oc) => oc.column('pbx_call_id').doNothing())
          .execute();
        let select = trx.selectFrom('calls').selectAll().where('pbx_call_id', '=', event.pbxCallId);
        if (lockRows) {
          select = select.forUpdate();
        }
        const row = await select.executeTakeFirstOrThrow();
        const log = addToEventLog(JSON.parse(row.events) as CallEvent[], event);
        if (!log.changed) {
          return { call: toStoredCall(row), duplicate: log.duplicate, changed: false };
        }
        const events = log.events;
        const record = foldCall(events);
        const updated = await trx
          .updateTable('calls')
          .set({
            ...recordColumns(record),
            events: JSON.stringify(events),
            version: row.version + 1,
            updated_at: now,
          })
          .where('id', '=', row.id)
          .returningAll()
          .executeTakeFirstOrThrow();
        return { call: toStoredCall(updated), duplicate: log.duplicate, changed: true };
      });
    },

    get,

    async getById(id) {
      const row = await db.selectFrom('calls').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toStoredCall(row) : null;
    },

    async link(pbxCallId: string, links: CallLinks, now = new Date().toISOString()) {
      const set: Partial<Pick<CallsTable, 'contact_id' | 'agent_user_id' | 'client_e164'>> = {};
      if (links.contactId !== undefined) {
        set.contact_id = links.contactId;
      }
      if (links.agentUserId !== undefined) {
        set.agent_user_id = links.agentUserId;
      }
      if (links.clientE164 !== undefined) {
        set.client_e164 = links.clientE164;
      }
      const row = await db
        .updateTable('calls')
        .set({ ...set, version: sql<number>`version + 1`, updated_at: now })
        .where('pbx_call_id', '=', pbxCallId)
        .returningAll()
        .executeTakeFirst();
      return row ? toStoredCall(row) : null;
    },

    async list(query: CallListQuery = {}) {
      const startedOrCreated = sql<string>`coalesce(started_at, created_at)`;
      let q = db.selectFrom('calls').selectAll();
      if (query.contactId) {
        q = q.where('contact_id', '=', query.contactId);
      }
      if (query.agentUserId) {
        q = q.where('agent_user_id', '=', query.agentUserId);
      }
      if (query.startedBefore) {
        q = q.where(startedOrCreated, '<', query.startedBefore);
      }
      const rows = await q
        .orderBy(startedOrCreated, 'desc')
        .orderBy('id', 'desc')
        .limit(Math.min(Math.max(query.limit ?? 50, 1), MAX_LIST))
        .execute();
      return rows.map(toStoredCall);
    },
  };
}
