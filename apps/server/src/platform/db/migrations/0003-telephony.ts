/**
 * Telephony tables (db/schema/telephony.ts). `calls.pbx_call_id` is unique so concurrent notifications of one
 * call meet on one row; `events.id` is an auto-increment so SSE clients can resume with `Last-Event-ID`.
 */
import type { Kysely, Migration } from 'kysely';
import { dialectOf, timestampType } from '../column-types.js';

export const migration0003Telephony: Migration = {
  async up(db: Kysely<unknown>) {
    const dialect = dialectOf(db);
    const ts = timestampType(dialect);

    await db.schema
      .createTable('webhook_inbox')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('received_at', ts, (c) => c.notNull())
      .addColumn('remote_ip', 'text')
      .addColumn('event', 'text', (c) => c.notNull())
      .addColumn('pbx_call_id', 'text')
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('content_type', 'text')
      .addColumn('signature_valid', 'integer', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('error', 'text')
      .addColumn('processed_at', ts)
      .execute();
    await db.schema
      .createIndex('webhook_inbox_pbx_call_id_idx')
      .on('webhook_inbox')
      .column('pbx_call_id')
      .execute();
    await db.schema
      .createIndex('webhook_inbox_received_at_idx')
      .on('webhook_inbox')
      .column('received_at')
      .execute();

    await db.schema
      .createTable('calls')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('pbx_call_id', 'text', (c) => c.notNull().unique())
      .addColumn('direction', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('call_start', 'text')
      .addColumn('started_at', ts)
      .addColumn('caller_id', 'text')
      .addColumn('destination', 'text')
      .addColumn('client_number', 'text')
      .addColumn('client_e164', 'text')
      .addColumn('did_number', 'text')
      .addColumn('ringing_extensions', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('origin_extension', 'text')
      .addColumn('answered_at', ts)
      .addColumn('answered_by', 'text')
      .addColumn('disposition', 'text')
      .addColumn('duration', 'integer')
      .addColumn('status_code', 'text')
      .addColumn('ended_at', ts)
      .addColumn('is_recorded', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('recording_ids', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('calltype', 'text')
      .addColumn('events', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('contact_id', 'text', (c) => c.references('contacts.id').onDelete('set null'))
      .addColumn('agent_user_id', 'text', (c) => c.references('users.id').onDelete('set null'))
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', ts, (c) => c.notNull())
      .addColumn('updated_at', ts, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('calls_started_at_idx').on('calls').columns(['started_at', 'id']).execute();
    await db.schema.createIndex('calls_client_e164_idx').on('calls').column('client_e164').execute();
    await db.schema.createIndex('calls_contact_id_idx').on('calls').column('contact_id').execute();
    await db.schema.createIndex('calls_agent_user_id_idx').on('calls').column('agent_user_id').execute();
    await db.schema.createIndex('calls_status_idx').on('calls').columns(['status', 'started_at']).execute();

    await db.schema
      .createTable('extension_assignments')
      .addColumn('extension', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull().unique().references('users.id').onDelete('cascade'))
      .addColumn('created_at', ts, (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('telephony_settings')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('api_key', 'text')
      .addColumn('api_secret_sealed', 'text')
      .addColumn('timezone', 'text', (c) => c.notNull().defaultTo('UTC+0'))
      .addColumn('route_to_responsible', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('caller_name', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('blacklist_enabled', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('return_timeout', 'integer', (c) => c.notNull().defaultTo(20))
      .addColumn('updated_at', ts, (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('blacklist')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('e164', 'text', (c) => c.notNull().unique())
      .addColumn('reason', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
      .addColumn('created_at', ts, (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('events')
      .addColumn('id', dialect === 'postgres' ? 'bigserial' : 'integer', (c) =>
        dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
      )
      .addColumn('topic', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('created_at', ts, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('events_created_at_idx').on('events').column('created_at').execute();
  },
};
