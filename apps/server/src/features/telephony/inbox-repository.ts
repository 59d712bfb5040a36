/**
 * Kysely adapter of the webhook inbox (domain/ports.ts `InboxRepository`), same SQL on SQLite and PostgreSQL.
 */
import type { Kysely, Selectable } from 'kysely';
import type { WebhookInboxTable } from '../../db/schema/telephony.js';
import type { Database } from '../../db/schema.js';
import { newId } from '../../ids.js';
import type { InboxEntry, InboxListQuery, InboxRepository, NewInboxEntry } from './domain/ports.js';

const MAX_LIST = 500;

function toEntry(row: Selectable<WebhookInboxTable>): InboxEntry {
  return {
    id: row.id,
    receivedAt: row.received_at,
    remoteIp: row.remote_ip,
    event: row.event,
    pbxCallId: row.pbx_call_id,
    body: row.body,
    contentType: row.content_type,
    signatureValid: row.signature_valid === 1,
    status: row.status,
    error: row.error,
    processedAt: row.processed_at,
  };
}

/**
 * Creates the inbox repository over a Kysely database.
 * Why: the webhook route stores each request before any work, so nothing Zadarma sent can be lost.
 */
export function createInboxRepository(db: Kysely<Database>): InboxRepository {
  return {
    async append(entry: NewInboxEntry) {
      const row = {
        id: newId(Date.parse(entry.receivedAt) || Date.now()),
        received_at: entry.receivedAt,
        remote_ip: entry.remoteIp,
        event: entry.event,
        pbx_call_id: entry.pbxCallId,
        body: entry.body,
        content_type: entry.contentType,
        signature_valid: entry.signatureValid ? 1 : 0,
        status: entry.status,
        error: entry.error ?? null,
        processed_at: null,
      } satisfies Selectable<WebhookInboxTable>;
      await db.insertInto('webhook_inbox').values(row).execute();
      return toEntry(row);
    },
    async markProcessed(id, at) {
      await db
        .updateTable('webhook_inbox')
        .set({ status: 'processed', processed_at: at, error: null })
        .where('id', '=', id)
        .execute();
    },
    async markFailed(id, error, at) {
      await db
        .updateTable('webhook_inbox')
        .set({ status: 'failed', processed_at: at, error })
        .where('id', '=', id)
        .execute();
    },
    async list(query: InboxListQuery = {}) {
      let q = db.selectFrom('webhook_inbox').selectAll();
      if (query.status) {
        q = q.where('status', '=', query.status);
      }
      if (query.pbxCallId) {
        q = q.where('pbx_call_id', '=', query.pbxCallId);
      }
      if (query.receivedBefore) {
        q = q.where('received_at', '<', query.receivedBefore);
      }
      const rows = await q
        .orderBy('received_at', 'desc')
        .orderBy('id', 'desc')
        .limit(Math.min(Math.max(query.limit ?? 100, 1), MAX_LIST))
        .execute();
      return rows.map(toEntry);
    },
    async get(id) {
      const row = await db.selectFrom('webhook_inbox').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toEntry(row) : null;
    },
  };
}
