/**
 * Creates a contact (phones normalised to E.164 with the default country, search index, timeline entry).
 */
import type { Kysely } from 'kysely';
import { type Actor, actorUserId, refuseApiClient } from '../../../platform/auth/actor.js';
import { inTransaction } from '../../../platform/db/in-transaction.js';
import type { Database } from '../../../platform/db/schema.js';
import { newId } from '../../../platform/ids.js';
import { resolveOwner } from '../shared/record-access.js';
import { assertReference, invalidField } from '../shared/validation.js';
import { recordActivities } from '../timeline/record-activity.js';
import { type ContactData, displayNameOf, findContact, insertContact } from './contact-repository.js';
import type { Contact, ContactCreate } from './contact-schemas.js';
import { requireDialablePhones } from './dialable-phones.js';

export interface CreateContactOptions {
  db: Kysely<Database>;
  actor: Actor;
  input: ContactCreate;
  defaultCountry: string;
  now?: Date;
}

/** Creates a contact and returns it. Why: the one path for the form, the API and the CSV import. */
export async function createContact(options: CreateContactOptions): Promise<Contact> {
  const { db, actor, input, defaultCountry } = options;
  refuseApiClient(actor, 'create contacts');
  const data = await contactDataFromCreate(db, actor, input);
  requireDialablePhones(data.phones, defaultCountry);
  const id = newId();
  const now = (options.now ?? new Date()).toISOString();
  await inTransaction(db, async (trx) => {
    await insertContact(trx, id, data, now, defaultCountry);
    await recordActivities(trx, [
      {
        subjectType: 'contact',
        subjectId: id,
        kind: 'created',
        actorId: actorUserId(actor),
        at: now,
        title: `Contact ${data.displayName} created`,
        event: { type: 'contact.created', params: { name: data.displayName } },
      },
    ]);
  });
  return (await findContact(db, id)) as Contact;
}

/** Validates a create body into stored fields (name required, references exist, owner allowed). */
async function contactDataFromCreate(
  db: Kysely<Database>,
  actor: Actor,
  input: ContactCreate,
): Promise<ContactData> {
  const displayName = displayNameOf(input.firstName, input.lastName, input.displayName);
  if (!displayName) {
    invalidField('firstName', 'a contact needs a first name, a last name or a display name', 'name_required');
  }
  const responsibleUserId = resolveOwner(actor, input.responsibleUserId, 'responsibleUserId') ?? null;
  await assertReference(db, 'companies', input.companyId, 'companyId');
  await assertReference(db, 'users', responsibleUserId, 'responsibleUserId');
  return {
    firstName: input.firstName,
    lastName: input.lastName,
    displayName,
    companyId: input.companyId ?? null,
    responsibleUserId,
    notes: input.notes,
    doNotCall: input.doNotCall,
    phones: input.phones,
    emails: input.emails,
  };
}
