/**
 * A contact's timeline, newest first (`GET /api/contacts/:id/timeline`): 404 when there is no such contact, so an
 * empty list always means a contact with no history yet. Calls on it follow who may read them (list-timeline.ts).
 */
import type { Kysely } from 'kysely';
import type { Actor } from '../../../platform/auth/actor.js';
import type { Database } from '../../../platform/db/schema.js';
import { notFound } from '../shared/validation.js';
import { listTimeline } from '../timeline/list-timeline.js';

export async function readContactTimeline(db: Kysely<Database>, contactId: string, viewer: Actor) {
  const exists = await db.selectFrom('contacts').select('id').where('id', '=', contactId).executeTakeFirst();
  if (!exists) {
    throw notFound('contact', contactId);
  }
  return listTimeline(db, 'contact', contactId, viewer);
}
