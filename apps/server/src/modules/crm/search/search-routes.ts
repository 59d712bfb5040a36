/** `GET /api/search?q=`: the global search across contacts, companies, leads and deals. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { DatabaseHandle } from '../../../platform/db/database.js';
import { requireSignedIn } from '../../../platform/http/auth-guards.js';
import { Company } from '../companies/company-schemas.js';
import { Contact } from '../contacts/contact-schemas.js';
import { Deal } from '../deals/deal-schemas.js';
import { Lead } from '../leads/lead-schemas.js';
import { readSettings } from '../settings/company-settings-store.js';
import { globalSearch } from './global-search.js';

const SearchResult = z.object({
  contacts: z.array(Contact),
  companies: z.array(Company),
  leads: z.array(Lead),
  deals: z.array(Deal),
});

/** Registers the search route. Why: one plugin per area. */
export async function searchRoutes(
  app: FastifyInstance,
  options: { database: DatabaseHandle },
): Promise<void> {
  const { db } = options.database;
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/search',
    {
      preHandler: requireSignedIn,
      schema: {
        tags: ['search'],
        summary: 'Search contacts, companies, leads and deals (≤ 5 each) by word prefix, phone or email',
        querystring: z.object({ q: z.string().trim().max(200).default('') }),
        response: { 200: SearchResult },
      },
    },
    async (request) => globalSearch(db, request.query.q, (await readSettings(db)).defaultCountry),
  );
}
