/**
 * Merges a duplicate contact into the one kept: its phones and emails (those the kept one lacks), deals, leads,
 * calls, tasks, notes and timeline move over, empty fields are filled from it, and the duplicate is deleted —
 * all in one transaction, so a failure leaves both contacts as they were.
 */
import type { Kysely } from 'kysely';
import { type Actor, actorUserId, refuseApiClient } from '../../../platform/auth/actor.js';
import { inTransaction } from '../../../platform/db/in-transaction.js';
import type { Database } from '../../../platform/db/schema.js';
import { normalizePhone } from '../phones/normalize-phone.js';
import { deleteSearchTokens } from '../search/search-index.js';
import { changeableRecord } from '../shared/owned-record.js';
import { invalidField } from '../shared/validation.js';
import { recordActivities } from '../timeline/record-activity.js';
import { type ContactData, findContact, updateContactRow } from './contact-repository.js';
import type { Contact } from './contact-schemas.js';

export interface MergeContactsOptions {
  readonly db: Kysely<Database>;
  readonly actor: Actor;
  /** The contact that stays. */
  readonly keepId: string;
  /** The duplicate, deleted once everything it had is on the kept one. */
  readonly mergeId: string;
  readonly defaultCountry: string;
  readonly now?: Date;
}

/** At most 20 phones and 20 emails per contact (the contract's limit); the kept contact's come first. */
const MAX_ITEMS = 20;

/**
 * Merges and returns the kept contact. Both must be changeable by the actor (an agent merges only contacts that
 * are theirs or unassigned). Why a use case: a caller known twice gets two cards, two histories and a picker;
 * one merge makes it one again without losing a call, a deal or a note.
 */
export async function mergeContacts(options: MergeContactsOptions): Promise<Contact> {
  const { db, actor, keepId, mergeId, defaultCountry } = options;
  refuseApiClient(actor, 'merge contacts');
  if (keepId === mergeId) {
    invalidField('mergeId', 'a contact cannot be merged into itself', 'merge_same');
  }
  const keep = changeableRecord(actor, 'contact', keepId, await findContact(db, keepId));
  const merge = changeableRecord(actor, 'contact', mergeId, await findContact(db, mergeId));
  const phoneKey = (raw: string, e164: string | null) =>
    e164 ?? normalizePhone(raw, defaultCountry) ?? raw.trim();
  const keptPhones = new Set(keep.phones.map((p) => phoneKey(p.raw, p.e164)));
  const keptEmails = new Set(keep.emails.map((e) => e.email.toLowerCase()));
  const data: ContactData = {
    firstName: keep.firstName || merge.firstName,
    lastName: keep.lastName || merge.lastName,
    displayName: keep.displayName,
    companyId: keep.companyId ?? merge.companyId,
    responsibleUserId: keep.responsibleUserId ?? merge.responsibleUserId,
    notes: [keep.notes, merge.notes].filter((n) => n.trim()).join('\n\n'),
    // Either contact asking not to be called is enough.
    doNotCall: keep.doNotCall || merge.doNotCall,
    phones: [
      ...keep.phones.map((p) => ({ raw: p.raw, label: p.label })),
      ...merge.phones
        .filter((p) => !keptPhones.has(phoneKey(p.raw, p.e164)))
        .map((p) => ({ raw: p.raw, label: p.label })),
    ].slice(0, MAX_ITEMS),
    emails: [
      ...keep.emails.map((e) => ({ email: e.email, label: e.label })),
      ...merge.emails
        .filter((e) => !keptEmails.has(e.email.toLowerCase()))
        .map((e) => ({ email: e.email, label: e.label })),
    ].slice(0, MAX_ITEMS),
  };
  const now = (options.now ?? new Date()).toISOString();
  await inTransaction(db, async (trx) => {
    for (const table of ['deals', 'leads', 'calls'] as const) {
      await trx.updateTable(table).set({ contact_id: keepId }).where('contact_id', '=', mergeId).execute();
    }
    for (const table of ['tasks', 'notes', 'activities'] as const) {
      await trx
        .updateTable(table)
        .set({ subject_id: keepId })
        .where('subject_type', '=', 'contact')
        .where('subject_id', '=', mergeId)
        .execute();
    }
    await updateContactRow(trx, keepId, data, now, defaultCountry);
    await deleteSearchTokens(trx, 'contact', mergeId);
    // Its phones and emails cascade with the row.
    await trx.deleteFrom('contacts').where('id', '=', mergeId).execute();
    await recordActivities(trx, [
      {
        subjectType: 'contact',
        subjectId: keepId,
        kind: 'updated',
        actorId: actorUserId(actor),
        at: now,
        title: `Merged ${merge.displayName} into this contact`,
        event: { type: 'contact.merged', params: { name: merge.displayName } },
      },
    ]);
  });
  return (await findContact(db, keepId)) as Contact;
}
