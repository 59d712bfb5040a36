/**
 * Leads and deals link to a contact and a company: both must exist, and both timelines show the record.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../../platform/db/schema.js';
import type { ActivityInput } from '../timeline/record-activity.js';
import { assertReference } from './validation.js';

/** The contact and company a lead or deal links to (null: none; undefined: not given). */
export interface RecordLinks {
  contactId?: string | null;
  companyId?: string | null;
}

/** Throws 400 naming `contactId` or `companyId` when the linked record does not exist. Why: no foreign-key 500. */
export async function assertLinkedRecords(db: Kysely<Database>, links: RecordLinks): Promise<void> {
  await assertReference(db, 'contacts', links.contactId, 'contactId');
  await assertReference(db, 'companies', links.companyId, 'companyId');
}

/**
 * The timeline events of a lead's or deal's linked contact and company (contact first).
 * Why: a contact's and a company's timelines list their leads and deals.
 */
export function linkedRecordEvents(
  links: RecordLinks,
  kind: 'lead' | 'deal',
  base: Omit<ActivityInput, 'subjectType' | 'subjectId' | 'kind'>,
): ActivityInput[] {
  const out: ActivityInput[] = [];
  if (links.contactId) {
    out.push({ ...base, subjectType: 'contact', subjectId: links.contactId, kind });
  }
  if (links.companyId) {
    out.push({ ...base, subjectType: 'company', subjectId: links.companyId, kind });
  }
  return out;
}
