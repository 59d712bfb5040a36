/**
 * Reads one record's timeline, newest first, with the actor's name.
 */
import type { Kysely } from 'kysely';
import type { ActivitiesTable, SubjectType } from '../../db/schema/crm.js';
import type { Database } from '../../db/schema.js';
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

/** The newest `limit` events of a record. Why: the record page shows its history. */
export async function listTimeline(
  db: Kysely<Database>,
  subjectType: SubjectType,
  subjectId: string,
  limit = 200,
): Promise<TimelineItem[]> {
  const rows = await db
    .selectFrom('activities as a')
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
