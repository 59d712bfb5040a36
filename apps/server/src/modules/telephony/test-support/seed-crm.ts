/**
 * Seeds the CRM rows the webhook path reads (a company, a contact with phones) through the CRM's own
 * repositories. Why: the ports' contract suites fill the real adapters and the in-memory ones alike.
 */
import type { Kysely } from 'kysely';
import type { LeadsTable } from '../../../platform/db/schema/crm.js';
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

/**
 * A "Sales" pipeline with an open stage ("Proposal") and a won one: what a deal's owner rules are tested against
 * (a won or lost deal is never the open deal whose owner takes the call).
 */
export async function seedSalesPipeline(
  db: Kysely<Database>,
): Promise<{ readonly pipelineId: string; readonly open: string; readonly won: string }> {
  const [pipelineId, open, won] = [newId(), newId(), newId()];
  await db
    .insertInto('pipelines')
    .values({ id: pipelineId, name: 'Sales', position: 0, created_at: new Date().toISOString() })
    .execute();
  await db
    .insertInto('pipeline_stages')
    .values([
      { id: open, pipeline_id: pipelineId, name: 'Proposal', position: 0, kind: 'open' },
      { id: won, pipeline_id: pipelineId, name: 'Won', position: 1, kind: 'won' },
    ])
    .execute();
  return { pipelineId, open, won };
}

/** A lead's status, as the `leads` table holds it. */
export type SeededLeadStatus = LeadsTable['status'];

/**
 * Deals and leads of a contact, as the owner chain reads them: a deal in the "Sales" pipeline (seeded once, at the
 * first deal) at its open or its won stage, a lead in a status; each owned by `ownerId` and last changed `at`.
 * Why one helper: the ClientDirectory and CallerHistory suites wrote the same rows by hand.
 */
export function crmOwnerRows(db: Kysely<Database>) {
  let stages: ReturnType<typeof seedSalesPipeline> | null = null;
  return {
    async deal(
      contactId: string,
      deal: {
        readonly open: boolean;
        readonly ownerId: string | null;
        readonly at: string;
        readonly amount?: number;
      },
    ): Promise<string> {
      stages ??= seedSalesPipeline(db);
      const { pipelineId, open, won } = await stages;
      const id = newId();
      await db
        .insertInto('deals')
        .values({
          id,
          title: 'Deal',
          sort_key: 'deal',
          amount: deal.amount ?? 100,
          currency: 'EUR',
          pipeline_id: pipelineId,
          stage_id: deal.open ? open : won,
          contact_id: contactId,
          company_id: null,
          responsible_user_id: deal.ownerId,
          expected_close_date: null,
          created_at: deal.at,
          updated_at: deal.at,
        })
        .execute();
      return id;
    },
    async lead(
      contactId: string,
      lead: { readonly status: SeededLeadStatus; readonly ownerId: string | null; readonly at: string },
    ): Promise<string> {
      const id = newId();
      await db
        .insertInto('leads')
        .values({
          id,
          title: 'Lead',
          sort_key: 'lead',
          contact_id: contactId,
          company_id: null,
          source: 'call',
          status: lead.status,
          responsible_user_id: lead.ownerId,
          notes: '',
          created_at: lead.at,
          updated_at: lead.at,
        })
        .execute();
      return id;
    },
  };
}
