/**
 * The contacts that already own a phone number or an email: the contact form warns before a duplicate is
 * saved, and the phone lookup offers every contact sharing a caller's number instead of silently the oldest.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../../platform/db/schema.js';
import { cachedNormalize } from './find-contact-by-phone.js';

/** At most this many contacts are named per check: a warning, not a list. */
const MAX_DUPLICATES = 10;

export interface DuplicateContact {
  readonly id: string;
  readonly displayName: string;
  readonly responsibleUserId: string | null;
  /** The E.164 numbers and the emails it shares with what was asked. */
  readonly phones: string[];
  readonly emails: string[];
}

export interface FindDuplicateContactsOptions {
  readonly db: Kysely<Database>;
  readonly phones: readonly string[];
  readonly emails: readonly string[];
  readonly defaultCountry: string;
  /** The contact being edited, never its own duplicate. */
  readonly excludeId?: string | undefined;
}

/**
 * Contacts sharing any of the numbers (compared as E.164, so every written form matches) or emails (compared
 * lower-case, as stored), oldest first. Two indexed lookups (`contact_phones_e164_idx`, `contact_emails_email_idx`).
 */
export async function findDuplicateContacts(
  options: FindDuplicateContactsOptions,
): Promise<DuplicateContact[]> {
  const { db, defaultCountry, excludeId } = options;
  const numbers = [
    ...new Set(
      options.phones.map((raw) => cachedNormalize(raw, defaultCountry)).filter((e): e is string => !!e),
    ),
  ];
  const emails = [...new Set(options.emails.map((e) => e.trim().toLowerCase()).filter(Boolean))];
  const [phoneRows, emailRows] = await Promise.all([
    numbers.length === 0
      ? []
      : db
          .selectFrom('contact_phones')
          .select(['contact_id', 'e164'])
          .where('e164', 'in', numbers)
          .$if(excludeId !== undefined, (q) => q.where('contact_id', '!=', excludeId as string))
          .orderBy('contact_id')
          .limit(MAX_DUPLICATES * 4)
          .execute(),
    emails.length === 0
      ? []
      : db
          .selectFrom('contact_emails')
          .select(['contact_id', 'email'])
          .where('email', 'in', emails)
          .$if(excludeId !== undefined, (q) => q.where('contact_id', '!=', excludeId as string))
          .orderBy('contact_id')
          .limit(MAX_DUPLICATES * 4)
          .execute(),
  ]);
  const shared = new Map<string, { phones: Set<string>; emails: Set<string> }>();
  const entry = (id: string) => {
    let found = shared.get(id);
    if (!found) {
      found = { phones: new Set(), emails: new Set() };
      shared.set(id, found);
    }
    return found;
  };
  for (const row of phoneRows) {
    entry(row.contact_id).phones.add(row.e164 as string);
  }
  for (const row of emailRows) {
    entry(row.contact_id).emails.add(row.email);
  }
  const ids = [...shared.keys()].sort().slice(0, MAX_DUPLICATES);
  if (ids.length === 0) {
    return [];
  }
  const contacts = await db
    .selectFrom('contacts')
    .select(['id', 'display_name', 'responsible_user_id'])
    .where('id', 'in', ids)
    .orderBy('id')
    .execute();
  return contacts.map((c) => {
    const found = shared.get(c.id) as { phones: Set<string>; emails: Set<string> };
    return {
      id: c.id,
      displayName: c.display_name,
      responsibleUserId: c.responsible_user_id,
      phones: [...found.phones],
      emails: [...found.emails],
    };
  });
}
