import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../../../test-support/test-database.js';
import { type CrmTestContext, openCrmTest } from '../shared/test-crm.js';

describe.each(TEST_DIALECTS)('leads on %s', (dialect) => {
  let t: CrmTestContext;
  beforeAll(async () => {
    t = await openCrmTest(dialect);
  });
  afterAll(async () => {
    await t.close();
  });

  it('creates a lead with defaults and shows it on the contact timeline', async () => {
    const contact = (
      await t.as(t.admin, { method: 'POST', url: '/api/contacts', payload: { firstName: 'Léa' } })
    ).json();
    const res = await t.as(t.agent, {
      method: 'POST',
      url: '/api/leads',
      payload: { title: 'Website enquiry', contactId: contact.id, source: 'web' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const lead = res.json();
    expect(lead).toMatchObject({
      status: 'new',
      source: 'web',
      responsibleUserId: t.agent.id,
      companyId: null,
    });
    const qualified = await t.as(t.agent, {
      method: 'PATCH',
      url: `/api/leads/${lead.id}`,
      payload: { status: 'qualified' },
    });
    expect(qualified.json().status).toBe('qualified');
    const timeline = (
      await t.as(t.admin, { method: 'GET', url: `/api/contacts/${contact.id}/timeline` })
    ).json();
    expect(timeline.items.map((i: { kind: string; title: string }) => `${i.kind}:${i.title}`)).toEqual([
      'lead:Lead Website enquiry is now qualified',
      'lead:Lead Website enquiry',
      'created:Contact Léa created',
    ]);
    expect(timeline.items[0].ref).toEqual({ type: 'lead', id: lead.id });
  });

  it('filters by status and source, rejects unknown values naming the field', async () => {
    await t.as(t.admin, {
      method: 'POST',
      url: '/api/leads',
      payload: { title: 'Referral A', source: 'referral' },
    });
    const list = (await t.as(t.admin, { method: 'GET', url: '/api/leads?source=referral' })).json();
    expect(list.items.map((l: { title: string }) => l.title)).toEqual(['Referral A']);
    expect((await t.as(t.admin, { method: 'GET', url: '/api/leads?status=qualified' })).json().total).toBe(1);
    const bad = await t.as(t.admin, {
      method: 'POST',
      url: '/api/leads',
      payload: { title: 'x', status: 'won' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].path).toBe('status');
    const badContact = await t.as(t.admin, {
      method: 'POST',
      url: '/api/leads',
      payload: { title: 'x', contactId: 'nope' },
    });
    expect(badContact.json().error.details).toMatchObject([
      { path: 'contactId', message: 'no contact with id nope' },
    ]);
  });

  it('searches leads by title words', async () => {
    const res = (await t.as(t.admin, { method: 'GET', url: '/api/leads?q=enq' })).json();
    expect(res.items.map((l: { title: string }) => l.title)).toEqual(['Website enquiry']);
  });

  it('lets only the owner or an admin delete a lead', async () => {
    const lead = (
      await t.as(t.agent, { method: 'POST', url: '/api/leads', payload: { title: 'Mine' } })
    ).json();
    expect((await t.as(t.otherAgent, { method: 'DELETE', url: `/api/leads/${lead.id}` })).statusCode).toBe(
      403,
    );
    expect((await t.as(t.agent, { method: 'DELETE', url: `/api/leads/${lead.id}` })).statusCode).toBe(204);
    expect((await t.as(t.agent, { method: 'GET', url: `/api/leads/${lead.id}` })).statusCode).toBe(404);
  });
});
