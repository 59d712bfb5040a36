import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../../../test-support/test-database.js';
import { type CrmTestContext, openCrmTest } from '../shared/test-crm.js';

describe.each(TEST_DIALECTS)('global search on %s', (dialect) => {
  let t: CrmTestContext;
  beforeAll(async () => {
    t = await openCrmTest(dialect);
    const co = (
      await t.as(t.admin, { method: 'POST', url: '/api/companies', payload: { name: 'Martin & Fils' } })
    ).json();
    await t.as(t.admin, {
      method: 'POST',
      url: '/api/contacts',
      payload: {
        firstName: 'Sergueï',
        lastName: 'Martin',
        companyId: co.id,
        phones: [{ raw: '+33 6 98 76 54 32', label: '' }],
        emails: [{ email: 'serg@martin.example', label: '' }],
      },
    });
    await t.as(t.admin, { method: 'POST', url: '/api/leads', payload: { title: 'Martin referral' } });
    await t.as(t.admin, { method: 'POST', url: '/api/deals', payload: { title: 'Martin renewal' } });
    for (let i = 0; i < 7; i++) {
      await t.as(t.admin, { method: 'POST', url: '/api/contacts', payload: { firstName: `Martine${i}` } });
    }
  });
  afterAll(async () => {
    await t.close();
  });

  const search = async (q: string) =>
    (await t.as(t.agent, { method: 'GET', url: `/api/search?q=${encodeURIComponent(q)}` })).json();

  it('finds every record type by a name prefix, at most five of each', async () => {
    const res = await search('mart');
    expect(res.contacts).toHaveLength(5);
    expect(res.companies.map((c: { name: string }) => c.name)).toEqual(['Martin & Fils']);
    expect(res.leads.map((l: { title: string }) => l.title)).toEqual(['Martin referral']);
    expect(res.deals.map((d: { title: string }) => d.title)).toEqual(['Martin renewal']);
  });

  it('finds the contact by phone in any format, by email and by accent-free name', async () => {
    for (const q of [
      '06 98 76 54 32',
      '0033698765432',
      '33698765432',
      '+33 6 98',
      'serg@martin.example',
      'serguei mar',
    ]) {
      const res = await search(q);
      expect(
        res.contacts.map((c: { lastName: string }) => c.lastName),
        q,
      ).toEqual(['Martin']);
    }
  });

  it('answers empty lists for an empty or unmatched query', async () => {
    expect(await search('')).toEqual({ contacts: [], companies: [], leads: [], deals: [] });
    expect(await search('zzzz')).toEqual({ contacts: [], companies: [], leads: [], deals: [] });
  });
});
