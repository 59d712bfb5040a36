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

  it('finds a task by the digits of a number in its title, however the user spaces them', async () => {
    const mk = async (title: string) =>
      (await t.as(t.admin, { method: 'POST', url: '/api/tasks', payload: { title } })).json().id as string;
    // Callback tasks write numbers in international groups, as the web shows them.
    const fr = await mk('Call back Anna (+33 6 12 34 56 78) — called 3×');
    const ru = await mk('Перезвонить +7 985 123 45 67 — звонил(а) 3 раза');
    const other = await mk('Rappeler +33 6 99 88 77 66 — appel manqué');
    const quote = await mk('Send quote 2026-12 to Anna');
    const search = async (q: string) => {
      const res = await t.as(t.agent, {
        method: 'GET',
        url: `/api/tasks?q=${encodeURIComponent(q)}&pageSize=100`,
      });
      expect(res.statusCode, res.body).toBe(200);
      return (res.json().items as { id: string }[])
        .map((i) => i.id)
        .filter((id) => [fr, ru, other, quote].includes(id));
    };
    for (const q of [
      '33612345678',
      '+33612345678',
      '+33 6 12 34 56 78',
      '0612345678',
      '06 12 34 56 78',
      '06.12.34.56.78',
      '(0)6-12-34',
      '6 12 34',
      '0033 6 12 34 56 78',
    ]) {
      expect(await search(q), q).toEqual([fr]);
    }
    expect(await search('79851234567')).toEqual([ru]);
    expect(await search('+7 (985) 123-45-67')).toEqual([ru]);
    expect(await search('985 123')).toEqual([ru]);
    // Digits across two numbers of a title, or across a number and a count, are not a number.
    expect(await search('783')).toEqual([]);
    expect(await search('6712')).toEqual([]);
    // Text still matches the title as before, digits in it included.
    expect(await search('anna')).toEqual(expect.arrayContaining([fr, quote]));
    expect(await search('2026-12')).toEqual([quote]);
    expect(await search('202612')).toEqual([quote]);
    expect(await search('called 3')).toEqual([fr]);
    // The CSV export filters the same way.
    const csv = (
      await t.as(t.agent, { method: 'GET', url: '/api/tasks/export.csv?q=06%2012%2034%2056%2078' })
    ).body;
    expect(csv).toContain(fr);
    expect(csv).not.toContain(other);
    // A national Russian number (trunk 8) is read with the company's default country.
    expect(await search('8 985 123 45 67')).toEqual([]);
    const settings = (await t.as(t.admin, { method: 'GET', url: '/api/settings' })).json();
    const patch = (country: string) =>
      t.as(t.admin, { method: 'PATCH', url: '/api/settings', payload: { defaultCountry: country } });
    expect((await patch('RU')).statusCode).toBe(200);
    try {
      expect(await search('8 985 123 45 67')).toEqual([ru]);
    } finally {
      expect((await patch(settings.defaultCountry)).statusCode).toBe(200);
    }
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
