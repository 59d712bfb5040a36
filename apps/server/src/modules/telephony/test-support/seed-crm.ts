/**
 * Seeds the CRM rows the webhook path reads (a company, a contact with phones) through the CRM's own
 * repositories. Why: the ports' contract suites fill the real adapters and the in-memory ones alike.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../../platform/db/schema.js';
import { newId } from '../../../platform/ids.js';
import { insertContact } from '../../crm/contacts/contact-repository.js';

/** Inserts a company row and returns its id. */
export async function seedCompany(db: Kysely<Database>, name: string): Promise<string> {
  const id = newId();
  const now = new Date().toISOString();
  await db
    .insertInto('companies')
    .values({
      id,
      name,
      sort_key: name.toLowerCase(),
      website: '',
      phone: '',
      address: '',
      notes: '',
      responsible_user_id: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}

/** Inserts a contact with its phones (normalised to E.164 with FR as the default country) and returns its id. */
export async function seedContact(
  db: Kysely<Database>,
  contact: {
    readonly displayName: string;
    readonly phones: readonly string[];
    readonly companyId?: string | null;
    readonly responsibleUserId?: string | null;
    readonly doNotCall?: boolean;
  },
): Promise<string> {
  const id = newId();
  const [firstName = '', lastName = ''] = contact.displayName.split(' ');
  await insertContact(
    db,
    id,
    {
      firstName,
      lastName,
      displayName: contact.displayName,
      companyId: contact.companyId ?? null,
      responsibleUserId: contact.responsibleUserId ?? null,
      notes: '',
      doNotCall: contact.doNotCall ?? false,
      phones: contact.phones.map((raw) => ({ raw, label: 'mobile' })),
      emails: [],
    },
    new Date().toISOString(),
    'FR',
  );
  return id;
}
