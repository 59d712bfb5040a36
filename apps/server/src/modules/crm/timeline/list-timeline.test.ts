import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../../../test-support/test-database.js';
import { insertTestCall } from '../../telephony/test-support/test-calls.js';
import { type CrmTestContext, openCrmTest } from '../shared/test-crm.js';

describe.each(TEST_DIALECTS)('call items on timelines on %s', (dialect) => {
  let t: CrmTestContext;
  beforeAll(async () => {
    t = await openCrmTest(dialect);
  });
  afterAll(async () => {
    await t.close();
  });

  it('shows an agent the same calls on a contact timeline as /api/calls does', async () => {
    // A contact nobody in particular is responsible for, with one call each agent handled.
    const contact = (
      await t.as(t.admin, {
        method: 'POST',
        url: '/api/contacts',
        payload: { firstName: 'Tess', lastName: 'Timeline', responsibleUserId: null },
      })
    ).json();
    const mine = await insertTestCall(t.database.db, { agentUserId: t.agent.id, contactId: contact.id });
    const others = await insertTestCall(t.database.db, {
      agentUserId: t.otherAgent.id,
      contactId: contact.id,
    });
    const callsOnTimeline = async (user: typeof t.agent) =>
      (await t.as(user, { method: 'GET', url: `/api/contacts/${contact.id}/timeline` }))
        .json()
        .items.filter((i: { kind: string }) => i.kind === 'call')
        .map((i: { ref: { id: string } }) => i.ref.id)
        .sort();
    const callsListed = async (user: typeof t.agent) =>
      (await t.as(user, { method: 'GET', url: `/api/calls?contactId=${contact.id}` }))
        .json()
        .items.map((c: { id: string }) => c.id)
        .sort();

    expect(await callsOnTimeline(t.agent)).toEqual([mine]);
    expect(await callsListed(t.agent)).toEqual([mine]);
    expect(await callsOnTimeline(t.otherAgent)).toEqual([others]);
    expect(await callsListed(t.otherAgent)).toEqual([others]);
    expect(await callsOnTimeline(t.admin)).toEqual([mine, others].sort());
    expect(await callsListed(t.admin)).toEqual([mine, others].sort());

    // The agent responsible for the contact reads all its calls, on both.
    await t.as(t.admin, {
      method: 'PATCH',
      url: `/api/contacts/${contact.id}`,
      payload: { responsibleUserId: t.agent.id },
    });
    expect(await callsOnTimeline(t.agent)).toEqual([mine, others].sort());
    expect(await callsListed(t.agent)).toEqual([mine, others].sort());
    // Other items stay visible to everyone.
    const items = (
      await t.as(t.otherAgent, { method: 'GET', url: `/api/contacts/${contact.id}/timeline` })
    ).json().items as { kind: string }[];
    expect(items.some((i) => i.kind === 'created')).toBe(true);
  });
});
