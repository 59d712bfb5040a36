/**
 * Deletes a contact with its phones, emails, notes and timeline; tasks about it stay, detached.
 */
import type { Kysely } from 'kysely';
import type { Actor } from '../../../platform/auth/actor.js';
import type { Database } from '../../../platform/db/schema.js';
import { deleteOwnedRecord } from '../shared/owned-record.js';

/** Deletes the contact. Why: GDPR erasure and clean-up; agents only theirs or unassigned ones. */
export async function deleteContact(options: {
  db: Kysely<Database>;
  actor: Actor;
  id: string;
}): Promise<void> {
  // Phones and emails cascade with the row.
  await deleteOwnedRecord({ ...options, entity: 'contact' });
}
