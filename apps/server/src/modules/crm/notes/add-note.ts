/** Adds a note to a record; it appears on the record's timeline. */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { type Actor, actorUserId, refuseApiClient } from '../../../platform/auth/actor.js';
import { inTransaction } from '../../../platform/db/in-transaction.js';
import type { Database } from '../../../platform/db/schema.js';
import { newId } from '../../../platform/ids.js';
import { canReadCall } from '../../telephony/adapters/kysely-call-visibility.js';
import { assertReference, notFound } from '../shared/validation.js';
import { recordActivities } from '../timeline/record-activity.js';

const NOTE_SUBJECT_TYPES = ['contact', 'company', 'lead', 'deal', 'call'] as const;

export const NoteCreate = z
  .object({
    subjectType: z.enum(NOTE_SUBJECT_TYPES),
    subjectId: z.string().min(1),
    body: z.string().trim().min(1, 'must not be empty').max(20_000),
  })
  .strict();
export type NoteCreate = z.infer<typeof NoteCreate>;

export const Note = z.object({
  id: z.string(),
  subjectType: z.enum(NOTE_SUBJECT_TYPES),
  subjectId: z.string(),
  body: z.string(),
  authorId: z.string().nullable(),
  createdAt: z.string(),
});
export type Note = z.infer<typeof Note>;

const SUBJECT_TABLE = { contact: 'contacts', lead: 'leads', deal: 'deals', company: 'companies' } as const;

/**
 * Adds a note and returns it; a call must exist and be readable by the user (404 otherwise, as `GET /api/calls/:id`).
 * Why: every signed-in user may annotate any record they can see, and only those.
 */
export async function addNote(options: {
  db: Kysely<Database>;
  actor: Actor;
  input: NoteCreate;
  now?: Date;
}): Promise<Note> {
  const { db, actor, input } = options;
  refuseApiClient(actor, 'add notes');
  if (input.subjectType === 'call') {
    if (!(await canReadCall(db, actor, input.subjectId))) {
      throw notFound('call', input.subjectId);
    }
  } else {
    await assertReference(db, SUBJECT_TABLE[input.subjectType], input.subjectId, 'subjectId');
  }
  const id = newId();
  const now = (options.now ?? new Date()).toISOString();
  await inTransaction(db, async (trx) => {
    await trx
      .insertInto('notes')
      .values({
        id,
        subject_type: input.subjectType,
        subject_id: input.subjectId,
        body: input.body,
        author_id: actorUserId(actor),
        created_at: now,
      })
      .execute();
    const firstLine = input.body.split('\n')[0] ?? '';
    await recordActivities(trx, [
      {
        subjectType: input.subjectType,
        subjectId: input.subjectId,
        kind: 'note',
        actorId: actorUserId(actor),
        at: now,
        title: firstLine.length > 80 ? `${firstLine.slice(0, 79)}…` : firstLine,
        body: input.body,
        ref: { type: 'note', id },
      },
    ]);
  });
  return {
    id,
    subjectType: input.subjectType,
    subjectId: input.subjectId,
    body: input.body,
    authorId: actorUserId(actor),
    createdAt: now,
  };
}
