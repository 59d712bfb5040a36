import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DIALECTS } from '../../../test-support/test-database.js';
import { type CrmTestContext, openCrmTest } from '../shared/test-crm.js';

interface Stage {
  id: string;
  name: string;
  kind: 'open' | 'won' | 'lost';
  position?: number;
}

describe.each(TEST_DIALECTS)('editing pipeline stages on %s', (dialect) => {
  let t: CrmTestContext;
  let pipeline: { id: string; stages: Stage[] };
  beforeAll(async () => {
    t = await openCrmTest(dialect);
    pipeline = (await t.as(t.agent, { method: 'GET', url: '/api/pipelines' })).json()[0];
  });
  afterAll(async () => {
    await t.close();
  });

  const save = (stages: unknown[], user = t.admin) =>
    t.as(user, { method: 'PUT', url: `/api/pipelines/${pipeline.id}/stages`, payload: { stages } });

  it('renames, reorders and adds stages for an admin, and every user sees the new order', async () => {
    const [first, second, ...rest] = pipeline.stages as [Stage, Stage, ...Stage[]];
    const res = await save([
      { id: second.id, name: second.name, kind: second.kind },
      { id: first.id, name: 'Premier contact', kind: 'open' },
      { name: 'Devis envoyé', kind: 'open' },
      ...rest.map(({ id, name, kind }) => ({ id, name, kind })),
    ]);
    expect(res.statusCode, res.body).toBe(200);
    const seen = (await t.as(t.agent, { method: 'GET', url: '/api/pipelines' })).json()[0].stages as Stage[];
    expect(seen.map((s) => s.name).slice(0, 3)).toEqual([second.name, 'Premier contact', 'Devis envoyé']);
    expect(seen.map((s) => s.position)).toEqual(seen.map((_, i) => i));
    pipeline = { ...pipeline, stages: seen };
  });

  it('refuses to remove a stage that still holds deals, and removes an empty one', async () => {
    const [holding, empty] = pipeline.stages as [Stage, Stage];
    const deal = await t.as(t.admin, {
      method: 'POST',
      url: '/api/deals',
      payload: { title: 'Held', stageId: holding.id },
    });
    expect(deal.statusCode, deal.body).toBe(201);
    const keep = (s: Stage) => ({ id: s.id, name: s.name, kind: s.kind });
    const refused = await save(pipeline.stages.filter((s) => s.id !== holding.id).map(keep));
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('SB_ERR_CONFLICT');
    const removed = await save(pipeline.stages.filter((s) => s.id !== empty.id).map(keep));
    expect(removed.statusCode, removed.body).toBe(200);
    expect(removed.json().stages.map((s: Stage) => s.id)).not.toContain(empty.id);
  });

  it('refuses agents, a pipeline without an open stage and a stage of another pipeline', async () => {
    const stages = pipeline.stages.map(({ id, name, kind }) => ({ id, name, kind }));
    expect((await save(stages, t.agent)).statusCode).toBe(403);
    const noOpen = await save([{ name: 'Won', kind: 'won' }]);
    expect(noOpen.statusCode).toBe(400);
    expect(noOpen.json().error.details[0]).toMatchObject({ reason: 'stage_open_required' });
    const foreign = await save([{ id: 'not-a-stage', name: 'X', kind: 'open' }]);
    expect(foreign.statusCode).toBe(400);
  });
});
