/**
 * CSV endpoints: `POST /api/contacts/import/preview` and `POST /api/contacts/import?mapping=<json>` (body
 * text/csv, ≤ 5 MB), and `GET /api/<contacts|companies|leads|deals|tasks>/export.csv` with the list's filters.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { DatabaseHandle } from '../../../platform/db/database.js';
import { AppError } from '../../../platform/errors/errors.js';
import { actorOf, requireSignedIn } from '../../../platform/http/auth-guards.js';
import { CompanyListQuery } from '../companies/company-schemas.js';
import { ContactListQuery } from '../contacts/contact-schemas.js';
import { DealListQuery } from '../deals/deal-schemas.js';
import { LeadListQuery } from '../leads/lead-schemas.js';
import { queryPrefixes } from '../search/search-index.js';
import { readSettings } from '../settings/company-settings-store.js';
import { invalidField } from '../shared/validation.js';
import { TaskListQuery } from '../tasks/task-schemas.js';
import {
  IMPORT_FIELDS,
  type ImportField,
  type ImportMapping,
  importContacts,
  previewImport,
} from './contact-import.js';
import { exportCompanies, exportContacts, exportDeals, exportLeads, exportTasks } from './csv-export.js';

const CSV_BODY_LIMIT = 5 * 1024 * 1024;

const Problem = z.object({ row: z.number(), message: z.string() });

const Preview = z.object({
  columns: z.array(z.string()),
  mapping: z.record(z.string(), z.string()),
  rows: z.array(z.array(z.string())),
  total: z.number(),
  errors: z.array(Problem),
});

function csvText(body: unknown): string {
  if (typeof body !== 'string') {
    throw new AppError('SB_ERR_UNSUPPORTED_MEDIA_TYPE', 'send the file as text/csv');
  }
  return body;
}

function parseMapping(raw: string | undefined): ImportMapping | undefined {
  if (raw === undefined || raw === '') {
    return undefined;
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    invalidField('mapping', 'must be a JSON object such as {"firstName":"First name"}');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    invalidField('mapping', 'must be a JSON object such as {"firstName":"First name"}');
  }
  const mapping: ImportMapping = {};
  for (const [field, column] of Object.entries(json)) {
    if (!(IMPORT_FIELDS as readonly string[]).includes(field)) {
      invalidField(`mapping.${field}`, `is not an import field (fields: ${IMPORT_FIELDS.join(', ')})`);
    }
    if (typeof column !== 'string') {
      invalidField(`mapping.${field}`, 'must be a column name');
    }
    mapping[field as ImportField] = column;
  }
  return mapping;
}

function sendCsv(reply: FastifyReply, name: string, stream: NodeJS.ReadableStream) {
  const date = new Date().toISOString().slice(0, 10);
  return reply
    .header('content-type', 'text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${name}-${date}.csv"`)
    .header('cache-control', 'no-store')
    .send(stream);
}

/** Registers import and export routes. Why: one plugin per area. */
export async function csvRoutes(app: FastifyInstance, options: { database: DatabaseHandle }): Promise<void> {
  const { db } = options.database;
  app.addContentTypeParser(
    ['text/csv', 'text/plain', 'application/csv', 'application/vnd.ms-excel'],
    { parseAs: 'string', bodyLimit: CSV_BODY_LIMIT },
    (_request, body, done) => done(null, body),
  );
  const r = app.withTypeProvider<ZodTypeProvider>();
  const guard = { preHandler: requireSignedIn };

  r.post(
    '/api/contacts/import/preview',
    {
      ...guard,
      bodyLimit: CSV_BODY_LIMIT,
      schema: {
        tags: ['csv'],
        summary:
          'Preview a contact CSV (body text/csv): columns, detected mapping, first 20 rows, row problems',
        description:
          'Delimiter (, ; or tab) and UTF-8 BOM are detected. mapping is {field: column} for fields ' +
          `${IMPORT_FIELDS.join(', ')}. rows are the first 20 data rows as cell arrays aligned with columns. ` +
          'errors[].row is the spreadsheet line number (header = 1).',
        response: { 200: Preview },
      },
    },
    async (request) => await previewImport(csvText(request.body), (await readSettings(db)).defaultCountry),
  );

  r.post(
    '/api/contacts/import',
    {
      ...guard,
      bodyLimit: CSV_BODY_LIMIT,
      schema: {
        tags: ['csv'],
        summary:
          'Import contacts from CSV (body text/csv); ?mapping={"firstName":"Prénom",…} overrides detection',
        description:
          'Rows without a name, with an invalid email or phone are rejected and reported; companies are matched ' +
          'by name or created. Agents own what they import.',
        querystring: z.object({ mapping: z.string().optional() }),
        response: { 200: z.object({ imported: z.number(), rejected: z.array(Problem) }) },
      },
    },
    async (request) => {
      const text = csvText(request.body);
      const mapping = parseMapping(request.query.mapping);
      return importContacts({
        db,
        actor: actorOf(request),
        text,
        ...(mapping ? { mapping } : {}),
        defaultCountry: (await readSettings(db)).defaultCountry,
      });
    },
  );

  const exportSchema = <Q extends z.ZodType>(entity: string, querystring: Q) => ({
    ...guard,
    schema: { tags: ['csv'], summary: `Export ${entity} as CSV with the list's filters`, querystring },
  });
  const prefixesOf = async (q: string | undefined) =>
    queryPrefixes(q ?? '', (await readSettings(db)).defaultCountry);

  r.get('/api/contacts/export.csv', exportSchema('contacts', ContactListQuery), async (request, reply) =>
    sendCsv(reply, 'contacts', exportContacts(db, request.query, await prefixesOf(request.query.q))),
  );
  r.get('/api/companies/export.csv', exportSchema('companies', CompanyListQuery), async (request, reply) =>
    sendCsv(reply, 'companies', exportCompanies(db, request.query, await prefixesOf(request.query.q))),
  );
  r.get('/api/leads/export.csv', exportSchema('leads', LeadListQuery), async (request, reply) =>
    sendCsv(reply, 'leads', exportLeads(db, request.query, await prefixesOf(request.query.q))),
  );
  r.get('/api/deals/export.csv', exportSchema('deals', DealListQuery), async (request, reply) =>
    sendCsv(reply, 'deals', exportDeals(db, request.query, await prefixesOf(request.query.q))),
  );
  r.get('/api/tasks/export.csv', exportSchema('tasks', TaskListQuery), async (request, reply) =>
    sendCsv(
      reply,
      'tasks',
      exportTasks(db, request.query, new Date(), (await readSettings(db)).defaultCountry),
    ),
  );
}
