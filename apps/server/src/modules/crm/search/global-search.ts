/**
 * The global search (Spotlight): up to 5 contacts, companies, leads and deals for a query, by name,
 * company, phone in any format or email. Each list is the first matches in index order — no sort and no
 * count — so it stays a few index range scans at 1,000,000 contacts.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../../platform/db/schema.js';
import { loadCompanies } from '../companies/company-repository.js';
import type { Company } from '../companies/company-schemas.js';
import { loadContacts } from '../contacts/contact-repository.js';
import type { Contact } from '../contacts/contact-schemas.js';
import { loadDeals } from '../deals/deal-repository.js';
import type { Deal } from '../deals/deal-schemas.js';
import { loadLeads } from '../leads/lead-repository.js';
import type { Lead } from '../leads/lead-schemas.js';
import { firstMatchingIds, queryPrefixes } from './search-index.js';

const GLOBAL_SEARCH_LIMIT = 5;

export interface GlobalSearchResult {
  contacts: Contact[];
  companies: Company[];
  leads: Lead[];
  deals: Deal[];
}

/** Searches every record type at once. Why: one box finds anything. */
export async function globalSearch(
  db: Kysely<Database>,
  q: string,
  defaultCountry: string,
): Promise<GlobalSearchResult> {
  const prefixes = queryPrefixes(q, defaultCountry);
  if (prefixes.length === 0) {
    return { contacts: [], companies: [], leads: [], deals: [] };
  }
  const [contactIds, companyIds, leadIds, dealIds] = await Promise.all([
    firstMatchingIds(db, 'contact', prefixes, GLOBAL_SEARCH_LIMIT),
    firstMatchingIds(db, 'company', prefixes, GLOBAL_SEARCH_LIMIT),
    firstMatchingIds(db, 'lead', prefixes, GLOBAL_SEARCH_LIMIT),
    firstMatchingIds(db, 'deal', prefixes, GLOBAL_SEARCH_LIMIT),
  ]);
  const [contacts, companies, leads, deals] = await Promise.all([
    loadContacts(db, contactIds),
    loadCompanies(db, companyIds),
    loadLeads(db, leadIds),
    loadDeals(db, dealIds),
  ]);
  return { contacts, companies, leads, deals };
}
