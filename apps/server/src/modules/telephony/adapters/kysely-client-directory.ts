/**
 * The `ClientDirectory` port on the CRM's tables: a number's contact and the owner chain (open deal → lead →
 * contact), users' names and languages, and whether a number is one of ours — read by the after-call job only.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../../platform/db/schema.js';
import type { ClientDirectory } from '../ports.js';

/** Digits only: Zadarma writes numbers as bare digits, E.164 has a `+`. */
const digitsOf = (number: string) => number.replace(/\D/g, '');

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
      // One statement: the contact and, as subqueries, its latest open deal's and lead's responsible (three
      // round trips and three query builds were most of an after-call job's cost).
      const contact = await db
        .selectFrom('contact_phones as p')
        .innerJoin('contacts as c', 'c.id', 'p.contact_id')
        .select((eb) => [
          'c.id',
          'c.display_name',
          'c.responsible_user_id',
          eb
            .selectFrom('deals as d')
            .innerJoin('pipeline_stages as s', 's.id', 'd.stage_id')
            .select('d.responsible_user_id')
            .whereRef('d.contact_id', '=', 'c.id')
            .where('s.kind', '=', 'open')
            .where('d.responsible_user_id', 'is not', null)
            .orderBy('d.created_at', 'desc')
            .limit(1)
            .as('deal_owner_id'),
          eb
            .selectFrom('leads as l')
            .select('l.responsible_user_id')
            .whereRef('l.contact_id', '=', 'c.id')
            .where('l.status', 'in', ['new', 'contacted', 'qualified'])
            .where('l.responsible_user_id', 'is not', null)
            .orderBy('l.created_at', 'desc')
            .limit(1)
            .as('lead_owner_id'),
        ])
        .where('p.e164', '=', e164)
        .orderBy('p.contact_id')
        .limit(1)
        .executeTakeFirst();
      return {
        contactId: contact?.id ?? null,
        contactName: contact?.display_name ?? null,
        dealOwnerId: contact?.deal_owner_id ?? null,
        leadOwnerId: contact?.lead_owner_id ?? null,
        contactOwnerId: contact?.responsible_user_id ?? null,
      };
    },
    async userOf(userId) {
      const user = await db
        .selectFrom('users')
        .select(['name', 'locale'])
        .where('id', '=', userId)
        .where('disabled', '=', 0)
        .executeTakeFirst();
      return user ? { name: user.name, locale: user.locale } : null;
    },
    async isOwnNumber(e164) {
      const digits = digitsOf(e164);
      return (await options.ownNumbers()).some((own) => digitsOf(own) === digits);
    },
  };
}
