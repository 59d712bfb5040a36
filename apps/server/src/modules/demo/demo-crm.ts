/**
 * The demo CRM: a few hundred contacts with realistic French, Russian and English names and numbers
 * (+33 6…, +7 9…, +44 7…), companies, leads, deals across the pipeline's stages, tasks (some overdue) and
 * notes, spread over the last six months and assigned to the demo users. Deterministic from `seed` (ids
 * included) and written with multi-row inserts so it stays well under 300 ms.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import { contactTokens } from '../crm/contacts/contact-repository.js';
import { normalizePhone } from '../crm/phones/normalize-phone.js';
import { phoneTokens } from '../crm/search/search-index.js';
import { searchKey, tokensOf } from '../crm/search/search-text.js';
import { activityPayloadJson } from '../crm/timeline/record-activity.js';

type Rand = () => number;

/** mulberry32: a tiny deterministic PRNG. */
function prng(seed: number): Rand {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A UUID v7 from the PRNG, so a seed always gives the same ids. */
function seededId(rand: Rand, at: number): string {
  const bytes = new Uint8Array(16);
  for (let i = 0; i < 16; i++) {
    bytes[i] = Math.floor(rand() * 256);
  }
  let ms = at;
  for (let i = 5; i >= 0; i--) {
    bytes[i] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x70;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const pick = <T>(rand: Rand, list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;
const digits = (rand: Rand, n: number) => Array.from({ length: n }, () => Math.floor(rand() * 10)).join('');

type Locale = 'fr' | 'ru' | 'en';

const FIRST: Record<Locale, { m: string[]; f: string[] }> = {
  fr: {
    m: [
      'Hugo',
      'Lucas',
      'Louis',
      'Théo',
      'Gabriel',
      'Jules',
      'Arthur',
      'Mathieu',
      'Sébastien',
      'Thierry',
      'Julien',
      'Guillaume',
      'François',
      'Stéphane',
      'Noël',
    ],
    f: [
      'Élodie',
      'Camille',
      'Léa',
      'Manon',
      'Chloé',
      'Inès',
      'Louise',
      'Zoé',
      'Céline',
      'Hélène',
      'Aurélie',
      'Nathalie',
      'Valérie',
      'Margaux',
      'Anaïs',
    ],
  },
  ru: {
    m: [
      'Александр',
      'Дмитрий',
      'Максим',
      'Сергей',
      'Андрей',
      'Алексей',
      'Иван',
      'Михаил',
      'Николай',
      'Павел',
      'Артём',
      'Фёдор',
    ],
    f: [
      'Ольга',
      'Елена',
      'Наталья',
      'Анна',
      'Татьяна',
      'Мария',
      'Екатерина',
      'Юлия',
      'Светлана',
      'Ирина',
      'Дарья',
      'Алёна',
    ],
  },
  en: {
    m: [
      'Oliver',
      'George',
      'Harry',
      'Jack',
      'Charlie',
      'Thomas',
      'James',
      'William',
      'Henry',
      'Oscar',
      'Alfie',
      'Edward',
    ],
    f: [
      'Olivia',
      'Amelia',
      'Isla',
      'Ava',
      'Emily',
      'Sophie',
      'Grace',
      'Charlotte',
      'Freya',
      'Poppy',
      'Evie',
      'Harriet',
    ],
  },
};

const LAST: Record<Locale, string[]> = {
  fr: [
    'Martin',
    'Bernard',
    'Dubois',
    'Thomas',
    'Robert',
    'Richard',
    'Petit',
    'Durand',
    'Leroy',
    'Moreau',
    'Simon',
    'Laurent',
    'Lefèvre',
    'Michel',
    'Garcia',
    'Bertrand',
    'Roux',
    'Vincent',
    'Fournier',
    'Girard',
    'André',
    'Mercier',
    'Dupont',
    'Lambert',
    'Bonnet',
    'Chevalier',
    'Perrin',
    'Gauthier',
  ],
  ru: [
    'Иванов',
    'Смирнов',
    'Кузнецов',
    'Попов',
    'Васильев',
    'Петров',
    'Соколов',
    'Михайлов',
    'Новиков',
    'Фёдоров',
    'Морозов',
    'Волков',
    'Алексеев',
    'Лебедев',
    'Семёнов',
    'Егоров',
    'Павлов',
    'Козлов',
  ],
  en: [
    'Smith',
    'Jones',
    'Taylor',
    'Brown',
    'Williams',
    'Wilson',
    'Johnson',
    'Davies',
    'Robinson',
    'Wright',
    'Thompson',
    'Evans',
    'Walker',
    'White',
    'Roberts',
    'Green',
    'Hall',
    'Wood',
    'Jackson',
    'Clarke',
  ],
};

const COMPANIES: Record<Locale, { name: string; domain: string }[]> = {
  fr: [
    { name: 'Boulangerie Dupont', domain: 'boulangerie-dupont.fr' },
    { name: 'Transports Moreau', domain: 'transports-moreau.fr' },
    { name: 'Atelier Lefèvre SARL', domain: 'atelier-lefevre.fr' },
    { name: 'Cabinet Girard Avocats', domain: 'girard-avocats.fr' },
    { name: 'Hôtel du Lac', domain: 'hoteldulac.fr' },
    { name: 'Garage Bernard', domain: 'garage-bernard.fr' },
    { name: 'Pharmacie Centrale', domain: 'pharmacie-centrale.fr' },
    { name: 'Optique Vincent', domain: 'optique-vincent.fr' },
    { name: 'Immobilière Laurent', domain: 'immo-laurent.fr' },
    { name: 'Cave Saint-Émilion', domain: 'cave-saint-emilion.fr' },
    { name: 'Clinique Vétérinaire Roux', domain: 'veto-roux.fr' },
    { name: 'Menuiserie Fournier', domain: 'menuiserie-fournier.fr' },
  ],
  ru: [
    { name: 'ООО «Ромашка»', domain: 'romashka.ru' },
    { name: 'ООО «Северный ветер»', domain: 'sevveter.ru' },
    { name: 'АО «СтройИнвест»', domain: 'stroyinvest.ru' },
    { name: 'ИП Кузнецов', domain: 'kuznetsov-ip.ru' },
    { name: 'ООО «ТехноСервис»', domain: 'technoservice.ru' },
    { name: 'ООО «Волга Логистик»', domain: 'volga-logistic.ru' },
    { name: 'Клиника «Здоровье»', domain: 'zdorovie-clinic.ru' },
    { name: 'ООО «Уральские окна»', domain: 'uralokna.ru' },
  ],
  en: [
    { name: 'Brightwater Logistics Ltd', domain: 'brightwater.co.uk' },
    { name: 'Harbour Dental Clinic', domain: 'harbourdental.co.uk' },
    { name: 'Kingsway Motors', domain: 'kingswaymotors.co.uk' },
    { name: 'Oakfield Estates', domain: 'oakfieldestates.co.uk' },
    { name: 'Thames Valley Plumbing', domain: 'tvplumbing.co.uk' },
    { name: 'Red Lion Brewery', domain: 'redlionbrewery.co.uk' },
    { name: 'Northgate Accountants', domain: 'northgate-accountants.co.uk' },
    { name: 'Clarke & Sons Builders', domain: 'clarkesons.co.uk' },
  ],
};

const TRANSLIT: Record<string, string> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  д: 'd',
  е: 'e',
  ё: 'e',
  ж: 'zh',
  з: 'z',
  и: 'i',
  й: 'y',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'shch',
  ъ: '',
  ы: 'y',
  ь: '',
  э: 'e',
  ю: 'yu',
  я: 'ya',
};

function emailLocal(first: string, last: string): string {
  const ascii = (s: string) =>
    [...searchKey(s)]
      .map((ch) => TRANSLIT[ch] ?? ch)
      .join('')
      .replace(/[^a-z0-9]/g, '');
  return `${ascii(first)}.${ascii(last)}`;
}

/** A valid mobile number of the locale, formatted as people write it, with its E.164. */
function mobileNumber(rand: Rand, locale: Locale): { raw: string; e164: string } {
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
    const e164 = normalizePhone(raw, 'FR');
    if (e164) {
      return { raw, e164 };
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

async function insertAll(db: Kysely<Database>, table: keyof Database, rows: object[]): Promise<void> {
  // Chunks keep every statement under SQLite's and PostgreSQL's bound-parameter limits.
  const size = Math.max(1, Math.floor(4000 / Math.max(1, Object.keys(rows[0] ?? {}).length)));
  for (let i = 0; i < rows.length; i += size) {
    await db
      .insertInto(table)
      .values(rows.slice(i, i + size) as never)
      .execute();
  }
}

/** A demo activity's payload JSON carrying its structured event. Why: demo timelines localise like real ones. */
function demoEvent(type: string, params: Record<string, string | number>): string | null {
  return activityPayloadJson(undefined, { type, params });
}

export const DEMO_CONTACT_COUNT = 300;

/** Seeds the demo CRM data for the given users. Why: demo mode shows a working CRM on first start. */
export async function seedDemoCrm(
  db: Kysely<Database>,
  options: { users: { id: string; role: 'admin' | 'agent'; name: string }[]; now: Date; seed: number },
): Promise<void> {
  const rand = prng(options.seed);
  const now = options.now.getTime();
  const agents = options.users.filter((u) => u.role === 'agent');
  const owners = agents.length > 0 ? agents : options.users;
  const owner = () => (rand() < 0.1 || owners.length === 0 ? null : pick(rand, owners).id);
  const actor = () => (options.users.length > 0 ? pick(rand, options.users).id : null);
  const past = (maxDays: number) => now - Math.floor(rand() * maxDays * DAY) - 60_000;
  const iso = (ms: number) => new Date(ms).toISOString();
  const locales: Locale[] = ['fr', 'fr', 'fr', 'ru', 'en'];

  const stages = await db
    .selectFrom('pipeline_stages as s')
    .innerJoin('pipelines as p', 'p.id', 's.pipeline_id')
    .select(['s.id', 's.pipeline_id', 's.name', 's.kind'])
    .orderBy('p.position')
    .orderBy('s.position')
    .execute();
  const pipelineStages = stages.filter((s) => s.pipeline_id === stages[0]?.pipeline_id);

  const companies: Database['companies'][] = [];
  const companyLocale = new Map<string, Locale>();
  const tokens: Database['search_tokens'][] = [];
  const activities: Database['activities'][] = [];
  const activity = (
    a: Omit<Database['activities'], 'id' | 'body' | 'ref_type' | 'ref_id' | 'payload'> &
      Partial<Database['activities']>,
  ) =>
    activities.push({
      body: null,
      ref_type: null,
      ref_id: null,
      payload: null,
      ...a,
      id: seededId(rand, Date.parse(a.at)),
    });

  for (const locale of ['fr', 'ru', 'en'] as const) {
    for (const c of COMPANIES[locale]) {
      const at = past(200);
      const id = seededId(rand, at);
      const phone = mobileNumber(rand, locale).raw;
      companies.push({
        id,
        name: c.name,
        sort_key: searchKey(c.name),
        website: `https://www.${c.domain}`,
        phone,
        address: '',
        notes: '',
        responsible_user_id: owner(),
        created_at: iso(at),
        updated_at: iso(at),
      });
      companyLocale.set(id, locale);
      for (const token of [...tokensOf([c.name, c.domain]), ...phoneTokens([phone], 'FR')]) {
        tokens.push({ entity: 'company', token, entity_id: id });
      }
      activity({
        subject_type: 'company',
        subject_id: id,
        kind: 'created',
        actor_id: actor(),
        at: iso(at),
        title: `Company ${c.name} created`,
        payload: demoEvent('company.created', { name: c.name }),
      });
    }
  }

  const contacts: Database['contacts'][] = [];
  const phones: Database['contact_phones'][] = [];
  const emails: Database['contact_emails'][] = [];
  const contactInfo: {
    id: string;
    locale: Locale;
    companyId: string | null;
    owner: string | null;
    name: string;
    at: number;
  }[] = [];
  for (let i = 0; i < DEMO_CONTACT_COUNT; i++) {
    const locale = pick(rand, locales);
    const female = rand() < 0.5;
    const first = pick(rand, female ? FIRST[locale].f : FIRST[locale].m);
    const baseLast = pick(rand, LAST[locale]);
    const last = locale === 'ru' && female ? `${baseLast}а` : baseLast;
    const sameLocale = companies.filter((c) => companyLocale.get(c.id) === locale);
    const company = rand() < 0.7 ? pick(rand, sameLocale) : null;
    const at = past(180);
    const id = seededId(rand, at);
    const displayName = `${first} ${last}`;
    const responsible = owner();
    const contactPhones = [{ ...mobileNumber(rand, locale), label: 'mobile' }];
    if (rand() < 0.25) {
      contactPhones.push({ ...mobileNumber(rand, locale), label: 'work' });
    }
    const domain = company
      ? (company.website.replace('https://www.', '') as string)
      : pick(rand, [
          'gmail.com',
          'outlook.com',
          locale === 'ru' ? 'yandex.ru' : locale === 'fr' ? 'orange.fr' : 'btinternet.com',
        ]);
    const contactEmails =
      rand() < 0.85
        ? [{ email: `${emailLocal(first, last)}@${domain}`, label: company ? 'work' : 'personal' }]
        : [];
    contacts.push({
      id,
      first_name: first,
      last_name: last,
      display_name: displayName,
      sort_key: searchKey(displayName),
      company_id: company?.id ?? null,
      responsible_user_id: responsible,
      notes: rand() < 0.3 ? pick(rand, NOTES[locale]) : '',
      do_not_call: rand() < 0.03 ? 1 : 0,
      created_at: iso(at),
      updated_at: iso(at),
    });
    for (const [position, p] of contactPhones.entries()) {
      phones.push({
        id: seededId(rand, at),
        contact_id: id,
        raw: p.raw,
        e164: p.e164,
        label: p.label,
        position,
      });
    }
    for (const [position, e] of contactEmails.entries()) {
      emails.push({ id: seededId(rand, at), contact_id: id, email: e.email, label: e.label, position });
    }
    const data = {
      firstName: first,
      lastName: last,
      displayName,
      companyId: company?.id ?? null,
      responsibleUserId: responsible,
      notes: '',
      doNotCall: false,
      phones: contactPhones,
      emails: contactEmails,
    };
    for (const token of new Set(contactTokens(data, company?.name ?? null, 'FR'))) {
      tokens.push({ entity: 'contact', token, entity_id: id });
    }
    activity({
      subject_type: 'contact',
      subject_id: id,
      kind: 'created',
      actor_id: actor(),
      at: iso(at),
      title: `Contact ${displayName} created`,
      payload: demoEvent('contact.created', { name: displayName }),
    });
    contactInfo.push({
      id,
      locale,
      companyId: company?.id ?? null,
      owner: responsible,
      name: displayName,
      at,
    });
  }

  const leads: Database['leads'][] = [];
  for (let i = 0; i < 60; i++) {
    const c = pick(rand, contactInfo);
    const title = pick(rand, LEADS[c.locale]);
    const at = Math.min(now - 60_000, c.at + Math.floor(rand() * 20 * DAY));
    const id = seededId(rand, at);
    leads.push({
      id,
      title,
      sort_key: searchKey(title),
      contact_id: c.id,
      company_id: c.companyId,
      source: pick(rand, ['call', 'web', 'email', 'referral', 'other'] as const),
      status: pick(rand, ['new', 'new', 'contacted', 'qualified', 'lost', 'converted'] as const),
      responsible_user_id: c.owner,
      notes: '',
      created_at: iso(at),
      updated_at: iso(at),
    });
    for (const token of tokensOf([title])) {
      tokens.push({ entity: 'lead', token, entity_id: id });
    }
    activity({
      subject_type: 'lead',
      subject_id: id,
      kind: 'created',
      actor_id: c.owner,
      at: iso(at),
      title: `Lead ${title} created`,
      payload: demoEvent('lead.created', { title }),
    });
    activity({
      subject_type: 'contact',
      subject_id: c.id,
      kind: 'lead',
      actor_id: c.owner,
      at: iso(at),
      title: `Lead ${title}`,
      payload: demoEvent('lead.linked', { title }),
      ref_type: 'lead',
      ref_id: id,
    });
  }

  const deals: Database['deals'][] = [];
  for (let i = 0; i < 50 && pipelineStages.length > 0; i++) {
    const c = pick(rand, contactInfo);
    const stage = pick(rand, pipelineStages);
    const title = pick(rand, DEALS[c.locale]);
    const at = Math.min(now - 60_000, c.at + Math.floor(rand() * 30 * DAY));
    const id = seededId(rand, at);
    const amount = Math.round((500 + rand() * 49_500) / 10) * 10 * (c.locale === 'ru' ? 90 : 1);
    const closeIn = Math.floor(rand() * 90) - 20;
    deals.push({
      id,
      title,
      sort_key: searchKey(title),
      amount,
      currency: CURRENCY[c.locale],
      pipeline_id: stage.pipeline_id,
      stage_id: stage.id,
      contact_id: c.id,
      company_id: c.companyId,
      responsible_user_id: c.owner,
      expected_close_date: iso(now + closeIn * DAY).slice(0, 10),
      created_at: iso(at),
      updated_at: iso(at),
    });
    for (const token of tokensOf([title])) {
      tokens.push({ entity: 'deal', token, entity_id: id });
    }
    activity({
      subject_type: 'deal',
      subject_id: id,
      kind: 'created',
      actor_id: c.owner,
      at: iso(at),
      title: `Deal ${title} created in ${stage.name}`,
      payload: demoEvent('deal.created', { title, stage: stage.name }),
    });
    activity({
      subject_type: 'contact',
      subject_id: c.id,
      kind: 'deal',
      actor_id: c.owner,
      at: iso(at),
      title: `Deal ${title} (${stage.name})`,
      payload: demoEvent('deal.linked', { title, stage: stage.name }),
      ref_type: 'deal',
      ref_id: id,
    });
  }

  const tasks: Database['tasks'][] = [];
  for (let i = 0; i < 80; i++) {
    const c = pick(rand, contactInfo);
    const title = pick(rand, TASKS[c.locale]);
    const at = past(20);
    const id = seededId(rand, at);
    // About a third are overdue, the rest due over the next ten days; a few are done.
    const due = now + Math.floor((rand() * 15 - 5) * DAY);
    const done = due < now && rand() < 0.4;
    const assignee = c.owner ?? (owners.length > 0 ? pick(rand, owners).id : null);
    tasks.push({
      id,
      title,
      description: '',
      due_at: iso(due),
      status: done ? 'done' : 'open',
      assignee_id: assignee,
      subject_type: 'contact',
      subject_id: c.id,
      created_by_id: assignee,
      created_at: iso(at),
      updated_at: iso(at),
      completed_at: done ? iso(Math.min(now - 1000, due + DAY)) : null,
    });
    activity({
      subject_type: 'contact',
      subject_id: c.id,
      kind: 'task',
      actor_id: assignee,
      at: iso(at),
      title: `Task ${title}`,
      payload: demoEvent('task.created', { title }),
      ref_type: 'task',
      ref_id: id,
    });
  }

  const notes: Database['notes'][] = [];
  for (let i = 0; i < 100; i++) {
    const c = pick(rand, contactInfo);
    const body = pick(rand, NOTES[c.locale]);
    const at = Math.min(now - 60_000, c.at + Math.floor(rand() * 60 * DAY));
    const id = seededId(rand, at);
    const author = c.owner ?? actor();
    notes.push({
      id,
      subject_type: 'contact',
      subject_id: c.id,
      body,
      author_id: author,
      created_at: iso(at),
    });
    activity({
      subject_type: 'contact',
      subject_id: c.id,
      kind: 'note',
      actor_id: author,
      at: iso(at),
      title: body,
      body,
      ref_type: 'note',
      ref_id: id,
    });
  }

  await insertAll(db, 'companies', companies);
  await insertAll(db, 'contacts', contacts);
  await insertAll(db, 'contact_phones', phones);
  await insertAll(db, 'contact_emails', emails);
  await insertAll(db, 'leads', leads);
  await insertAll(db, 'deals', deals);
  await insertAll(db, 'tasks', tasks);
  await insertAll(db, 'notes', notes);
  await insertAll(db, 'activities', activities);
  const uniqueTokens = new Map(tokens.map((t) => [`${t.entity}|${t.token}|${t.entity_id}`, t]));
  await insertAll(db, 'search_tokens', [...uniqueTokens.values()]);
}
