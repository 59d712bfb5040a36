import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../../../test-support/test-database.js';
import { type CrmTestContext, openCrmTest } from '../shared/test-crm.js';
import { findContactByPhone } from './find-contact-by-phone.js';

describe.each(TEST_DIALECTS)('contacts on %s', (dialect) => {
  let t: CrmTestContext;
  beforeAll(async () => {
    t = await openCrmTest(dialect);
  });
  afterAll(async () => {
    await t.close();
  });

  async function create(body: Record<string, unknown>, user = t.admin) {
    const res = await t.as(user, { method: 'POST', url: '/api/contacts', payload: body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  }

  it('keeps a number the phone metadata calls invalid but that fits its country, and finds its caller', async () => {
    const created = await create({
      lastName: 'Drama',
      phones: [{ raw: '+44 7700 900124', label: 'mobile' }],
    });
    expect(created.phones[0]).toMatchObject({ raw: '+44 7700 900124', e164: '+447700900124' });
    const match = await findContactByPhone(t.database, '447700900124', 'FR');
    expect(match?.id).toBe(created.id);
  });

  it('refuses a number that cannot be dialled on create and on update, naming the field', async () => {
    const refused = await t.as(t.admin, {
      method: 'POST',
      url: '/api/contacts',
      payload: { lastName: 'Typo', phones: [{ raw: '06 12 34', label: '' }] },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.details[0]).toMatchObject({ path: 'phones.0.raw', reason: 'phone_invalid' });
    const contact = await create({ lastName: 'Typo', phones: [{ raw: '06 98 76 54 32', label: '' }] });
    const patched = await t.as(t.admin, {
      method: 'PATCH',
      url: `/api/contacts/${contact.id}`,
      payload: {
        phones: [
          { raw: '06 98 76 54 32', label: '' },
          { raw: 'call reception', label: '' },
        ],
      },
    });
    expect(patched.statusCode).toBe(400);
    expect(patched.json().error.details[0]).toMatchObject({ path: 'phones.1.raw', reason: 'phone_invalid' });
  });

  it('names the contacts that already own a number in any written form or an email, except the one edited', async () => {
    const first = await create({
      lastName: 'Standard',
      phones: [{ raw: '01 45 67 89 10', label: 'work' }],
      emails: [{ email: 'Accueil@Standard.example', label: '' }],
    });
    const second = await create({
      lastName: 'Standard bis',
      phones: [{ raw: '+33 1 45 67 89 10', label: '' }],
    });
    const check = (body: Record<string, unknown>) =>
      t.as(t.agent, { method: 'POST', url: '/api/contacts/duplicates', payload: body });
    const byPhone = await check({ phones: ['0033145678910'] });
    expect(byPhone.statusCode).toBe(200);
    expect(byPhone.json().items).toEqual([
      expect.objectContaining({ id: first.id, phones: ['+33145678910'], emails: [] }),
      expect.objectContaining({ id: second.id, phones: ['+33145678910'], emails: [] }),
    ]);
    const byEmail = await check({ emails: [' accueil@standard.EXAMPLE '], excludeId: second.id });
    expect(byEmail.json().items).toEqual([
      expect.objectContaining({
        id: first.id,
        displayName: 'Standard',
        emails: ['accueil@standard.example'],
      }),
    ]);
    expect((await check({ phones: ['01 45 67 89 10'], excludeId: first.id })).json().items).toEqual([
      expect.objectContaining({ id: second.id }),
    ]);
    expect((await check({ phones: ['not a number', '100'], emails: [] })).json().items).toEqual([]);
    // The lookup keeps routing by the oldest, and lists every contact sharing the number for a picker.
    const lookup = await t.as(t.agent, { method: 'GET', url: '/api/contacts/lookup?phone=0145678910' });
    expect(lookup.json().contact.id).toBe(first.id);
    expect(lookup.json().matches.map((c: { id: string }) => c.id)).toEqual([first.id, second.id]);
  });

  it('refuses every contact route without a session', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/contacts' });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('SB_ERR_UNAUTHENTICATED');
  });

  it('creates a contact with a formatted phone stored raw and as E.164, and reads it back', async () => {
    const created = await create({
      firstName: 'Élodie',
      lastName: 'Lefèvre',
      phones: [{ raw: '06 12 34 56 78', label: 'mobile' }],
      emails: [{ email: 'Elodie.Lefevre@Example.FR', label: 'work' }],
      responsibleUserId: t.agent.id,
    });
    expect(created).toMatchObject({
      firstName: 'Élodie',
      displayName: 'Élodie Lefèvre',
      phones: [{ raw: '06 12 34 56 78', e164: '+33612345678', label: 'mobile' }],
      emails: [{ email: 'elodie.lefevre@example.fr', label: 'work' }],
      responsibleUserId: t.agent.id,
      responsibleUser: { id: t.agent.id, name: 'Alice Agent' },
      doNotCall: false,
      companyId: null,
    });
    const res = await t.as(t.agent, { method: 'GET', url: `/api/contacts/${created.id}` });
    expect(res.json()).toEqual(created);
  });

  it.each(['06 12 34 56 78', '+33 6 12 34 56 78', '0033612345678', '33612345678'])(
    'looks up the same contact for %s',
    async (phone) => {
      const res = await t.as(t.agent, {
        method: 'GET',
        url: `/api/contacts/lookup?phone=${encodeURIComponent(phone)}`,
      });
      expect(res.statusCode).toBe(200);
      expect(res.json().contact?.displayName).toBe('Élodie Lefèvre');
    },
  );

  it('finds the contact in-process by bare Zadarma digits and never by an extension', async () => {
    // An extension is not a phone number: refused on a contact, and never matched by the lookup.
    const extension = await t.as(t.agent, {
      method: 'POST',
      url: '/api/contacts',
      payload: { firstName: 'Ext', phones: [{ raw: '100', label: 'ext' }] },
    });
    expect(extension.statusCode).toBe(400);
    expect(extension.json().error.details).toEqual([
      {
        path: 'phones.0.raw',
        message: '"100" is not a phone number (with the default country FR)',
        reason: 'phone_invalid',
        params: { country: 'FR' },
      },
    ]);
    const match = await findContactByPhone(t.database, '33612345678', 'FR');
    expect(match).toMatchObject({ displayName: 'Élodie Lefèvre', doNotCall: false });
    expect(await findContactByPhone(t.database.db, '+33 6 12 34 56 78', 'FR')).toEqual(match);
    expect(await findContactByPhone(t.database, '100', 'FR')).toBeNull();
    const res = await t.as(t.agent, { method: 'GET', url: '/api/contacts/lookup?phone=100' });
    expect(res.json()).toEqual({ contact: null, matches: [] });
  });

  it('rejects a contact without any name, naming the field', async () => {
    const res = await t.as(t.admin, { method: 'POST', url: '/api/contacts', payload: { notes: 'x' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'SB_ERR_VALIDATION', details: [{ path: 'firstName' }] });
  });

  it('rejects an invalid email with the path of the field', async () => {
    const res = await t.as(t.admin, {
      method: 'POST',
      url: '/api/contacts',
      payload: { firstName: 'A', emails: [{ email: 'nope', label: '' }] },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].path).toBe('emails.0.email');
  });

  it('rejects an unknown company id naming companyId', async () => {
    const res = await t.as(t.admin, {
      method: 'POST',
      url: '/api/contacts',
      payload: { firstName: 'A', companyId: 'missing' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details).toEqual([
      { path: 'companyId', message: 'no company with id missing', reason: 'reference_missing' },
    ]);
  });

  it('searches by name prefix without accents, by email, by company and by phone in any format', async () => {
    const co = await t.as(t.admin, {
      method: 'POST',
      url: '/api/companies',
      payload: { name: 'Zébulon Industries' },
    });
    const company = co.json();
    await create({
      firstName: 'Ivan',
      lastName: 'Petrov',
      companyId: company.id,
      phones: [{ raw: '+7 912 345-67-89', label: '' }],
    });
    const q = async (text: string) =>
      (await t.as(t.agent, { method: 'GET', url: `/api/contacts?q=${encodeURIComponent(text)}` })).json();
    expect((await q('elod')).items.map((c: { displayName: string }) => c.displayName)).toEqual([
      'Élodie Lefèvre',
    ]);
    expect((await q('LEFEV elo')).total).toBe(1);
    expect((await q('elodie.lefevre@example.fr')).total).toBe(1);
    expect((await q('zebul')).items.map((c: { displayName: string }) => c.displayName)).toEqual([
      'Ivan Petrov',
    ]);
    expect((await q('79123456789')).total).toBe(1);
    expect((await q('0612')).items[0].displayName).toBe('Élodie Lefèvre');
    expect((await q('+33 6 12')).total).toBe(1);
    expect((await q('nobody-matches')).total).toBe(0);
  });

  it('filters, sorts and pages the list', async () => {
    const before = (await t.as(t.admin, { method: 'GET', url: '/api/contacts?pageSize=200' })).json().total;
    for (const name of ['Zoé', 'Anna', 'Boris']) {
      await create({
        firstName: name,
        lastName: 'Sortable',
        responsibleUserId: t.otherAgent.id,
        doNotCall: name === 'Boris',
      });
    }
    const mine = (
      await t.as(t.admin, {
        method: 'GET',
        url: `/api/contacts?responsibleUserId=${t.otherAgent.id}&sort=-displayName&pageSize=2`,
      })
    ).json();
    expect(mine.total).toBe(3);
    expect(mine.items.map((c: { firstName: string }) => c.firstName)).toEqual(['Zoé', 'Boris']);
    const page2 = (
      await t.as(t.admin, {
        method: 'GET',
        url: `/api/contacts?responsibleUserId=${t.otherAgent.id}&sort=-displayName&pageSize=2&page=2`,
      })
    ).json();
    expect(page2.items.map((c: { firstName: string }) => c.firstName)).toEqual(['Anna']);
    const dnc = (await t.as(t.admin, { method: 'GET', url: '/api/contacts?doNotCall=true' })).json();
    expect(dnc.items.map((c: { firstName: string }) => c.firstName)).toEqual(['Boris']);
    const all = (await t.as(t.admin, { method: 'GET', url: '/api/contacts?pageSize=200' })).json();
    expect(all.total).toBe(before + 3);
    const bad = await t.as(t.admin, { method: 'GET', url: '/api/contacts?sort=password' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].path).toBe('sort');
  });

  it('lets agents edit their own and unassigned contacts but not those of others', async () => {
    const others = await create({ firstName: 'Owned', responsibleUserId: t.otherAgent.id });
    const denied = await t.as(t.agent, {
      method: 'PATCH',
      url: `/api/contacts/${others.id}`,
      payload: { notes: 'x' },
    });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().error.code).toBe('SB_ERR_FORBIDDEN');
    const del = await t.as(t.agent, { method: 'DELETE', url: `/api/contacts/${others.id}` });
    expect(del.statusCode).toBe(403);

    const unassigned = await create({ firstName: 'Shared', responsibleUserId: null });
    const ok = await t.as(t.agent, {
      method: 'PATCH',
      url: `/api/contacts/${unassigned.id}`,
      payload: { notes: 'called' },
    });
    expect(ok.statusCode).toBe(200);

    const own = await create({ firstName: 'Mine' }, t.agent);
    expect(own.responsibleUserId).toBe(t.agent.id);
    const reassign = await t.as(t.agent, {
      method: 'PATCH',
      url: `/api/contacts/${own.id}`,
      payload: { responsibleUserId: t.otherAgent.id },
    });
    expect(reassign.statusCode).toBe(403);
    const byAdmin = await t.as(t.admin, {
      method: 'PATCH',
      url: `/api/contacts/${own.id}`,
      payload: { responsibleUserId: t.otherAgent.id },
    });
    expect(byAdmin.json().responsibleUserId).toBe(t.otherAgent.id);
  });

  it('updates phones, keeps the display name derived, and writes the timeline newest first', async () => {
    const c = await create({
      firstName: 'Tim',
      lastName: 'Line',
      phones: [{ raw: '0612000001', label: '' }],
    });
    const res = await t.as(t.admin, {
      method: 'PATCH',
      url: `/api/contacts/${c.id}`,
      payload: { lastName: 'Lines', phones: [{ raw: '+44 20 3769 1880', label: 'office' }] },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      displayName: 'Tim Lines',
      phones: [{ e164: '+442037691880', label: 'office' }],
    });
    expect((await findContactByPhone(t.database, '442037691880', 'FR'))?.id).toBe(c.id);
    expect(await findContactByPhone(t.database, '0612000001', 'FR')).toBeNull();
    const timeline = (await t.as(t.agent, { method: 'GET', url: `/api/contacts/${c.id}/timeline` })).json();
    expect(timeline.items.map((i: { kind: string }) => i.kind)).toEqual(['updated', 'created']);
    expect(timeline.items[0]).toMatchObject({
      title: 'Changed lastName, displayName, phones',
      actor: { id: t.admin.id, name: 'Ada Admin' },
    });
    expect(timeline.items[0].event).toEqual({
      type: 'record.changed',
      params: { fields: 'lastName, displayName, phones', count: 3 },
    });
    expect(timeline.items[1]).toMatchObject({
      title: 'Contact Tim Line created',
      event: { type: 'contact.created', params: { name: 'Tim Line' } },
    });
  });

  it('deletes a contact and answers 404 afterwards', async () => {
    const c = await create({ firstName: 'Gone', phones: [{ raw: '0699999999', label: '' }] });
    const res = await t.as(t.admin, { method: 'DELETE', url: `/api/contacts/${c.id}` });
    expect(res.statusCode).toBe(204);
    const after = await t.as(t.admin, { method: 'GET', url: `/api/contacts/${c.id}` });
    expect(after.statusCode).toBe(404);
    expect(after.json().error).toEqual({ code: 'SB_ERR_NOT_FOUND', message: `no contact with id ${c.id}` });
    expect(await findContactByPhone(t.database, '0699999999', 'FR')).toBeNull();
    const search = (await t.as(t.admin, { method: 'GET', url: '/api/contacts?q=gone' })).json();
    expect(search.total).toBe(0);
  });
});
