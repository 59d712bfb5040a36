import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../../../test-support/test-database.js';
import { insertTestCall } from '../../telephony/test-support/test-calls.js';
import { type CrmTestContext, openCrmTest } from '../shared/test-crm.js';

describe.each(TEST_DIALECTS)('notes on %s', (dialect) => {
  let t: CrmTestContext;
  beforeAll(async () => {
    t = await openCrmTest(dialect);
  });
  afterAll(async () => {
    await t.close();
  });

  it('adds a note that appears first on the deal timeline with its author', async () => {
    const deal = (
      await t.as(t.admin, { method: 'POST', url: '/api/deals', payload: { title: 'Big one' } })
    ).json();
    const res = await t.as(t.otherAgent, {
      method: 'POST',
      url: '/api/notes',
      payload: { subjectType: 'deal', subjectId: deal.id, body: 'Budget confirmed\nSign next week' },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ subjectType: 'deal', authorId: t.otherAgent.id });
    const timeline = (await t.as(t.admin, { method: 'GET', url: `/api/deals/${deal.id}/timeline` })).json();
    expect(timeline.items[0]).toMatchObject({
      kind: 'note',
      title: 'Budget confirmed',
      body: 'Budget confirmed\nSign next week',
      actor: { id: t.otherAgent.id, name: 'Oscar Other' },
      ref: { type: 'note', id: res.json().id },
    });
  });

  it('rejects an empty note and an unknown subject naming the field', async () => {
    const empty = await t.as(t.admin, {
      method: 'POST',
      url: '/api/notes',
      payload: { subjectType: 'lead', subjectId: 'x', body: ' ' },
    });
    expect(empty.json().error.details[0].path).toBe('body');
    const unknown = await t.as(t.admin, {
      method: 'POST',
      url: '/api/notes',
      payload: { subjectType: 'lead', subjectId: 'x', body: 'hi' },
    });
    expect(unknown.json().error.details).toMatchObject([{ path: 'subjectId', message: 'no lead with id x' }]);
  });

  it('refuses a note on a call that does not exist or that the author may not read, with 404', async () => {
    const contact = (
      await t.as(t.admin, {
        method: 'POST',
        url: '/api/contacts',
        payload: { firstName: 'Carla', lastName: 'Client', responsibleUserId: t.otherAgent.id },
      })
    ).json();
    const othersCall = await insertTestCall(t.database.db, {
      agentUserId: t.otherAgent.id,
      contactId: contact.id,
    });
    const note = (subjectId: string, user = t.agent) =>
      t.as(user, {
        method: 'POST',
        url: '/api/notes',
        payload: { subjectType: 'call', subjectId, body: 'planted' },
      });
    for (const res of [await note(othersCall), await note('no-such-call')]) {
      expect(res.statusCode, res.body).toBe(404);
      expect(res.json().error.code).toBe('SB_ERR_NOT_FOUND');
    }
    // The call's owner sees no planted note.
    const view = await t.as(t.otherAgent, { method: 'GET', url: `/api/calls/${othersCall}` });
    expect(view.json().note).toBe('');
    // Its handler and an admin may annotate it; so may the agent responsible for the call's contact.
    expect((await note(othersCall, t.otherAgent)).statusCode).toBe(201);
    expect((await note(othersCall, t.admin)).statusCode).toBe(201);
    const ownCall = await insertTestCall(t.database.db, { agentUserId: t.agent.id, contactId: null });
    expect((await note(ownCall)).statusCode).toBe(201);
  });

  it('requires a signed-in user', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/contacts/x/timeline' });
    expect(res.statusCode).toBe(401);
  });
});
