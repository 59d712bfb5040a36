/**
 * `/api/companies`: list with search/filters/sort/paging, CRUD, timeline (the shared record routes).
 */
import type { FastifyInstance } from 'fastify';
import type { DatabaseHandle } from '../../../platform/db/database.js';
import { registerRecordRoutes } from '../shared/record-routes.js';
import { findCompany, listCompanies } from './company-repository.js';
import { Company, CompanyCreate, CompanyListQuery, CompanyPatch } from './company-schemas.js';
import { createCompany } from './create-company.js';
import { deleteCompany } from './delete-company.js';
import { updateCompany } from './update-company.js';

/** Registers the company routes. Why: one plugin per area. */
export async function companyRoutes(
  app: FastifyInstance,
  options: { database: DatabaseHandle },
): Promise<void> {
  const { db } = options.database;
  registerRecordRoutes(app, options.database, {
    path: '/api/companies',
    noun: 'company',
    subjectType: 'company',
    record: Company,
    listQuery: CompanyListQuery,
    createBody: CompanyCreate,
    patchBody: CompanyPatch,
    listDescription: 'Filters: responsibleUserId (or `none`). Sort: name, createdAt, updatedAt.',
    list: (query, prefixes) => listCompanies(db, query, prefixes),
    find: (id) => findCompany(db, id),
    create: (input, ctx) => createCompany({ db, input, ...ctx }),
    update: (id, patch, ctx) => updateCompany({ db, id, patch, ...ctx }),
    remove: (id, ctx) => deleteCompany({ db, id, ...ctx }),
  });
}
