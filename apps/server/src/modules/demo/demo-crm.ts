/**
 * The demo CRM: a few hundred contacts with realistic French, Russian and English names and numbers
 * (+33 6…, +7 9…, +44 7…), companies, leads, deals across the pipeline's stages, tasks (some overdue, some done)
 * and notes, spread over the last six months and assigned to the demo users. Every record goes through the CRM's
 * use cases, as a user's would (validation, E.164 phones, search tokens, timeline entries), all in the caller's
 * transaction. The content is deterministic from `seed`; the ids are the ones the use cases give.
 * Cost (about 5,700 statements, ~0.3 s of CPU against ~0.1 s for the former direct multi-row inserts): measured
 * on a busy 2-core machine, SQLite 0.22 s → 0.34 s, and PostgreSQL 0.22 s → 0.50 s through the scratch copy
 * (1.3 s idle, over 5 s busy, row by row over the wire). The demo's first start pays it once.
 */
import type SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { userActor } from '../../platform/auth/actor.js';
import { dialectOf } from '../../platform/db/column-types.js';
import type { Database } from '../../platform/db/schema.js';
import type { SessionUser } from '../../platform/http/auth-guards.js';
import { CompanyCreate } from '../crm/companies/company-schemas.js';
import { createCompany } from '../crm/companies/create-company.js';
import { ContactCreate } from '../crm/contacts/contact-schemas.js';
import { createContact } from '../crm/contacts/create-contact.js';
import { createDeal } from '../crm/deals/create-deal.js';
import { DealCreate } from '../crm/deals/deal-schemas.js';
import { listPipelines } from '../crm/deals/pipeline-repository.js';
import { createLead } from '../crm/leads/create-lead.js';
import { LeadCreate } from '../crm/leads/lead-schemas.js';
import { addNote, NoteCreate } from '../crm/notes/add-note.js';
import { normalizePhone } from '../crm/phones/normalize-phone.js';
import { readSettings } from '../crm/settings/company-settings-store.js';
import { createTask } from '../crm/tasks/create-task.js';
import { TaskCreate } from '../crm/tasks/task-schemas.js';
import { updateTask } from '../crm/tasks/update-task.js';
import { transliterate } from '../telephony/domain/transliterate.js';
import { writeDemoCallHistory } from './demo-call-history.js';
import { pick, prng, type Rand } from './demo-random.js';
import { COMPANY_NAMES, FIRST_NAMES, LAST_NAMES, type Locale } from './name-pools.js';
import { writeThroughScratchDatabase } from './scratch-database.js';

const digits = (rand: Rand, n: number) => Array.from({ length: n }, () => Math.floor(rand() * 10)).join('');

function emailLocal(first: string, last: string): string {
  const ascii = (s: string) =>
    transliterate(s)
      .toLowerCase()
      .replace(/[^a-z0-9]/g, '');
  return `${ascii(first)}.${ascii(last)}`;
}

/** A valid mobile number of the locale, formatted as people write it. */
function mobileNumber(rand: Rand, locale: Locale): string {
  for (;;) {
    let raw: string;
    if (locale === 'fr') {
      const n = `6${pick(rand, ['1', '2'])}${digits(rand, 7)}`;
      raw =
        rand() < 0.7
          ? `0${n}`.replace(/(\d{2})(?=\d)/g, '$1 ')
          : `+33 ${n[0]} ${n.slice(1).replace(/(\d{2})(?=\d)/g, '$1 ')}`;
    } else if (locale === 'ru') {
      const n = `9${pick(rand, ['12', '16', '03', '25', '05', '85', '99'])}${digits(rand, 7)}`;
      raw = `+7 ${n.slice(0, 3)} ${n.slice(3, 6)}-${n.slice(6, 8)}-${n.slice(8)}`;
    } else {
      const n = `7${pick(rand, ['4', '5', '8', '9'])}${digits(rand, 8)}`;
      raw = `+44 ${n.slice(0, 4)} ${n.slice(4)}`;
    }
    // French numbers are often written nationally: the demo company is French (DEMO_COMPANY).
    if (normalizePhone(raw, 'FR')) {
      return raw;
    }
  }
}

const LEADS: Record<Locale, string[]> = {
  fr: [
    'Demande de devis site web',
    'Rappel suite appel manqué',
    'Intéressé par l’offre Pro',
    'Salon Lyon — contact',
    'Recommandation client',
  ],
  ru: [
    'Заявка с сайта',
    'Запрос коммерческого предложения',
    'Пропущенный звонок',
    'Интерес к тарифу «Бизнес»',
  ],
  en: [
    'Website enquiry',
    'Pricing request',
    'Missed call follow-up',
    'Trade show lead',
    'Referral from partner',
  ],
};

const DEALS: Record<Locale, string[]> = {
  fr: [
    'Contrat annuel de maintenance',
    'Installation standard téléphonique',
    'Renouvellement licences',
    'Formation équipe',
  ],
  ru: ['Поставка оборудования', 'Годовой контракт на обслуживание', 'Внедрение CRM', 'Подключение номеров'],
  en: ['Fleet tracking — 20 vehicles', 'Annual support plan', 'Office phone system', 'Licence renewal'],
};

const TASKS: Record<Locale, string[]> = {
  fr: ['Rappeler le client', 'Envoyer le devis', 'Relancer par e-mail', 'Préparer le contrat'],
  ru: ['Перезвонить клиенту', 'Отправить КП', 'Согласовать договор', 'Напомнить об оплате'],
  en: ['Call back', 'Send the proposal', 'Follow up by email', 'Prepare the contract'],
};

const NOTES: Record<Locale, string[]> = {
  fr: [
    'Préfère être appelé le matin.',
    'Budget validé par la direction.',
    'Attend une remise de 10 %.',
    'A comparé avec un concurrent.',
  ],
  ru: [
    'Просит звонить после обеда.',
    'Бюджет согласован.',
    'Ждёт скидку 10 %.',
    'Сравнивает с конкурентами.',
  ],
  en: [
    'Prefers calls in the morning.',
    'Budget approved by the board.',
    'Expects a 10% discount.',
    'Comparing us with a competitor.',
  ],
};

const CURRENCY: Record<Locale, string> = { fr: 'EUR', ru: 'RUB', en: 'GBP' };
const DAY = 86_400_000;

/** How many contacts the demo writes. Why: a few hundred make lists, search and paging feel real. */
export const DEMO_CONTACT_COUNT = 300;

/** A contact the demo made, and what the leads, deals, tasks and notes about it need. */
interface DemoContact {
  readonly id: string;
  readonly locale: Locale;
  readonly companyId: string | null;
  readonly owner: string | null;
  readonly at: number;
}

export interface SeedDemoCrmOptions {
  /** The demo users: agents own the records; the first admin is the acting user. */
  readonly users: readonly SessionUser[];
  readonly now: Date;
  readonly seed: number;
  /** The raw connection behind `db` on SQLite: the call history folds through its prepared statements. */
  readonly sqlite?: SQLite.Database | null;
}

/**
 * Seeds the demo CRM data through the CRM's use cases, inside `db` when it is a transaction (one commit, and all or
 * nothing). On PostgreSQL the use cases write into a scratch SQLite database first, copied in bulk
 * (scratch-database.ts: thousands of round trips become a few dozen).
 * Why: demo mode shows a working CRM on first start, with records exactly like the ones a user creates.
 */
export async function seedDemoCrm(db: Kysely<Database>, options: SeedDemoCrmOptions): Promise<void> {
  // The call history follows the records: its calls are linked to the demo contacts.
  const write = async (target: Kysely<Database>, sqlite: SQLite.Database | null) => {
    await writeDemoCrm(target, options);
    await writeDemoCallHistory(target, { ...options, sqlite });
  };
  if (dialectOf(db as Kysely<unknown>) === 'sqlite') {
    await write(db, options.sqlite ?? null);
  } else {
    await writeThroughScratchDatabase(db, write);
  }
}

/** Creates the demo records one by one through the use cases. */
async function writeDemoCrm(db: Kysely<Database>, options: SeedDemoCrmOptions): Promise<void> {
  // The acting user of every record is the demo admin, as if they had typed the demo in (the system actor would
  // leave the demo's timelines without an author, which is not what a new user should first see).
  const admin = options.users.find((u) => u.role === 'admin');
  if (!admin) {
    throw new Error('seedDemoCrm needs an admin among the demo users: the admin is the acting user');
  }
  const actor = userActor(admin);
  const rand = prng(options.seed);
  const now = options.now.getTime();
  const agents = options.users.filter((u) => u.role === 'agent');
  const owners = agents.length > 0 ? agents : options.users;
  const owner = () => (rand() < 0.1 ? null : pick(rand, owners).id);
  const past = (maxDays: number) => now - Math.floor(rand() * maxDays * DAY) - 60_000;
  const at = (ms: number) => new Date(ms);
  const locales: Locale[] = ['fr', 'fr', 'fr', 'ru', 'en'];
  const { defaultCountry } = await readSettings(db);
  const stages = (await listPipelines(db))[0]?.stages ?? [];

  const companies: { id: string; locale: Locale; domain: string }[] = [];
  for (const locale of ['fr', 'ru', 'en'] as const) {
    for (const c of COMPANY_NAMES[locale]) {
      const created = past(200);
      const input = CompanyCreate.parse({
        name: c.name,
        website: `https://www.${c.domain}`,
        phone: mobileNumber(rand, locale),
        responsibleUserId: owner(),
      });
      const company = await createCompany({ db, actor, input, defaultCountry, now: at(created) });
      companies.push({ id: company.id, locale, domain: c.domain });
    }
  }

  const contacts: DemoContact[] = [];
  for (let i = 0; i < DEMO_CONTACT_COUNT; i++) {
    const locale = pick(rand, locales);
    const female = rand() < 0.5;
    const first = pick(rand, female ? FIRST_NAMES[locale].f : FIRST_NAMES[locale].m);
    const baseLast = pick(rand, LAST_NAMES[locale]);
    const last = locale === 'ru' && female ? `${baseLast}а` : baseLast;
    const company =
      rand() < 0.7
        ? pick(
            rand,
            companies.filter((c) => c.locale === locale),
          )
        : null;
    const created = past(180);
    const responsibleUserId = owner();
    const phones = [{ raw: mobileNumber(rand, locale), label: 'mobile' }];
    if (rand() < 0.25) {
      phones.push({ raw: mobileNumber(rand, locale), label: 'work' });
    }
    const domain = company
      ? company.domain
      : pick(rand, [
          'gmail.com',
          'outlook.com',
          locale === 'ru' ? 'yandex.ru' : locale === 'fr' ? 'orange.fr' : 'btinternet.com',
        ]);
    // One of the labels the contact form offers (work, home, other): the page says it in the reader's language.
    const emails =
      rand() < 0.85
        ? [{ email: `${emailLocal(first, last)}@${domain}`, label: company ? 'work' : 'home' }]
        : [];
    const input = ContactCreate.parse({
      firstName: first,
      lastName: last,
      companyId: company?.id ?? null,
      responsibleUserId,
      phones,
      emails,
      notes: rand() < 0.3 ? pick(rand, NOTES[locale]) : '',
      doNotCall: rand() < 0.03,
    });
    const contact = await createContact({ db, actor, input, defaultCountry, now: at(created) });
    contacts.push({
      id: contact.id,
      locale,
      companyId: contact.companyId,
      owner: responsibleUserId,
      at: created,
    });
  }

  for (let i = 0; i < 60; i++) {
    const c = pick(rand, contacts);
    const created = Math.min(now - 60_000, c.at + Math.floor(rand() * 20 * DAY));
    const input = LeadCreate.parse({
      title: pick(rand, LEADS[c.locale]),
      contactId: c.id,
      companyId: c.companyId,
      source: pick(rand, ['call', 'web', 'email', 'referral', 'other'] as const),
      status: pick(rand, ['new', 'new', 'contacted', 'qualified', 'lost', 'converted'] as const),
      responsibleUserId: c.owner,
    });
    await createLead({ db, actor, input, now: at(created) });
  }

  for (let i = 0; i < 50 && stages.length > 0; i++) {
    const c = pick(rand, contacts);
    const stage = pick(rand, stages);
    const title = pick(rand, DEALS[c.locale]);
    const created = Math.min(now - 60_000, c.at + Math.floor(rand() * 30 * DAY));
    const amount = Math.round((500 + rand() * 49_500) / 10) * 10 * (c.locale === 'ru' ? 90 : 1);
    const closeIn = Math.floor(rand() * 90) - 20;
    const input = DealCreate.parse({
      title,
      amount,
      currency: CURRENCY[c.locale],
      stageId: stage.id,
      contactId: c.id,
      companyId: c.companyId,
      responsibleUserId: c.owner,
      expectedCloseDate: new Date(now + closeIn * DAY).toISOString().slice(0, 10),
    });
    await createDeal({ db, actor, input, now: at(created) });
  }

  for (let i = 0; i < 80; i++) {
    const c = pick(rand, contacts);
    const created = past(20);
    // About a third are overdue, the rest due over the next ten days; a few are done.
    const due = now + Math.floor((rand() * 15 - 5) * DAY);
    const done = due < now && rand() < 0.4;
    const input = TaskCreate.parse({
      title: pick(rand, TASKS[c.locale]),
      dueAt: new Date(due).toISOString(),
      assigneeId: c.owner ?? pick(rand, owners).id,
      subjectType: 'contact',
      subjectId: c.id,
    });
    const task = await createTask({ db, actor, input, now: at(created) });
    if (done) {
      const completed = Math.max(created + 60_000, Math.min(now - 1000, due + DAY));
      await updateTask({ db, actor, id: task.id, patch: { status: 'done' }, now: at(completed) });
    }
  }

  for (let i = 0; i < 100; i++) {
    const c = pick(rand, contacts);
    const created = Math.min(now - 60_000, c.at + Math.floor(rand() * 60 * DAY));
    const input = NoteCreate.parse({
      subjectType: 'contact',
      subjectId: c.id,
      body: pick(rand, NOTES[c.locale]),
    });
    await addNote({ db, actor, input, now: at(created) });
  }
}
