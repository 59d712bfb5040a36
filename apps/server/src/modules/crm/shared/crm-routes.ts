/**
 * Registers every CRM feature plugin (contacts, companies, leads, pipelines/deals, tasks, notes, search, CSV),
 * so src/routes.ts needs one line for the whole CRM.
 */
import type { FastifyInstance } from 'fastify';
import type { DatabaseHandle } from '../../../platform/db/database.js';
import { companyRoutes } from '../companies/companies-routes.js';
import { contactRoutes } from '../contacts/contacts-routes.js';
import { dashboardRoutes } from '../dashboard/dashboard-routes.js';
import { dealRoutes } from '../deals/deals-routes.js';
import { csvRoutes } from '../import-export/csv-routes.js';
import { leadRoutes } from '../leads/leads-routes.js';
import { noteRoutes } from '../notes/notes-routes.js';
import { searchRoutes } from '../search/search-routes.js';
import { taskRoutes } from '../tasks/tasks-routes.js';

/** Registers the CRM routes. Why: one seam between the platform and the CRM. */
export async function registerCrmRoutes(
  app: FastifyInstance,
  options: { database: DatabaseHandle },
): Promise<void> {
  await app.register(contactRoutes, options);
  await app.register(companyRoutes, options);
  await app.register(leadRoutes, options);
  await app.register(dealRoutes, options);
  await app.register(taskRoutes, options);
  await app.register(noteRoutes, options);
  await app.register(searchRoutes, options);
  await app.register(csvRoutes, options);
  await app.register(dashboardRoutes, options);
}
