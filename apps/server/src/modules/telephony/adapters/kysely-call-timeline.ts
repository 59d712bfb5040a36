/**
 * The `CallTimeline` port on the CRM's timeline (`activities`, through crm/timeline/record-activity.ts): a
 * finished call's item on its contact's timeline, and the NOTIFY_START decision on the call's trace.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../../platform/db/schema.js';
import { recordActivities } from '../../crm/timeline/record-activity.js';
import type { CallTimeline } from '../ports.js';
import { decisionTraceEntry, routingTraceEntries } from './call-trace-entries.js';

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
    async recordRoutingDecision(item) {
      // One item per step taken or skipped (call-trace-entries.ts), each a code and its parameters
      // (`call.routing.offline`, {extension: '102'}), rendered in the reader's language; the first carries the
      // reply as sent.
      await recordActivities(
        db,
        routingTraceEntries(item).map((entry, index) => ({
          subjectType: 'call' as const,
          subjectId: item.callId,
          kind: 'updated' as const,
          actorId: null,
          at: entry.at,
          title: 'NOTIFY_START routing decision',
          event: { type: entry.type, params: { ...entry.params } },
          body: entry.text,
          ...(index === 0 ? { payload: { reply: item.reply, reason: item.reason } } : {}),
        })),
      );
    },
    async recordDecision(item) {
      const entry = decisionTraceEntry(item);
      await recordActivities(db, [
        {
          subjectType: 'call',
          subjectId: item.callId,
          kind: 'updated',
          actorId: item.actorId ?? null,
          at: entry.at,
          // The title is for logs and old clients; the web renders `event` in the reader's language.
          title: entry.text ?? item.code,
          event: { type: entry.type, params: { ...entry.params } },
        },
      ]);
    },
  };
}
