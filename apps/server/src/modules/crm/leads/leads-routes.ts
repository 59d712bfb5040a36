/** `/api/leads`: list with search/filters/sort/paging, CRUD, timeline (the shared record routes). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { DatabaseHandle } from '../../../platform/db/database.js';
import { actorOf, requireSignedIn } from '../../../platform/http/auth-guards.js';
import { ContactCreate } from '../contacts/contact-schemas.js';
import { Deal } from '../deals/deal-schemas.js';
import { readSettings } from '../settings/company-settings-store.js';
import { registerRecordRoutes } from '../shared/record-routes.js';
import { convertLead } from './convert-lead.js';
import { createLead } from './create-lead.js';
import { deleteLead } from './delete-lead.js';
import { findLead, listLeads } from './lead-repository.js';
import { Lead, LeadCreate, LeadListQuery, LeadPatch } from './lead-schemas.js';
import { updateLead } from './update-lead.js';

/** Registers the lead routes. Why: one plugin per area. */
export async function leadRoutes(app: FastifyInstance, options: { database: DatabaseHandle }): Promise<void> {
  const { db } = options.database;
  registerRecordRoutes(app, options.database, {
    path: '/api/leads',
    noun: 'lead',
    subjectType: 'lead',
    record: Lead,
    listQuery: LeadListQuery,
    createBody: LeadCreate,
    patchBody: LeadPatch,
    listDescription:
      'Filters: status, source, responsibleUserId (or `none`), contactId, companyId. Sort: title, createdAt, updatedAt.',
    list: (query, prefixes) => listLeads(db, query, prefixes),
    find: (id) => findLead(db, id),
    create: (input, ctx) => createLead({ db, input, actor: ctx.actor }),
    update: (id, patch, ctx) => updateLead({ db, id, patch, actor: ctx.actor }),
    remove: (id, ctx) => deleteLead({ db, id, actor: ctx.actor }),
  });

  app.withTypeProvider<ZodTypeProvider>().post(
    '/api/leads/:id/convert',
    {
      preHandler: requireSignedIn,
      schema: {
        tags: ['leads'],
        summary: 'Convert a lead into a contact and a deal',
        description:
          'Uses the lead’s contact, or creates `contact` when it has none; opens a deal (title defaults to the ' +
          'lead’s; `deal: null` for none) and marks the lead converted — all in one transaction.',
        params: z.object({ id: z.string().min(1) }),
        body: z
          .object({
            contact: ContactCreate.optional(),
            deal: z
              .object({
                title: z.string().trim().max(200).optional(),
                amount: z.number().min(0).max(1e12).optional(),
                stageId: z.string().optional(),
              })
              .strict()
              .nullable()
              .optional(),
          })
          .strict(),
        response: { 200: z.object({ lead: Lead, contactId: z.string(), deal: Deal.nullable() }) },
      },
    },
    async (request) => {
      const { defaultCountry } = await readSettings(db);
      return convertLead({
        db,
        actor: actorOf(request),
        id: request.params.id,
        input: request.body,
        defaultCountry,
      });
    },
  );
}
