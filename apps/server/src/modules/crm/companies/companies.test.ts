import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../../../test-support/test-database.js';
import { type CrmTestContext, openCrmTest } from '../shared/test-crm.js';

describe.each(TEST_DIALECTS)('companies on %s', (dialect) => {
  let t: CrmTestContext;
  beforeAll(async () => {
    t = await openCrmTest(dialect);
  });
  afterAll(async () => {
    await t.close();
  });

  it('creates, reads, lists by name and validates the name', async () => {
    const res = await t.as(t.agent, {
      method: 'POST',
      url: '/api/companies',
      payload: { name: 'Acme SARL', website: 'https://www.acme.fr', phone: '01 42 68 53 00' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const acme = res.json();
    expect(acme).toMatchObject({ name: 'Acme SARL', responsibleUserId: t.agent.id, address: '', notes: '' });
    await t.as(t.admin, { method: 'POST', url: '/api/companies', payload: { name: 'Bêta Corp' } });
    const list = (await t.as(t.admin, { method: 'GET', url: '/api/companies?sort=-name' })).json();
    expect(list.items.map((c: { name: string }) => c.name)).toEqual(['Bêta Corp', 'Acme SARL']);
    expect((await t.as(t.admin, { method: 'GET', url: '/api/companies?q=acme.fr' })).json().total).toBe(1);
    expect((await t.as(t.admin, { method: 'GET', url: '/api/companies?q=acm' })).json().total).toBe(1);
    expect((await t.as(t.admin, { method: 'GET', url: '/api/companies?q=0142' })).json().total).toBe(1);
    const bad = await t.as(t.admin, { method: 'POST', url: '/api/companies', payload: { name: '  ' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].path).toBe('name');
  });

  it('accepts only http(s) websites, on create and on update, naming the field', async () => {
    const message = 'must be a web address starting with http:// or https://, such as https://example.com';
    for (const website of [
      'javascript:alert(document.cookie)',
      ' JavaScript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox(1)',
      'acme.fr',
      'https://',
    ]) {
      const res = await t.as(t.agent, {
        method: 'POST',
        url: '/api/companies',
        payload: { name: 'X', website },
      });
      expect(res.statusCode, website).toBe(400);
      expect(res.json().error.details, website).toMatchObject([{ path: 'website', message }]);
    }
    const ok = await t.as(t.agent, {
      method: 'POST',
      url: '/api/companies',
      payload: { name: 'Web Co', website: 'http://web.example/about?x=1' },
    });
    expect(ok.statusCode, ok.body).toBe(201);
    const patched = await t.as(t.agent, {
      method: 'PATCH',
      url: `/api/companies/${ok.json().id}`,
      payload: { website: 'javascript:alert(1)' },
    });
    expect(patched.statusCode).toBe(400);
    const cleared = await t.as(t.agent, {
      method: 'PATCH',
      url: `/api/companies/${ok.json().id}`,
      payload: { website: '' },
    });
    expect(cleared.json().website).toBe('');
  });

  it('renaming a company makes its contacts findable by the new name', async () => {
    const co = (
      await t.as(t.admin, { method: 'POST', url: '/api/companies', payload: { name: 'Oldname' } })
    ).json();
    await t.as(t.admin, {
      method: 'POST',
      url: '/api/contacts',
      payload: { firstName: 'Worker', companyId: co.id },
    });
    const renamed = await t.as(t.admin, {
      method: 'PATCH',
      url: `/api/companies/${co.id}`,
      payload: { name: 'Newbrand' },
    });
    expect(renamed.json().name).toBe('Newbrand');
    const found = (await t.as(t.admin, { method: 'GET', url: '/api/contacts?q=newbrand' })).json();
    expect(
      found.items.map((c: { firstName: string; company: { name: string } }) => [c.firstName, c.company.name]),
    ).toEqual([['Worker', 'Newbrand']]);
    expect((await t.as(t.admin, { method: 'GET', url: '/api/contacts?q=oldname' })).json().total).toBe(0);
    const timeline = (await t.as(t.admin, { method: 'GET', url: `/api/companies/${co.id}/timeline` })).json();
    expect(timeline.items[0]).toMatchObject({ kind: 'updated', title: 'Changed name' });
  });

  it('deleting a company keeps its contacts without company', async () => {
    const co = (
      await t.as(t.admin, { method: 'POST', url: '/api/companies', payload: { name: 'Shortlived' } })
    ).json();
    const c = (
      await t.as(t.admin, {
        method: 'POST',
        url: '/api/contacts',
        payload: { firstName: 'Survivor', companyId: co.id },
      })
    ).json();
    const deleted = await t.as(t.otherAgent, { method: 'DELETE', url: `/api/companies/${co.id}` });
    expect(deleted.statusCode).toBe(204);
    const after = (await t.as(t.admin, { method: 'GET', url: `/api/contacts/${c.id}` })).json();
    expect(after.companyId).toBeNull();
    expect(after.company).toBeUndefined();
    expect((await t.as(t.admin, { method: 'GET', url: '/api/contacts?q=shortlived' })).json().total).toBe(0);
  });

  it('forbids an agent to change a company owned by another agent', async () => {
    const co = (
      await t.as(t.admin, {
        method: 'POST',
        url: '/api/companies',
        payload: { name: 'Guarded', responsibleUserId: t.otherAgent.id },
      })
    ).json();
    const res = await t.as(t.agent, {
      method: 'PATCH',
      url: `/api/companies/${co.id}`,
      payload: { notes: 'x' },
    });
    expect(res.statusCode).toBe(403);
    expect((await t.as(t.agent, { method: 'GET', url: `/api/companies/${co.id}` })).statusCode).toBe(200);
    expect((await t.as(t.agent, { method: 'GET', url: '/api/companies/nope' })).json().error.code).toBe(
      'SB_ERR_NOT_FOUND',
    );
  });
});
