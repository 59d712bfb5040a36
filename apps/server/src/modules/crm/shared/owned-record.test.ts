import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../../../test-support/test-database.js';
import { type CrmTestContext, openCrmTest } from './test-crm.js';

// Every owned record (contact, company, lead, deal) goes through the same checks on update and delete.
const KINDS = [
  {
    path: '/api/contacts',
    entity: 'contact',
    plural: 'contacts',
    body: { firstName: 'Léa' },
    patch: 'notes',
  },
  { path: '/api/companies', entity: 'company', plural: 'companies', body: { name: 'Atlas' }, patch: 'notes' },
  { path: '/api/leads', entity: 'lead', plural: 'leads', body: { title: 'Enquiry' }, patch: 'notes' },
  {
    path: '/api/deals',
    entity: 'deal',
    plural: 'deals',
    body: { title: 'Plan', amount: 10 },
    patch: 'title',
  },
] as const;

describe.each(TEST_DIALECTS)('changes to owned records on %s', (dialect) => {
  let t: CrmTestContext;
  beforeAll(async () => {
    t = await openCrmTest(dialect);
  });
  afterAll(async () => {
    await t.close();
  });

  describe.each(KINDS)('$plural', (kind) => {
    it('answers 404 naming the entity and id for an unknown record, on update and delete', async () => {
      const id = '0190d000-0000-7000-8000-000000000000';
      for (const method of ['PATCH', 'DELETE'] as const) {
        const res = await t.as(t.admin, {
          method,
          url: `${kind.path}/${id}`,
          ...(method === 'PATCH' ? { payload: { [kind.patch]: 'x' } } : {}),
        });
        expect(res.statusCode, res.body).toBe(404);
        expect(res.json().error).toEqual({
          code: 'SB_ERR_NOT_FOUND',
          message: `no ${kind.entity} with id ${id}`,
        });
      }
    });

    it('lets an agent change and delete only records that are theirs or unassigned', async () => {
      const created = await t.as(t.agent, { method: 'POST', url: kind.path, payload: kind.body });
      expect(created.statusCode, created.body).toBe(201);
      const record = created.json();
      expect(record.responsibleUserId).toBe(t.agent.id);
      for (const method of ['PATCH', 'DELETE'] as const) {
        const denied = await t.as(t.otherAgent, {
          method,
          url: `${kind.path}/${record.id}`,
          ...(method === 'PATCH' ? { payload: { [kind.patch]: 'x' } } : {}),
        });
        expect(denied.statusCode, denied.body).toBe(403);
        expect(denied.json().error).toEqual({
          code: 'SB_ERR_FORBIDDEN',
          message: `agents can only change ${kind.plural} that are theirs or unassigned`,
        });
      }
      const unassigned = await t.as(t.agent, {
        method: 'PATCH',
        url: `${kind.path}/${record.id}`,
        payload: { responsibleUserId: null },
      });
      expect(unassigned.json().responsibleUserId).toBeNull();
      const changed = await t.as(t.otherAgent, {
        method: 'PATCH',
        url: `${kind.path}/${record.id}`,
        payload: { [kind.patch]: 'by the other agent' },
      });
      expect(changed.statusCode, changed.body).toBe(200);
      expect(changed.json()[kind.patch]).toBe('by the other agent');
      const deleted = await t.as(t.otherAgent, { method: 'DELETE', url: `${kind.path}/${record.id}` });
      expect(deleted.statusCode, deleted.body).toBe(204);
      expect((await t.as(t.admin, { method: 'GET', url: `${kind.path}/${record.id}` })).statusCode).toBe(404);
    });

    it('refuses an agent assigning someone else and an unknown responsible user; keeps the owner otherwise', async () => {
      const record = (await t.as(t.admin, { method: 'POST', url: kind.path, payload: kind.body })).json();
      expect(record.responsibleUserId).toBeNull();
      const other = await t.as(t.agent, {
        method: 'PATCH',
        url: `${kind.path}/${record.id}`,
        payload: { responsibleUserId: t.otherAgent.id },
      });
      expect(other.statusCode, other.body).toBe(403);
      expect(other.json().error.details).toEqual([
        { path: 'responsibleUserId', message: 'must be yourself or null', reason: 'owner_self' },
      ]);
      const unknown = await t.as(t.admin, {
        method: 'PATCH',
        url: `${kind.path}/${record.id}`,
        payload: { responsibleUserId: 'no-such-user' },
      });
      expect(unknown.statusCode, unknown.body).toBe(400);
      expect(unknown.json().error.details).toEqual([
        { path: 'responsibleUserId', message: 'no user with id no-such-user', reason: 'reference_missing' },
      ]);
      const assigned = await t.as(t.admin, {
        method: 'PATCH',
        url: `${kind.path}/${record.id}`,
        payload: { responsibleUserId: t.agent.id },
      });
      expect(assigned.json().responsibleUserId).toBe(t.agent.id);
      const kept = await t.as(t.agent, {
        method: 'PATCH',
        url: `${kind.path}/${record.id}`,
        payload: { [kind.patch]: 'kept owner' },
      });
      expect(kept.json()).toMatchObject({ responsibleUserId: t.agent.id, [kind.patch]: 'kept owner' });
      const timeline = (
        await t.as(t.admin, { method: 'GET', url: `${kind.path}/${record.id}/timeline` })
      ).json();
      expect(timeline.items[0]).toMatchObject({
        kind: 'updated',
        title: `Changed ${kind.patch}`,
      });
    });
  });
});
