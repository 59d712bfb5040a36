/**
 * The `CallTimeline` port on the CRM's timeline (`activities`, through crm/timeline/record-activity.ts): a
 * finished call's item on its contact's timeline, and the NOTIFY_START decision on the call's trace.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../../platform/db/schema.js';
import { recordActivities } from '../../crm/timeline/record-activity.js';
import type { CallTimeline } from '../ports.js';

/**
 * The timeline over `db` (the app's database or a batch's transaction).
 * Why: each call appears once on its contact's page, with its latest outcome.
 */
export function createKyselyCallTimeline(db: Kysely<Database>): CallTimeline {
  return {
    async putCall(item) {
      await db
        .deleteFrom('activities')
        .where('ref_type', '=', 'call')
        .where('ref_id', '=', item.callId)
        .where('kind', '=', 'call')
        .execute();
      await recordActivities(db, [
        {
          subjectType: 'contact',
          subjectId: item.contactId,
          kind: 'call',
          actorId: item.actorId,
          at: item.at,
          title: item.title,
          event: { type: item.event.type, params: { ...item.event.params } },
          ref: { type: 'call', id: item.callId },
          payload: item.payload,
        },
      ]);
    },
    async recordCallTrace(item) {
      await recordActivities(db, [
        {
          subjectType: 'call',
          subjectId: item.callId,
          kind: 'updated',
          actorId: item.actorId,
          at: item.at,
          title: item.kind,
          event: { type: item.kind, params: { ...item.params } },
        },
      ]);
    },
    async recordRoutingDecision(item) {
      await recordActivities(db, [
        {
          subjectType: 'call',
          subjectId: item.callId,
          kind: 'updated',
          actorId: null,
          at: item.at,
          title: 'NOTIFY_START routing decision',
          event: { type: 'call.routing', params: {} },
          body: item.reason,
          payload: { reply: item.reply },
        },
      ]);
    },
  };
}
