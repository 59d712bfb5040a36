/** Deletes a lead with its notes and timeline. */
import type { Kysely } from 'kysely';
import type { Actor } from '../../../platform/auth/actor.js';
import type { Database } from '../../../platform/db/schema.js';
import { deleteOwnedRecord } from '../shared/owned-record.js';

/** Deletes the lead. Why: clean-up; agents only theirs or unassigned ones. */
export async function deleteLead(options: { db: Kysely<Database>; actor: Actor; id: string }): Promise<void> {
  await deleteOwnedRecord({ ...options, entity: 'lead' });
}
