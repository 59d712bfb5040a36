/**
 * After the call (issue 12, items 6 and 9): the open missed-call loop of each client number (one callback task,
 * the missed calls it counts), and the new callers the automation or an admin decided about.
 * Why keyed by the number: "one task per client" and "never a duplicate record for one number" are each one
 * primary key, so two calls processed at once settle on one row on both dialects (an upsert, no lock).
 */
import type { Kysely, Migration } from 'kysely';
import { dialectOf, timestampType } from '../column-types.js';

export const migration0014AfterCall: Migration = {
  async up(db: Kysely<unknown>) {
    const ts = timestampType(dialectOf(db));
    await db.schema
      .createTable('callback_loops')
      .addColumn('client_e164', 'text', (c) => c.primaryKey())
      .addColumn('task_id', 'text', (c) => c.notNull())
      .addColumn('missed_calls', 'integer', (c) => c.notNull())
      .addColumn('first_call_id', 'text', (c) => c.notNull())
      .addColumn('last_call_id', 'text', (c) => c.notNull())
      .addColumn('first_missed_at', ts, (c) => c.notNull())
      .addColumn('last_missed_at', ts, (c) => c.notNull())
      .addColumn('due_at', ts, (c) => c.notNull())
      .addColumn('escalated_at', ts)
      .execute();
    await db.schema.createIndex('callback_loops_task_idx').on('callback_loops').column('task_id').execute();
    // Each missed call counted once, whatever a retried job does.
    await db.schema
      .createTable('callback_loop_calls')
      .addColumn('call_id', 'text', (c) => c.primaryKey())
      .addColumn('client_e164', 'text', (c) => c.notNull())
      .addColumn('task_id', 'text', (c) => c.notNull())
      .addColumn('at', ts, (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('new_callers')
      .addColumn('client_e164', 'text', (c) => c.primaryKey())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('calls', 'integer', (c) => c.notNull())
      .addColumn('short_calls', 'integer', (c) => c.notNull())
      .addColumn('first_call_id', 'text', (c) => c.notNull())
      .addColumn('last_call_id', 'text', (c) => c.notNull())
      .addColumn('last_direction', 'text', (c) => c.notNull())
      .addColumn('last_status', 'text', (c) => c.notNull())
      .addColumn('agent_user_id', 'text')
      .addColumn('record_type', 'text')
      .addColumn('record_id', 'text')
      .addColumn('decided_by', 'text')
      .addColumn('decided_at', ts)
      .addColumn('first_call_at', ts, (c) => c.notNull())
      .addColumn('last_call_at', ts, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('new_callers_status_idx')
      .on('new_callers')
      .columns(['status', 'last_call_at'])
      .execute();
    // Which calls were counted: a retried job counts nothing twice.
    await db.schema
      .createTable('new_caller_calls')
      .addColumn('call_id', 'text', (c) => c.primaryKey())
      .addColumn('client_e164', 'text', (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('new_caller_calls').execute();
    await db.schema.dropTable('new_callers').execute();
    await db.schema.dropTable('callback_loop_calls').execute();
    await db.schema.dropTable('callback_loops').execute();
  },
};
