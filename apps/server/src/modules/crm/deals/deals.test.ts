import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../../../test-support/test-database.js';
import { type CrmTestContext, openCrmTest } from '../shared/test-crm.js';

describe.each(TEST_DIALECTS)('pipelines and deals on %s', (dialect) => {
  let t: CrmTestContext;
  let pipeline: { id: string; name: string; stages: { id: string; name: string; kind: string }[] };
  beforeAll(async () => {
    t = await openCrmTest(dialect);
    pipeline = (await t.as(t.agent, { method: 'GET', url: '/api/pipelines' })).json()[0];
  });
  afterAll(async () => {
    await t.close();
  });

  it('has a seeded Sales pipeline with ordered open, won and lost stages', () => {
    expect(pipeline.name).toBe('Sales');
    expect(pipeline.stages.map((s) => s.name)).toEqual([
      'New',
      'Qualified',
      'Proposal',
      'Negotiation',
      'Won',
      'Lost',
    ]);
    expect(pipeline.stages.map((s) => s.kind)).toEqual(['open', 'open', 'open', 'open', 'won', 'lost']);
  });

  it('creates a deal in the first stage with the default currency and a decimal amount', async () => {
    const res = await t.as(t.agent, {
      method: 'POST',
      url: '/api/deals',
      payload: { title: 'Annual plan', amount: 1234.5 },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      amount: 1234.5,
      currency: 'EUR',
      pipelineId: pipeline.id,
      stageId: pipeline.stages[0]?.id,
      expectedCloseDate: null,
      responsibleUserId: t.agent.id,
    });
  });

  it('moves a deal between stages and records it on the contact timeline', async () => {
    const contact = (
      await t.as(t.admin, { method: 'POST', url: '/api/contacts', payload: { firstName: 'Buyer' } })
    ).json();
    const deal = (
      await t.as(t.admin, {
        method: 'POST',
        url: '/api/deals',
        payload: {
          title: 'Fleet',
          amount: 10,
          currency: 'USD',
          contactId: contact.id,
          expectedCloseDate: '2026-12-31',
        },
      })
    ).json();
    const won = pipeline.stages.find((s) => s.kind === 'won');
    const moved = await t.as(t.admin, {
      method: 'PATCH',
      url: `/api/deals/${deal.id}`,
      payload: { stageId: won?.id },
    });
    expect(moved.json().stageId).toBe(won?.id);
    const timeline = (
      await t.as(t.admin, { method: 'GET', url: `/api/contacts/${contact.id}/timeline` })
    ).json();
    expect(
      timeline.items.map((i: { kind: string; title: string }) => `${i.kind}:${i.title}`).slice(0, 2),
    ).toEqual(['deal:Deal Fleet moved to Won', 'deal:Deal Fleet (New)']);
    const byStage = (await t.as(t.admin, { method: 'GET', url: `/api/deals?stageId=${won?.id}` })).json();
    expect(byStage.items.map((d: { title: string }) => d.title)).toEqual(['Fleet']);
  });

  it('validates currency, amount, dates and stage with the field names', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ title: 'x', currency: 'EURO' }, 'currency'],
      [{ title: 'x', amount: -1 }, 'amount'],
      [{ title: 'x', expectedCloseDate: '31/12/2026' }, 'expectedCloseDate'],
      [{ title: 'x', stageId: 'nope' }, 'stageId'],
    ];
    for (const [payload, path] of cases) {
      const res = await t.as(t.admin, { method: 'POST', url: '/api/deals', payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().error.details[0].path).toBe(path);
    }
  });

  it('sorts deals by amount', async () => {
    const list = (await t.as(t.admin, { method: 'GET', url: '/api/deals?sort=-amount' })).json();
    expect(list.items.map((d: { amount: number }) => d.amount)).toEqual([1234.5, 10]);
  });
});
