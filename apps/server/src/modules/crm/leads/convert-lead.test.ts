import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../../../test-support/test-database.js';
import { type CrmTestContext, openCrmTest } from '../shared/test-crm.js';

describe.each(TEST_DIALECTS)('converting leads on %s', (dialect) => {
  let t: CrmTestContext;
  beforeAll(async () => {
    t = await openCrmTest(dialect);
  });
  afterAll(async () => {
    await t.close();
  });

  const lead = async (payload: Record<string, unknown>, user = t.agent) => {
    const res = await t.as(user, { method: 'POST', url: '/api/leads', payload });
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  };
  const convert = (id: string, payload: Record<string, unknown>, user = t.agent) =>
    t.as(user, { method: 'POST', url: `/api/leads/${id}/convert`, payload });

  it('creates the contact and a deal for a lead without a contact, and marks the lead converted', async () => {
    const l = await lead({ title: 'Call from +33 6 12 99 00 11', source: 'call' });
    const res = await convert(l.id, {
      contact: {
        firstName: 'Nina',
        lastName: 'Caller',
        phones: [{ raw: '+33 6 12 99 00 11', label: 'mobile' }],
      },
      deal: { title: 'Yearly plan', amount: 1200 },
    });
    expect(res.statusCode, res.body).toBe(200);
    const { lead: converted, contactId, deal } = res.json();
    expect(converted).toMatchObject({ status: 'converted', contactId });
    expect(deal).toMatchObject({
      title: 'Yearly plan',
      amount: 1200,
      contactId,
      responsibleUserId: t.agent.id,
    });
    const contact = (await t.as(t.agent, { method: 'GET', url: `/api/contacts/${contactId}` })).json();
    expect(contact).toMatchObject({ displayName: 'Nina Caller', responsibleUserId: t.agent.id });
    // Converting twice is refused.
    expect((await convert(l.id, { deal: null })).statusCode).toBe(409);
  });

  it('uses the lead’s own contact and opens a deal titled like the lead', async () => {
    const contact = (
      await t.as(t.agent, { method: 'POST', url: '/api/contacts', payload: { lastName: 'Known' } })
    ).json();
    const l = await lead({ title: 'Wants a demo', contactId: contact.id });
    const res = await convert(l.id, {});
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      contactId: contact.id,
      deal: { title: 'Wants a demo', contactId: contact.id },
    });
  });

  it('refuses without a contact to create, and leaves nothing half-made when a part is refused', async () => {
    const l = await lead({ title: 'Nobody yet' });
    const missing = await convert(l.id, { deal: null });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.details[0]).toMatchObject({ path: 'contact', reason: 'contact_required' });
    const before = (await t.as(t.admin, { method: 'GET', url: '/api/contacts?q=Halfmade' })).json().total;
    // The contact is valid, the deal's stage is not: the whole conversion is rolled back.
    const refused = await convert(l.id, {
      contact: { lastName: 'Halfmade' },
      deal: { stageId: 'no-such-stage' },
    });
    expect(refused.statusCode).toBe(400);
    expect((await t.as(t.admin, { method: 'GET', url: '/api/contacts?q=Halfmade' })).json().total).toBe(
      before,
    );
    expect((await t.as(t.agent, { method: 'GET', url: `/api/leads/${l.id}` })).json().status).toBe('new');
    // Someone else's lead cannot be converted by an agent.
    const foreign = await lead({ title: 'Theirs' }, t.otherAgent);
    expect((await convert(foreign.id, { contact: { lastName: 'X' } })).statusCode).toBe(403);
  });
});
