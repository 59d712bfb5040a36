/**
 * Changes a contact: only the given fields; phones/emails, when given, replace the lists. Writes an
 * `updated` timeline entry naming the changed fields.
 */
import type { Kysely } from 'kysely';
import { type Actor, actorUserId } from '../../../platform/auth/actor.js';
import type { Database } from '../../../platform/db/schema.js';
import { changeableRecord, updatedActivity } from '../shared/owned-record.js';
import { resolveOwner } from '../shared/record-access.js';
import { assertReference, invalidField } from '../shared/validation.js';
import { recordActivities } from '../timeline/record-activity.js';
import { type ContactData, displayNameOf, findContact, updateContactRow } from './contact-repository.js';
import type { Contact, ContactPatch } from './contact-schemas.js';
import { requireDialablePhones } from './dialable-phones.js';

export interface UpdateContactOptions {
  db: Kysely<Database>;
  actor: Actor;
  id: string;
  patch: ContactPatch;
  defaultCountry: string;
  now?: Date;
}

function sameList<T>(a: readonly T[], b: readonly T[], key: (x: T) => string): boolean {
  return a.length === b.length && a.every((x, i) => key(x) === key(b[i] as T));
}

/** Applies a patch and returns the contact. Why: the edit form and integrations change contacts. */
export async function updateContact(options: UpdateContactOptions): Promise<Contact> {
  const { db, actor, id, patch, defaultCountry } = options;
  const existing = changeableRecord(actor, 'contact', id, await findContact(db, id));
  const responsibleUserId = resolveOwner(
    actor,
    patch.responsibleUserId,
    'responsibleUserId',
    existing.responsibleUserId,
  );
  await assertReference(db, 'companies', patch.companyId, 'companyId');
  await assertReference(db, 'users', responsibleUserId, 'responsibleUserId');
  const firstName = patch.firstName ?? existing.firstName;
  const lastName = patch.lastName ?? existing.lastName;
  // A display name that was derived from the names follows them unless a new one is given.
  const wasDerived = existing.displayName === displayNameOf(existing.firstName, existing.lastName);
  const displayName = displayNameOf(
    firstName,
    lastName,
    patch.displayName ?? (wasDerived ? undefined : existing.displayName),
  );
  if (!displayName) {
    invalidField('firstName', 'a contact needs a first name, a last name or a display name', 'name_required');
  }
  if (patch.phones) {
    requireDialablePhones(patch.phones, defaultCountry, new Set(existing.phones.map((p) => p.raw)));
  }
  const data: ContactData = {
    firstName,
    lastName,
    displayName,
    companyId: patch.companyId === undefined ? existing.companyId : patch.companyId,
    responsibleUserId: responsibleUserId === undefined ? existing.responsibleUserId : responsibleUserId,
    notes: patch.notes ?? existing.notes,
    doNotCall: patch.doNotCall ?? existing.doNotCall,
    phones: patch.phones ?? existing.phones.map((p) => ({ raw: p.raw, label: p.label })),
    emails: patch.emails ?? existing.emails.map((e) => ({ email: e.email, label: e.label })),
  };
  const changed = [
    data.firstName !== existing.firstName && 'firstName',
    data.lastName !== existing.lastName && 'lastName',
    data.displayName !== existing.displayName && 'displayName',
    data.companyId !== existing.companyId && 'companyId',
    data.responsibleUserId !== existing.responsibleUserId && 'responsibleUserId',
    data.notes !== existing.notes && 'notes',
    data.doNotCall !== existing.doNotCall && 'doNotCall',
    !sameList(data.phones, existing.phones, (p) => `${p.raw}|${p.label}`) && 'phones',
    !sameList(data.emails, existing.emails, (e) => `${e.email.toLowerCase()}|${e.label}`) && 'emails',
  ].filter((f): f is string => typeof f === 'string');
  if (changed.length === 0) {
    return existing;
  }
  const now = (options.now ?? new Date()).toISOString();
  await db.transaction().execute(async (trx) => {
    await updateContactRow(trx, id, data, now, defaultCountry);
    await recordActivities(trx, [updatedActivity('contact', id, actorUserId(actor), now, changed)]);
  });
  return (await findContact(db, id)) as Contact;
}
