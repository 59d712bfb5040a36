import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../../../test-support/test-database.js';
import { type CrmTestContext, openCrmTest } from '../shared/test-crm.js';

describe.each(TEST_DIALECTS)('tasks on %s', (dialect) => {
  let t: CrmTestContext;
  let contactId: string;
  beforeAll(async () => {
    t = await openCrmTest(dialect);
    contactId = (
      await t.as(t.admin, { method: 'POST', url: '/api/contacts', payload: { firstName: 'Client' } })
    ).json().id;
  });
  afterAll(async () => {
    await t.close();
  });

  it('creates a task for a contact, completes it, and both show on the contact timeline', async () => {
    const res = await t.as(t.agent, {
      method: 'POST',
      url: '/api/tasks',
      payload: {
        title: 'Call back',
        subjectType: 'contact',
        subjectId: contactId,
        dueAt: '2020-01-01T09:00:00+01:00',
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const task = res.json();
    expect(task).toMatchObject({
      status: 'open',
      assigneeId: t.agent.id,
      dueAt: '2020-01-01T08:00:00.000Z',
      completedAt: null,
    });
    const done = (
      await t.as(t.agent, { method: 'PATCH', url: `/api/tasks/${task.id}`, payload: { status: 'done' } })
    ).json();
    expect(done.status).toBe('done');
    expect(done.completedAt).toEqual(expect.any(String));
    const timeline = (
      await t.as(t.admin, { method: 'GET', url: `/api/contacts/${contactId}/timeline` })
    ).json();
    expect(
      timeline.items.map((i: { kind: string; title: string }) => `${i.kind}:${i.title}`).slice(0, 2),
    ).toEqual(['task:Task Call back done', 'task:Task Call back']);
  });

  it('lists overdue, today and this week, with undated tasks last', async () => {
    const now = Date.now();
    const mk = (title: string, dueAt: string | null) =>
      t.as(t.admin, {
        method: 'POST',
        url: '/api/tasks',
        payload: { title, dueAt, assigneeId: t.otherAgent.id },
      });
    await mk('Late', new Date(now - 3 * 86_400_000).toISOString());
    await mk('Soon', new Date(now + 2 * 86_400_000).toISOString());
    await mk('Someday', null);
    const q = async (query: string) =>
      (await t.as(t.admin, { method: 'GET', url: `/api/tasks?assigneeId=${t.otherAgent.id}&${query}` }))
        .json()
        .items.map((x: { title: string }) => x.title);
    expect(await q('due=overdue')).toEqual(['Late']);
    expect(await q('due=week')).toEqual(['Soon']);
    expect(await q('sort=dueAt')).toEqual(['Late', 'Soon', 'Someday']);
    expect(await q('q=som')).toEqual(['Someday']);
  });

  it('lets an agent edit tasks assigned to them or created by them, not others', async () => {
    const foreign = (
      await t.as(t.admin, {
        method: 'POST',
        url: '/api/tasks',
        payload: { title: 'Admin task', assigneeId: t.otherAgent.id },
      })
    ).json();
    expect(
      (await t.as(t.agent, { method: 'PATCH', url: `/api/tasks/${foreign.id}`, payload: { status: 'done' } }))
        .statusCode,
    ).toBe(403);
    const handed = (
      await t.as(t.agent, {
        method: 'POST',
        url: '/api/tasks',
        payload: { title: 'For Oscar', assigneeId: t.otherAgent.id },
      })
    ).json();
    expect(handed.assigneeId).toBe(t.otherAgent.id);
    expect(
      (
        await t.as(t.agent, {
          method: 'PATCH',
          url: `/api/tasks/${handed.id}`,
          payload: { title: 'For Oscar!' },
        })
      ).statusCode,
    ).toBe(200);
    expect((await t.as(t.otherAgent, { method: 'DELETE', url: `/api/tasks/${handed.id}` })).statusCode).toBe(
      204,
    );
  });

  it('rejects a subject type without id and an unknown subject', async () => {
    const a = await t.as(t.admin, {
      method: 'POST',
      url: '/api/tasks',
      payload: { title: 'x', subjectType: 'contact' },
    });
    expect(a.json().error.details[0].path).toBe('subjectId');
    const b = await t.as(t.admin, {
      method: 'POST',
      url: '/api/tasks',
      payload: { title: 'x', subjectType: 'deal', subjectId: 'nope' },
    });
    expect(b.json().error.details).toMatchObject([{ path: 'subjectId', message: 'no deal with id nope' }]);
    const call = await t.as(t.admin, {
      method: 'POST',
      url: '/api/tasks',
      payload: { title: 'Call back missed call', subjectType: 'call', subjectId: 'pbx-123' },
    });
    expect(call.statusCode).toBe(201);
  });
});
