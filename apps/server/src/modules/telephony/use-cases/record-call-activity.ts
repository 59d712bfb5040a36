/**
 * Puts a finished call on its contact's timeline (`kind: 'call'`, `ref: {type: 'call', id}`), replacing the
 * item when a late or repeated notification changes the outcome, so each call appears once.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../../platform/db/schema.js';
import { recordActivities, type TimelineEvent } from '../../crm/timeline/record-activity.js';
import type { StoredCall } from '../ports.js';
import { formatDuration } from './call-view.js';

const FINAL = new Set(['answered', 'missed', 'busy', 'failed', 'no_answer']);

/** The timeline title, e.g. "Incoming call — answered by Olga, 1:07". */
function callTitle(call: StoredCall, agentName: string | null): string {
  const kind = call.direction === 'outbound' ? 'Outgoing call' : 'Incoming call';
  switch (call.status) {
    case 'answered': {
      const who = agentName ?? (call.answeredBy ? `extension ${call.answeredBy}` : null);
      const length = call.duration !== null ? `, ${formatDuration(call.duration)}` : '';
      return who ? `${kind} — answered by ${who}${length}` : `${kind} — answered${length}`;
    }
    case 'missed':
      return `${kind} — missed`;
    case 'no_answer':
      return `${kind} — no answer`;
    case 'busy':
      return `${kind} — busy`;
    case 'failed':
      return `${kind} — failed (${call.disposition ?? 'unknown'})`;
    default:
      return kind;
  }
}

/** The structured form of `callTitle`, e.g. `{type:'call.ended', params:{direction:'in', status:'answered', agent:'Olga', duration:67}}`. Why: clients phrase it in the reader's language. */
function callEvent(call: StoredCall, agentName: string | null): TimelineEvent {
  const params: Record<string, string | number> = {
    direction: call.direction === 'outbound' ? 'out' : 'in',
    status: call.status,
  };
  if (agentName) {
    params.agent = agentName;
  } else if (call.answeredBy) {
    params.extension = call.answeredBy;
  }
  if (call.duration !== null) {
    params.duration = call.duration;
  }
  if (call.status === 'failed') {
    params.disposition = call.disposition ?? 'unknown';
  }
  return { type: 'call.ended', params };
}

/**
 * Writes (or rewrites) the call's item on its contact's timeline once the call has ended.
 * Why: the contact page shows every call with its outcome (issue 5).
 */
export async function recordCallActivity(db: Kysely<Database>, call: StoredCall): Promise<void> {
  if (!call.contactId || !FINAL.has(call.status)) {
    return;
  }
  const agent = call.agentUserId
    ? await db.selectFrom('users').select('name').where('id', '=', call.agentUserId).executeTakeFirst()
    : undefined;
  await db
    .deleteFrom('activities')
    .where('ref_type', '=', 'call')
    .where('ref_id', '=', call.id)
    .where('kind', '=', 'call')
    .execute();
  await recordActivities(db, [
    {
      subjectType: 'contact',
      subjectId: call.contactId,
      kind: 'call',
      actorId: call.agentUserId,
      at: call.startedAt ?? call.createdAt,
      title: callTitle(call, agent?.name ?? null),
      event: callEvent(call, agent?.name ?? null),
      ref: { type: 'call', id: call.id },
      payload: { status: call.status, duration: call.duration, disposition: call.disposition },
    },
  ]);
}
