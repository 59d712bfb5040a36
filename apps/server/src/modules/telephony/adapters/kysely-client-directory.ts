/**
 * The `ClientDirectory` port on the CRM's tables: a number's contact and the owner chain (open deal → lead →
 * contact), users' names and languages, and whether a number is one of ours — read by the after-call job only.
 */
import type { Kysely } from 'kysely';
import { preparedQuery } from '../../../platform/db/prepared-query.js';
import type { Database } from '../../../platform/db/schema.js';
import type { ClientDirectory } from '../ports.js';

/** Digits only: Zadarma writes numbers as bare digits, E.164 has a `+`. */
const digitsOf = (number: string) => number.replace(/\D/g, '');

// Prepared once (platform/db/prepared-query.ts): the after-call job runs them for every ended call.
const contactOf = preparedQuery((db, e164: string) =>
  db
    .selectFrom('contact_phones as p')
    .innerJoin('contacts as c', 'c.id', 'p.contact_id')
    .select(['c.id', 'c.display_name', 'c.responsible_user_id'])
    .where('p.e164', '=', e164)
    .orderBy('p.contact_id')
    .limit(1),
);
const dealOwnerOf = preparedQuery((db, contactId: string) =>
  db
    .selectFrom('deals as d')
    .innerJoin('pipeline_stages as s', 's.id', 'd.stage_id')
    .select('d.responsible_user_id')
    .where('d.contact_id', '=', contactId)
    .where('s.kind', '=', 'open')
    .where('d.responsible_user_id', 'is not', null)
    .orderBy('d.created_at', 'desc')
    .limit(1),
);
const leadOwnerOf = preparedQuery((db, contactId: string) =>
  db
    .selectFrom('leads')
    .select('responsible_user_id')
    .where('contact_id', '=', contactId)
    .where('status', 'in', ['new', 'contacted', 'qualified'])
    .where('responsible_user_id', 'is not', null)
    .orderBy('created_at', 'desc')
    .limit(1),
);
const userById = preparedQuery((db, userId: string) =>
  db.selectFrom('users').select(['name', 'locale']).where('id', '=', userId).where('disabled', '=', 0),
);

/** The directory over the app's database. Why: who calls back is the CRM's answer, read without its code. */
export function createKyselyClientDirectory(
  db: Kysely<Database>,
  options: {
    /** The account's direct numbers in E.164 (adapters/zadarma/own-numbers.ts: cached and refreshed). */
    readonly ownNumbers: () => Promise<readonly string[]>;
  },
): ClientDirectory {
  return {
    async ownersOf(e164) {
      const [contact] = (await contactOf(db, e164)).rows;
      if (!contact) {
        return {
          contactId: null,
          contactName: null,
          dealOwnerId: null,
          leadOwnerId: null,
          contactOwnerId: null,
        };
      }
      const [deal, lead] = await Promise.all([dealOwnerOf(db, contact.id), leadOwnerOf(db, contact.id)]);
      return {
        contactId: contact.id,
        contactName: contact.display_name,
        dealOwnerId: deal.rows[0]?.responsible_user_id ?? null,
        leadOwnerId: lead.rows[0]?.responsible_user_id ?? null,
        contactOwnerId: contact.responsible_user_id,
      };
    },
    async userOf(userId) {
      const [user] = (await userById(db, userId)).rows;
      return user ? { name: user.name, locale: user.locale } : null;
    },
    async isOwnNumber(e164) {
      const digits = digitsOf(e164);
      return (await options.ownNumbers()).some((own) => digitsOf(own) === digits);
    },
  };
}
