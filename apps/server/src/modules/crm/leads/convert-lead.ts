/**
 * Converts a lead: its contact (the linked one, or a new one made from the details given), a deal for it, and
 * the lead marked converted and linked to the contact — one transaction, so a refusal anywhere leaves nothing
 * half-made.
 */
import type { Kysely } from 'kysely';
import { type Actor, refuseApiClient } from '../../../platform/auth/actor.js';
import { inTransaction } from '../../../platform/db/in-transaction.js';
import type { Database } from '../../../platform/db/schema.js';
import { AppError } from '../../../platform/errors/errors.js';
import type { ContactCreate } from '../contacts/contact-schemas.js';
import { createContact } from '../contacts/create-contact.js';
import { createDeal } from '../deals/create-deal.js';
import type { Deal } from '../deals/deal-schemas.js';
import { changeableRecord } from '../shared/owned-record.js';
import { invalidField } from '../shared/validation.js';
import { findLead } from './lead-repository.js';
import type { Lead } from './lead-schemas.js';
import { updateLead } from './update-lead.js';

interface ConvertLeadInput {
  /** The contact to create when the lead has none (ignored when it has one). */
  readonly contact?: ContactCreate | undefined;
  /** The deal to open; null converts without one. Title defaults to the lead's. */
  readonly deal?: {
    title?: string | undefined;
    amount?: number | undefined;
    stageId?: string | undefined;
  } | null;
}

export interface ConvertLeadOptions {
  readonly db: Kysely<Database>;
  readonly actor: Actor;
  readonly id: string;
  readonly input: ConvertLeadInput;
  readonly defaultCountry: string;
}

/** Converts and returns the lead, its contact's id and the new deal. Agents convert theirs or unassigned leads. */
export async function convertLead(
  options: ConvertLeadOptions,
): Promise<{ lead: Lead; contactId: string; deal: Deal | null }> {
  const { db, actor, id, input, defaultCountry } = options;
  refuseApiClient(actor, 'convert leads');
  const lead = changeableRecord(actor, 'lead', id, await findLead(db, id));
  if (lead.status === 'converted') {
    throw new AppError('SB_ERR_CONFLICT', 'the lead is already converted');
  }
  if (!lead.contactId && !input.contact) {
    invalidField('contact', 'a lead without a contact needs the contact to create', 'contact_required');
  }
  return inTransaction(db, async (trx) => {
    const contactId =
      lead.contactId ??
      (
        await createContact({
          db: trx,
          actor,
          defaultCountry,
          input: {
            ...(input.contact as ContactCreate),
            companyId: input.contact?.companyId ?? lead.companyId,
            responsibleUserId: input.contact?.responsibleUserId ?? lead.responsibleUserId,
          },
        })
      ).id;
    const deal =
      input.deal === null
        ? null
        : await createDeal({
            db: trx,
            actor,
            input: {
              title: input.deal?.title?.trim() || lead.title,
              amount: input.deal?.amount ?? 0,
              ...(input.deal?.stageId ? { stageId: input.deal.stageId } : {}),
              contactId,
              companyId: lead.companyId,
              responsibleUserId: lead.responsibleUserId,
            },
          });
    const converted = await updateLead({ db: trx, actor, id, patch: { status: 'converted', contactId } });
    return { lead: converted, contactId, deal };
  });
}
