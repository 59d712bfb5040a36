import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../../platform/csv/csv-format.js';
import { TEST_DIALECTS } from '../../../test-support/test-database.js';
import { type CrmTestContext, openCrmTest } from '../shared/test-crm.js';

const FRENCH_FILE = [
  '\uFEFFPrénom;Nom;Société;Téléphone;Portable;Courriel;Commentaire',
  'Élodie;Lefèvre;Acme;06 12 34 56 78;;elodie@acme.fr;"cliente fidèle; VIP"',
  'Jean;Dupont;Acme;+33 1 42 68 53 00;07 61 23 45 67;;',
  ';;;;;;sans nom',
  'Paul;Martin;;123;;;extension only',
  'Zoé;Bernard;;;;not-an-email;',
  '"Иван";"Петров";"ООО Ромашка";+7 912 345-67-89;;ivan@example.ru;',
].join('\r\n');

describe.each(TEST_DIALECTS)('CSV import and export on %s', (dialect) => {
  let t: CrmTestContext;
  beforeAll(async () => {
    t = await openCrmTest(dialect);
  });
  afterAll(async () => {
    await t.close();
  });

  const post = (url: string, body: string, user = t.agent) =>
    t.as(user, { method: 'POST', url, payload: body, headers: { 'content-type': 'text/csv' } });

  it('previews a French semicolon file with a BOM: columns, detected mapping, rows and row problems', async () => {
    const res = await post('/api/contacts/import/preview', FRENCH_FILE);
    expect(res.statusCode, res.body).toBe(200);
    const preview = res.json();
    expect(preview.columns).toEqual([
      'Prénom',
      'Nom',
      'Société',
      'Téléphone',
      'Portable',
      'Courriel',
      'Commentaire',
    ]);
    expect(preview.mapping).toEqual({
      firstName: 'Prénom',
      lastName: 'Nom',
      company: 'Société',
      phone: 'Téléphone',
      mobile: 'Portable',
      email: 'Courriel',
      notes: 'Commentaire',
    });
    expect(preview.total).toBe(6);
    expect(preview.rows[0]).toEqual([
      'Élodie',
      'Lefèvre',
      'Acme',
      '06 12 34 56 78',
      '',
      'elodie@acme.fr',
      'cliente fidèle; VIP',
    ]);
    expect(preview.errors).toEqual([
      { row: 4, message: 'the row has no name (first name, last name, name or email)' },
      { row: 5, message: 'phone "123" is not a valid phone number for FR' },
      { row: 6, message: 'email "not-an-email" is not an email address' },
    ]);
  });

  it('imports valid rows, reports rejected ones, and creates each company once', async () => {
    const res = await post('/api/contacts/import', FRENCH_FILE);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      imported: 3,
      rejected: [
        { row: 4, message: 'the row has no name (first name, last name, name or email)' },
        { row: 5, message: 'phone "123" is not a valid phone number for FR' },
        { row: 6, message: 'email "not-an-email" is not an email address' },
      ],
    });
    const lookup = (
      await t.as(t.agent, { method: 'GET', url: '/api/contacts/lookup?phone=33761234567' })
    ).json();
    expect(lookup.contact).toMatchObject({
      displayName: 'Jean Dupont',
      company: { name: 'Acme' },
      responsibleUserId: t.agent.id,
    });
    const companies = (await t.as(t.agent, { method: 'GET', url: '/api/companies' })).json();
    expect(companies.items.map((c: { name: string }) => c.name).sort()).toEqual(['Acme', 'ООО Ромашка']);
    const ivan = (await t.as(t.agent, { method: 'GET', url: '/api/contacts?q=петр' })).json();
    expect(ivan.items[0].phones[0].e164).toBe('+79123456789');
  });

  it('imports with an explicit mapping and names a mapping to a missing column', async () => {
    const file = 'Who,Tel\nAnna Karenina,+44 20 3769 1880\n';
    const bad = await post(
      `/api/contacts/import?mapping=${encodeURIComponent('{"displayName":"Name"}')}`,
      file,
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details).toEqual([
      { path: 'mapping.displayName', message: 'the file has no column "Name"' },
    ]);
    const unknownField = await post(
      `/api/contacts/import?mapping=${encodeURIComponent('{"age":"Who"}')}`,
      file,
    );
    expect(unknownField.json().error.details[0].path).toBe('mapping.age');
    const ok = await post(
      `/api/contacts/import?mapping=${encodeURIComponent('{"displayName":"Who","phone":"Tel"}')}`,
      file,
    );
    expect(ok.json()).toEqual({ imported: 1, rejected: [] });
  });

  it('rejects a body that is not CSV text and an unreadable CSV', async () => {
    const json = await t.as(t.agent, {
      method: 'POST',
      url: '/api/contacts/import/preview',
      payload: { a: 1 },
    });
    expect(json.statusCode).toBe(415);
    const broken = await post('/api/contacts/import/preview', 'a,b\n"open');
    expect(broken.json().error).toMatchObject({ code: 'SB_ERR_VALIDATION', details: [{ path: 'body' }] });
  });

  it('exports contacts with the list filters, a BOM, and formula protection', async () => {
    await t.as(t.admin, {
      method: 'POST',
      url: '/api/contacts',
      payload: {
        firstName: '=HYPERLINK("http://evil")',
        lastName: 'Injected',
        responsibleUserId: t.otherAgent.id,
      },
    });
    const res = await t.as(t.agent, {
      method: 'GET',
      url: `/api/contacts/export.csv?responsibleUserId=${t.otherAgent.id}`,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="contacts-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    expect(res.body.startsWith('\uFEFFid,firstName,')).toBe(true);
    const rows = parseCsv(res.body);
    expect(rows).toHaveLength(2);
    expect(rows[1]?.[1]).toBe(`'=HYPERLINK("http://evil")`);
    const searched = parseCsv(
      (await t.as(t.agent, { method: 'GET', url: '/api/contacts/export.csv?q=acme' })).body,
    );
    expect(
      searched
        .slice(1)
        .map((r) => r[3])
        .sort(),
    ).toEqual(['Jean Dupont', 'Élodie Lefèvre']);
    expect(searched[1]?.[5]).toMatch(/^'\+33/);
  });

  it('streams an export bigger than one chunk in id order', async () => {
    const lines = ['First name,Last name'];
    for (let i = 0; i < 1203; i++) {
      lines.push(`Bulk${i},Row`);
    }
    expect((await post('/api/contacts/import', lines.join('\n'), t.otherAgent)).json().imported).toBe(1203);
    const res = await t.as(t.agent, { method: 'GET', url: `/api/contacts/export.csv?q=bulk` });
    const rows = parseCsv(res.body).slice(1);
    expect(rows).toHaveLength(1203);
    const ids = rows.map((r) => r[0] as string);
    expect([...ids].sort()).toEqual(ids);
  });

  it('exports companies, leads, deals and tasks', async () => {
    await t.as(t.admin, { method: 'POST', url: '/api/leads', payload: { title: 'Lead for export' } });
    await t.as(t.admin, {
      method: 'POST',
      url: '/api/deals',
      payload: { title: 'Deal for export', amount: 99.9 },
    });
    await t.as(t.admin, {
      method: 'POST',
      url: '/api/tasks',
      payload: { title: 'Task for export', assigneeId: t.agent.id },
    });
    const get = async (path: string) => parseCsv((await t.as(t.agent, { method: 'GET', url: path })).body);
    expect((await get('/api/companies/export.csv'))[0]?.[1]).toBe('name');
    expect((await get('/api/leads/export.csv?status=new'))[1]?.[1]).toBe('Lead for export');
    const deals = await get('/api/deals/export.csv');
    expect(deals[1]?.slice(1, 6)).toEqual(['Deal for export', '99.9', 'EUR', 'Sales', 'New']);
    const tasks = await get(`/api/tasks/export.csv?assigneeId=${t.agent.id}`);
    expect(tasks[1]?.[5]).toBe('Alice Agent');
  });
});
