/**
 * Contact import from CSV: header mapping by common column names in English, French and Russian, a
 * preview (columns, detected mapping, first rows, per-row problems), and the import itself in batched
 * transactions with a per-row rejection report. Row numbers are spreadsheet line numbers (header = 1).
 * Parsing, checking and importing run in time slices (time-slices.ts): a 30,000-row file shares the event
 * loop with the PBX's webhooks instead of holding it for seconds.
 */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { type Actor, actorUserId, refuseApiClient } from '../../../platform/auth/actor.js';
import { CsvParseError, csvRows, unprotectCell } from '../../../platform/csv/csv-format.js';
import { type TimeSlicer, timeSlicer } from '../../../platform/csv/time-slices.js';
import { dialectOf } from '../../../platform/db/column-types.js';
import type { Database } from '../../../platform/db/schema.js';
import { newId } from '../../../platform/ids.js';
import { insertCompany } from '../companies/company-repository.js';
import { type ContactData, displayNameOf, insertContact } from '../contacts/contact-repository.js';
import { normalizePhone } from '../phones/normalize-phone.js';
import { searchKey } from '../search/search-text.js';
import { resolveOwner } from '../shared/record-access.js';
import { invalidField } from '../shared/validation.js';
import { recordActivities } from '../timeline/record-activity.js';

export const IMPORT_FIELDS = [
  'firstName',
  'lastName',
  'displayName',
  'company',
  'phone',
  'mobile',
  'email',
  'notes',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];
export type ImportMapping = Partial<Record<ImportField, string>>;

// Compared after searchKey() (lower-case, no accents), so `Téléphone` matches `telephone`.
const SYNONYMS: Record<ImportField, string[]> = {
  firstName: ['first name', 'firstname', 'first', 'given name', 'prenom', 'имя'],
  lastName: ['last name', 'lastname', 'surname', 'family name', 'nom', 'nom de famille', 'фамилия'],
  displayName: [
    'name',
    'full name',
    'display name',
    'contact',
    'nom complet',
    'фио',
    'полное имя',
    'контакт',
  ],
  company: [
    'company',
    'organization',
    'organisation',
    'company name',
    'societe',
    'entreprise',
    'компания',
    'организация',
  ],
  phone: [
    'phone',
    'telephone',
    'tel',
    'tel.',
    'phone number',
    'work phone',
    'telephone fixe',
    'телефон',
    'номер телефона',
  ],
  mobile: [
    'mobile',
    'mobile phone',
    'cell',
    'cell phone',
    'portable',
    'telephone portable',
    'мобильный',
    'сотовый',
    'мобильный телефон',
  ],
  email: [
    'email',
    'e-mail',
    'mail',
    'email address',
    'courriel',
    'adresse e-mail',
    'почта',
    'эл. почта',
    'электронная почта',
    'e-mail адрес',
  ],
  notes: [
    'notes',
    'note',
    'comment',
    'comments',
    'commentaire',
    'commentaires',
    'remarques',
    'примечание',
    'комментарий',
  ],
};

/** Maps columns to fields by their header names. Why: most files need no manual mapping. */
function detectMapping(columns: readonly string[]): ImportMapping {
  const mapping: ImportMapping = {};
  for (const field of IMPORT_FIELDS) {
    const names = SYNONYMS[field];
    const column = columns.find((c) => names.includes(searchKey(c)));
    if (column !== undefined && !Object.values(mapping).includes(column)) {
      mapping[field] = column;
    }
  }
  return mapping;
}

interface ParsedImport {
  columns: string[];
  rows: string[][];
}

/**
 * Parses the uploaded text (400 naming the problem for unreadable CSV or a missing header), giving the event
 * loop a turn whenever `slicer`'s slice is used up.
 */
async function readImportCsv(text: string, slicer: TimeSlicer = timeSlicer()): Promise<ParsedImport> {
  const table: string[][] = [];
  try {
    for (const row of csvRows(text)) {
      table.push(row);
      if (slicer.due()) {
        await slicer.yield();
      }
    }
  } catch (error) {
    if (error instanceof CsvParseError) {
      invalidField('body', error.message);
    }
    throw error;
  }
  const [header, ...rows] = table;
  if (!header || header.every((h) => h.trim() === '')) {
    invalidField('body', 'the CSV has no header line');
  }
  return { columns: header.map((h) => h.trim()), rows };
}

interface RowResult {
  data?: ContactData & { companyName: string };
  error?: string;
}

function cell(row: readonly string[], columns: readonly string[], column: string | undefined): string {
  if (column === undefined) {
    return '';
  }
  return unprotectCell((row[columns.indexOf(column)] ?? '').trim());
}

const EMAIL = z.email();

/** Turns one CSV row into contact data, or the reason it is rejected. */
function rowToContact(
  row: readonly string[],
  columns: readonly string[],
  mapping: ImportMapping,
  defaultCountry: string,
): RowResult {
  const get = (f: ImportField) => cell(row, columns, mapping[f]);
  const phones: { raw: string; label: string }[] = [];
  for (const [field, label] of [
    ['phone', 'phone'],
    ['mobile', 'mobile'],
  ] as const) {
    const raw = get(field);
    if (raw) {
      if (!normalizePhone(raw, defaultCountry)) {
        return { error: `${field} "${raw}" is not a valid phone number for ${defaultCountry}` };
      }
      phones.push({ raw, label });
    }
  }
  const emails: { email: string; label: string }[] = [];
  const email = get('email');
  if (email) {
    if (!EMAIL.safeParse(email).success) {
      return { error: `email "${email}" is not an email address` };
    }
    emails.push({ email: email.toLowerCase(), label: '' });
  }
  const firstName = get('firstName').slice(0, 100);
  const lastName = get('lastName').slice(0, 100);
  const displayName = displayNameOf(firstName, lastName, get('displayName').slice(0, 100)) || email;
  if (!displayName) {
    return { error: 'the row has no name (first name, last name, name or email)' };
  }
  return {
    data: {
      firstName,
      lastName,
      displayName,
      companyId: null,
      companyName: get('company').slice(0, 200),
      responsibleUserId: null,
      notes: get('notes'),
      doNotCall: false,
      phones,
      emails,
    },
  };
}

export interface ImportPreview {
  columns: string[];
  mapping: ImportMapping;
  rows: string[][];
  total: number;
  errors: { row: number; message: string }[];
}

const PREVIEW_ROWS = 20;
const MAX_REPORTED = 1000;

/** The preview: columns, detected mapping, the first rows as parsed, and the problems of every row. */
export async function previewImport(
  text: string,
  defaultCountry: string,
  slicer: TimeSlicer = timeSlicer(),
): Promise<ImportPreview> {
  const { columns, rows } = await readImportCsv(text, slicer);
  const mapping = detectMapping(columns);
  const errors: { row: number; message: string }[] = [];
  for (let i = 0; i < rows.length; i++) {
    const result = rowToContact(rows[i] as string[], columns, mapping, defaultCountry);
    if (result.error && errors.length < MAX_REPORTED) {
      errors.push({ row: i + 2, message: result.error });
    }
    if (slicer.due()) {
      await slicer.yield();
    }
  }
  return { columns, mapping, rows: rows.slice(0, PREVIEW_ROWS), total: rows.length, errors };
}

/** Checks a client-given mapping against the file's columns (400 naming `mapping.<field>`). */
function checkMapping(mapping: ImportMapping, columns: readonly string[]): void {
  for (const [field, column] of Object.entries(mapping)) {
    if (!columns.includes(column)) {
      invalidField(`mapping.${field}`, `the file has no column "${column}"`);
    }
  }
}

/** Most rows per transaction; a transaction also ends when its time slice is used up. */
const BATCH = 500;

/**
 * Imports the rows: valid ones become contacts (companies found by name or created), invalid ones are
 * reported. Why: moving from a spreadsheet is the first thing a new CRM user does.
 * Each transaction takes rows until its time slice (or BATCH) is used up, then the loop gets a turn before
 * the next one: never a yield inside a transaction, which would hold SQLite's one connection meanwhile.
 */
export async function importContacts(options: {
  db: Kysely<Database>;
  actor: Actor;
  text: string;
  mapping?: ImportMapping;
  defaultCountry: string;
  now?: Date;
  /** The job's time slices (tests count its yields). */
  slicer?: TimeSlicer;
}): Promise<{ imported: number; rejected: { row: number; message: string }[] }> {
  const { db, actor, defaultCountry } = options;
  refuseApiClient(actor, 'import contacts');
  const slicer = options.slicer ?? timeSlicer();
  const { columns, rows } = await readImportCsv(options.text, slicer);
  const mapping = options.mapping ?? detectMapping(columns);
  checkMapping(mapping, columns);
  const owner = resolveOwner(actor, undefined, 'responsibleUserId') ?? null;
  const now = (options.now ?? new Date()).toISOString();
  const rejected: { row: number; message: string }[] = [];
  const companies = new Map<string, string>();
  let imported = 0;
  // SQLite's driver is synchronous: a transaction holds the event loop until it commits, so it ends with its
  // time slice. PostgreSQL's queries wait on the network, not on the loop: full batches are fine there.
  const slicedByTime = dialectOf(db as unknown as Kysely<unknown>) === 'sqlite';
  let next = 0;
  while (next < rows.length) {
    await slicer.yield();
    await db.transaction().execute(async (trx) => {
      const end = Math.min(rows.length, next + BATCH);
      // At least one row per transaction, then as many as the slice allows.
      do {
        const i = next;
        next += 1;
        const result = rowToContact(rows[i] as string[], columns, mapping, defaultCountry);
        if (!result.data) {
          rejected.push({ row: i + 2, message: result.error ?? 'invalid row' });
          continue;
        }
        const { companyName, ...data } = result.data;
        if (companyName) {
          const key = searchKey(companyName);
          let companyId = companies.get(key);
          if (!companyId) {
            const existing = await trx
              .selectFrom('companies')
              .select('id')
              .where('sort_key', '=', key)
              .orderBy('id')
              .executeTakeFirst();
            companyId = existing?.id ?? newId();
            if (!existing) {
              await insertCompany(
                trx,
                companyId,
                {
                  name: companyName,
                  website: '',
                  phone: '',
                  address: '',
                  notes: '',
                  responsibleUserId: owner,
                },
                now,
                defaultCountry,
              );
            }
            companies.set(key, companyId);
          }
          data.companyId = companyId;
        }
        data.responsibleUserId = owner;
        const id = newId();
        await insertContact(trx, id, data, now, defaultCountry);
        await recordActivities(trx, [
          {
            subjectType: 'contact',
            subjectId: id,
            kind: 'created',
            actorId: actorUserId(actor),
            at: now,
            title: `Contact ${data.displayName} imported`,
            event: { type: 'contact.imported', params: { name: data.displayName } },
          },
        ]);
        imported += 1;
      } while (next < end && !(slicedByTime && slicer.due()));
    });
  }
  return { imported, rejected };
}
