/**
 * Kysely adapter of `CallLogReader`: the call log's keyset pages over the calls table, newest or oldest first,
 * with every filter as a condition the indexes of migrations 0005 and 0011 serve (start time; attributed
 * extension, agent, contact and client number each with the start time), and the calls a missed call's fate
 * is decided by.
 */
import { type Kysely, type SqlBool, sql } from 'kysely';
import type { Actor } from '../../../platform/auth/actor.js';
import { dialectOf } from '../../../platform/db/column-types.js';
import type { Database } from '../../../platform/db/schema.js';
import { eventFromPayload } from '../../crm/timeline/record-activity.js';
import { isConnectedStatus } from '../domain/missed-call-classification.js';
import type { CallLogReader, CallTraceEntry } from '../ports.js';
import { toStoredCall } from './kysely-call-repository.js';
import { callReadableBy } from './kysely-call-visibility.js';
import { missedCall, missedCallOfClass, missedNotReturned } from './missed-call-condition.js';

const MAX_PAGE = 500;

/** Creates the call log reader over the app's database (either dialect). */
export function createKyselyCallLog(db: Kysely<Database>): CallLogReader {
  return {
    async page(reader: Actor, query) {
      let q = db.selectFrom('calls as k').selectAll('k').where('k.started_at', 'is not', null);
      const readable = callReadableBy(reader, { agentUserId: 'k.agent_user_id', contactId: 'k.contact_id' });
      if (readable) {
        q = q.where(readable);
      }
      if (query.from) {
        q = q.where('k.started_at', '>=', query.from);
      }
      if (query.to) {
        q = q.where('k.started_at', '<', query.to);
      }
      if (query.extension) {
        q = q.where('k.agent_extension', '=', query.extension);
      }
      if (query.userId) {
        q = q.where('k.agent_user_id', '=', query.userId);
      }
      if (query.direction) {
        q =
          query.direction === 'out'
            ? q.where('k.direction', '=', 'outbound')
            : q.where('k.direction', '!=', 'outbound');
      }
      if (query.notReturned) {
        q = q.where(missedNotReturned('k'));
      } else if (query.outcome === 'missed') {
        q = q.where(missedCall('k'));
      }
      if (query.fate) {
        q = q.where(
          missedCallOfClass('k', query.fate.class, query.fate.returnWithinMinutes, dialectOf(db as never)),
        );
      }
      if (query.outcome && query.outcome !== 'missed') {
        q = q.where('k.outcome', '=', query.outcome);
      }
      if (query.contactId) {
        q = q.where('k.contact_id', '=', query.contactId);
      }
      if (query.clientE164) {
        q = q.where('k.client_e164', '=', query.clientE164);
      }
      if (query.callIds) {
        q = q.where('k.id', 'in', query.callIds);
      }
      if (query.hasRecording !== undefined) {
        q = q.where('k.is_recorded', '=', query.hasRecording ? 1 : 0);
      }
      const newest = query.order === 'newest';
      if (query.after) {
        const { startedAt, id } = query.after;
        q = newest
          ? q.where(
              sql<SqlBool>`(k.started_at < ${startedAt} or (k.started_at = ${startedAt} and k.id < ${id}))`,
            )
          : q.where(
              sql<SqlBool>`(k.started_at > ${startedAt} or (k.started_at = ${startedAt} and k.id > ${id}))`,
            );
      }
      const rows = await q
        .orderBy('k.started_at', newest ? 'desc' : 'asc')
        .orderBy('k.id', newest ? 'desc' : 'asc')
        .limit(Math.min(Math.max(query.limit, 1), MAX_PAGE))
        .execute();
      return rows.map((row) => toStoredCall(row));
    },

    async followUps(clientE164, after, limit) {
      const rows = await db
        .selectFrom('calls')
        .select(['started_at', 'direction', 'status'])
        .where('client_e164', '=', clientE164)
        .where('started_at', '>', after)
        .orderBy('started_at')
        .limit(limit)
        .execute();
      return rows.map((r) => ({
        startedAt: r.started_at as string,
        direction:
          r.direction === 'outbound' ? 'outbound' : r.direction === 'inbound' ? 'inbound' : 'unknown',
        // Connected, as the fold's upkeep of missed calls' returns counts it (one rule).
        answered: isConnectedStatus(r.status),
      }));
    },

    async trace(callId) {
      const rows = await db
        .selectFrom('activities')
        .select(['at', 'title', 'body', 'payload'])
        .where('subject_type', '=', 'call')
        .where('subject_id', '=', callId)
        .orderBy('at')
        .limit(200)
        .execute();
      return rows.map((r): CallTraceEntry => {
        const event = eventFromPayload(r.payload);
        return {
          at: r.at,
          type: event?.type ?? 'unknown',
          params: event?.params ?? {},
          text: r.body ?? r.title,
        };
      });
    },
  };
}
