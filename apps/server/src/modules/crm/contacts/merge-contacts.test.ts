import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../../../test-support/test-database.js';
import { insertTestCall } from '../../telephony/test-support/test-calls.js';
import { type CrmTestContext, openCrmTest } from '../shared/test-crm.js';

describe.each(TEST_DIALECTS)('merging contacts on %s', (dialect) => {
  let t: CrmTestContext;
  beforeAll(async () => {
    t = await openCrmTest(dialect);
  });
  afterAll(async () => {
    await t.close();
  });

  const post = async (url: string, payload: Record<string, unknown>, user = t.admin) => {
    const res = await t.as(user, { method: 'POST', url, payload });
    expect(res.statusCode, res.body).toBeLessThan(300);
    return res.json();
  };

  it('moves phones, emails, deals, leads, calls, tasks, notes and timeline to the kept contact and deletes the other', async () => {
    const keep = await post('/api/contacts', {
      firstName: 'Marie',
      lastName: 'Curie',
      phones: [{ raw: '+33 6 12 00 00 01', label: 'mobile' }],
      emails: [{ email: 'marie@example.com', label: 'work' }],
    });
    const dup = await post('/api/contacts', {
      firstName: 'M.',
      lastName: 'Curie (doublon)',
      notes: 'Prefers mornings',
      doNotCall: true,
      phones: [
        { raw: '06 12 00 00 01', label: 'mobile' },
        { raw: '+33 1 45 00 00 02', label: 'work' },
      ],
      emails: [
        { email: 'MARIE@example.com', label: '' },
        { email: 'm.curie@example.org', label: 'home' },
      ],
    });
    const deal = await post('/api/deals', { title: 'Radium', contactId: dup.id });
    const lead = await post('/api/leads', { title: 'Polonium', contactId: dup.id });
    const task = await post('/api/tasks', { title: 'Call back', subjectType: 'contact', subjectId: dup.id });
    await post('/api/notes', { subjectType: 'contact', subjectId: dup.id, body: 'Met at the lab' });
    const callId = await insertTestCall(t.database.db, { agentUserId: t.agent.id, contactId: dup.id });

    const merged = await post(`/api/contacts/${keep.id}/merge`, { mergeId: dup.id });
    expect(merged.displayName).toBe('Marie Curie');
    expect(merged.phones.map((p: { e164: string }) => p.e164)).toEqual(['+33612000001', '+33145000002']);
    expect(merged.emails.map((e: { email: string }) => e.email)).toEqual([
      'marie@example.com',
      'm.curie@example.org',
    ]);
    expect(merged).toMatchObject({ notes: 'Prefers mornings', doNotCall: true });

    expect((await t.as(t.admin, { method: 'GET', url: `/api/contacts/${dup.id}` })).statusCode).toBe(404);
    const db = t.database.db;
    expect(
      (await db.selectFrom('deals').select('contact_id').where('id', '=', deal.id).executeTakeFirst())
        ?.contact_id,
    ).toBe(keep.id);
    expect(
      (await db.selectFrom('leads').select('contact_id').where('id', '=', lead.id).executeTakeFirst())
        ?.contact_id,
    ).toBe(keep.id);
    expect(
      (await db.selectFrom('calls').select('contact_id').where('id', '=', callId).executeTakeFirst())
        ?.contact_id,
    ).toBe(keep.id);
    expect(
      (await db.selectFrom('tasks').select('subject_id').where('id', '=', task.id).executeTakeFirst())
        ?.subject_id,
    ).toBe(keep.id);
    const timeline = (
      await t.as(t.admin, { method: 'GET', url: `/api/contacts/${keep.id}/timeline` })
    ).json();
    const texts = JSON.stringify(timeline);
    expect(texts).toContain('Met at the lab');
    expect(texts).toContain('contact.merged');
    // The duplicate's number now finds the kept contact, and the search no longer names the duplicate.
    const lookup = (
      await t.as(t.agent, { method: 'GET', url: '/api/contacts/lookup?phone=0145000002' })
    ).json();
    expect(lookup.matches.map((c: { id: string }) => c.id)).toEqual([keep.id]);
    const search = (await t.as(t.agent, { method: 'GET', url: '/api/contacts?q=doublon' })).json();
    expect(search.items).toEqual([]);
  });

  it('refuses merging a contact into itself, and an agent merging someone else’s contact', async () => {
    const mine = await post('/api/contacts', { lastName: 'Mine' }, t.agent);
    const theirs = await post('/api/contacts', { lastName: 'Theirs' }, t.otherAgent);
    const self = await t.as(t.agent, {
      method: 'POST',
      url: `/api/contacts/${mine.id}/merge`,
      payload: { mergeId: mine.id },
    });
    expect(self.statusCode).toBe(400);
    expect(self.json().error.details[0]).toMatchObject({ path: 'mergeId', reason: 'merge_same' });
    const foreign = await t.as(t.agent, {
      method: 'POST',
      url: `/api/contacts/${mine.id}/merge`,
      payload: { mergeId: theirs.id },
    });
    expect(foreign.statusCode).toBe(403);
    // Nothing moved: both still exist.
    expect((await t.as(t.admin, { method: 'GET', url: `/api/contacts/${theirs.id}` })).statusCode).toBe(200);
  });
});
