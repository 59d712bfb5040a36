/**
 * Reads one record's timeline, newest first, with the actor's name; call items only for readers of the call.
 */
import { type Kysely, sql } from 'kysely';
import { type Actor, refuseApiClient } from '../../../platform/auth/actor.js';
import type { ActivitiesTable, SubjectType } from '../../../platform/db/schema/crm.js';
import type { Database } from '../../../platform/db/schema.js';
import { callReadableBy } from '../../telephony/adapters/kysely-call-visibility.js';
import { eventFromPayload, type TimelineEvent } from './record-activity.js';

export interface TimelineItem {
  id: string;
  kind: ActivitiesTable['kind'];
  at: string;
  actor?: { id: string; name: string };
  title: string;
  body?: string;
  ref?: { type: string; id: string };
  event?: TimelineEvent;
}

/**
 * The newest `limit` events of a record that `viewer` may see: a call's item only when the viewer may read the
 * call (`callReadableBy`, the rule of `/api/calls`). Why: the record page shows its history, not other agents' calls.
 */
export async function listTimeline(
  db: Kysely<Database>,
  subjectType: SubjectType,
  subjectId: string,
  viewer: Actor,
  limit = 200,
): Promise<TimelineItem[]> {
  refuseApiClient(viewer, 'read timelines');
  const readable = callReadableBy(viewer, { agentUserId: 'k.agent_user_id', contactId: 'k.contact_id' });
  let q = db.selectFrom('activities as a');
  if (readable) {
    q = q.where(
      sql<boolean>`(a.kind <> 'call' or exists (select 1 from calls k where k.id = a.ref_id and ${readable}))`,
    );
  }
  const rows = await q
    .leftJoin('users as u', 'u.id', 'a.actor_id')
    .select([
      'a.id',
      'a.kind',
      'a.at',
      'a.actor_id',
      'u.name as actor_name',
      'a.title',
      'a.body',
      'a.ref_type',
      'a.ref_id',
      'a.payload',
    ])
    .where('a.subject_type', '=', subjectType)
    .where('a.subject_id', '=', subjectId)
    .orderBy('a.at', 'desc')
    .orderBy('a.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => {
    const event = eventFromPayload(r.payload);
    return {
      id: r.id,
      kind: r.kind,
      at: r.at,
      ...(r.actor_id && r.actor_name ? { actor: { id: r.actor_id, name: r.actor_name } } : {}),
      title: r.title,
      ...(r.body ? { body: r.body } : {}),
      ...(r.ref_type && r.ref_id ? { ref: { type: r.ref_type, id: r.ref_id } } : {}),
      ...(event ? { event } : {}),
    };
  });
}
