/**
 * The `ClientDirectory` port on the CRM's tables: a number's contact and the owner chain (open deal → lead →
 * contact), users' names and languages, and whether a number is one of ours — read by the after-call job only.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../../platform/db/schema.js';
import type { ClientDirectory } from '../ports.js';

/** How long the set of our own numbers is kept before it is read again. */
const OWN_NUMBERS_TTL_MS = 60_000;
/** Our numbers are the DIDs of our latest calls: enough to know every line in use. */
const OWN_NUMBERS_SAMPLE = 5_000;

/** Digits only: Zadarma writes numbers as bare digits, E.164 has a `+`. */
const digitsOf = (number: string) => number.replace(/\D/g, '');

/** The directory over the app's database. Why: who calls back is the CRM's answer, read without its code. */
export function createKyselyClientDirectory(
  db: Kysely<Database>,
  options: { readonly now?: () => number } = {},
): ClientDirectory {
  const now = options.now ?? Date.now;
  let own: { numbers: Promise<Set<string>>; at: number } | null = null;
  function ownNumbers(): Promise<Set<string>> {
    if (!own || now() - own.at > OWN_NUMBERS_TTL_MS) {
      const numbers = db
        .selectFrom(
          db
            .selectFrom('calls')
            .select('did_number')
            .where('started_at', 'is not', null)
            .orderBy('started_at', 'desc')
            .limit(OWN_NUMBERS_SAMPLE)
            .as('latest'),
        )
        .select('did_number')
        .distinct()
        .execute()
        .then((rows) => new Set(rows.flatMap((r) => (r.did_number ? [digitsOf(r.did_number)] : []))));
      own = { numbers, at: now() };
      numbers.catch(() => {
        own = null;
      });
    }
    return own.numbers;
  }
  return {
    async ownersOf(e164) {
      const contact = await db
        .selectFrom('contact_phones as p')
        .innerJoin('contacts as c', 'c.id', 'p.contact_id')
        .select(['c.id', 'c.display_name', 'c.responsible_user_id'])
        .where('p.e164', '=', e164)
        .orderBy('p.contact_id')
        .limit(1)
        .executeTakeFirst();
      if (!contact) {
        return {
          contactId: null,
          contactName: null,
          dealOwnerId: null,
          leadOwnerId: null,
          contactOwnerId: null,
        };
      }
      const [deal, lead] = await Promise.all([
        db
          .selectFrom('deals as d')
          .innerJoin('pipeline_stages as s', 's.id', 'd.stage_id')
          .select('d.responsible_user_id')
          .where('d.contact_id', '=', contact.id)
          .where('s.kind', '=', 'open')
          .where('d.responsible_user_id', 'is not', null)
          .orderBy('d.created_at', 'desc')
          .limit(1)
          .executeTakeFirst(),
        db
          .selectFrom('leads')
          .select('responsible_user_id')
          .where('contact_id', '=', contact.id)
          .where('status', 'in', ['new', 'contacted', 'qualified'])
          .where('responsible_user_id', 'is not', null)
          .orderBy('created_at', 'desc')
          .limit(1)
          .executeTakeFirst(),
      ]);
      return {
        contactId: contact.id,
        contactName: contact.display_name,
        dealOwnerId: deal?.responsible_user_id ?? null,
        leadOwnerId: lead?.responsible_user_id ?? null,
        contactOwnerId: contact.responsible_user_id,
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
      return (await ownNumbers()).has(digitsOf(e164));
    },
  };
}
