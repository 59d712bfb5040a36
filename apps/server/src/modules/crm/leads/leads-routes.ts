/** `/api/leads`: list with search/filters/sort/paging, CRUD, timeline (the shared record routes). */
import type { FastifyInstance } from 'fastify';
import type { DatabaseHandle } from '../../../platform/db/database.js';
import { registerRecordRoutes } from '../shared/record-routes.js';
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
}
