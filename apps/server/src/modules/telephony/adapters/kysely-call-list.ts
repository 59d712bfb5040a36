/** `CallListPages` and `CallNotes` over Kysely (ports/call-list.ts). */
import type { Kysely } from 'kysely';
import type { Database } from '../../../platform/db/schema.js';
import { newId } from '../../../platform/ids.js';
import { countRows } from '../../crm/shared/paging.js';
import type { CallListPages, CallNotes } from '../ports.js';
import { scopeCondition } from './kysely-call-visibility.js';

export function createKyselyCallListPages(db: Kysely<Database>): CallListPages {
  return {
    async page(scope, { contactId, userId, direction, status, page, pageSize }) {
      let base = db.selectFrom('calls as k');
      const readable = scopeCondition(scope, { agentUserId: 'k.agent_user_id', contactId: 'k.contact_id' });
      if (readable) {
        base = base.where(readable);
      }
      if (contactId) {
        base = base.where('k.contact_id', '=', contactId);
      }
      if (userId) {
        base = base.where('k.agent_user_id', '=', userId);
      }
      if (direction) {
        base =
          direction === 'out'
            ? base.where('k.direction', '=', 'outbound')
            : base.where('k.direction', '!=', 'outbound');
      }
      if (status) {
        base = base.where('k.status', '=', status);
      }
      const [total, rows] = await Promise.all([
        countRows(base),
        base
          .select(['k.id'])
          .orderBy('k.started_at', 'desc')
          .orderBy('k.id', 'desc')
          .limit(pageSize)
          .offset((page - 1) * pageSize)
          .execute(),
      ]);
      return { ids: rows.map((r) => r.id), total };
    },
  };
}

export function createKyselyCallNotes(db: Kysely<Database>): CallNotes {
  return {
    async save({ callId, body, authorId, at }) {
      const existing = await db
        .selectFrom('notes')
        .select('id')
        .where('subject_type', '=', 'call')
        .where('subject_id', '=', callId)
        .orderBy('created_at')
        .executeTakeFirst();
      if (existing) {
        await db.updateTable('notes').set({ body }).where('id', '=', existing.id).execute();
        return;
      }
      await db
        .insertInto('notes')
        .values({
          id: newId(),
          subject_type: 'call',
          subject_id: callId,
          body,
          author_id: authorId,
          created_at: at,
        })
        .execute();
    },
  };
}
