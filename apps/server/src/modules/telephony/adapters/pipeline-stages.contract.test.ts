/**
 * The `PipelineStages` contract: a deal rule may name a pipeline that exists and an open stage (of that pipeline,
 * when it names one) — never a won or lost stage, nor a stage of another pipeline — alike on the Kysely adapter
 * (both dialects) and in memory.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../platform/ids.js';
import type { PipelineStages } from '../ports.js';
import { type Opened, onEveryDialect } from '../test-support/contract-adapters.js';
import { createInMemoryPipelineStages } from './in-memory-after-call.js';
import { createKyselyPipelineStages } from './kysely-new-caller-inbox.js';

/** Two pipelines: Sales (an open stage and a won one) and Support (one open stage). */
interface Seeded {
  readonly pipelines: PipelineStages;
  readonly sales: string;
  readonly support: string;
  readonly proposal: string;
  readonly won: string;
  readonly triage: string;
}

const ids = () => ({ sales: newId(), support: newId(), proposal: newId(), won: newId(), triage: newId() });

const ADAPTERS = [
  ...onEveryDialect<Seeded>(async ({ db }) => {
    const s = ids();
    await db
      .insertInto('pipelines')
      .values([
        { id: s.sales, name: 'Sales', position: 0, created_at: '2026-01-01T00:00:00.000Z' },
        { id: s.support, name: 'Support', position: 1, created_at: '2026-01-01T00:00:00.000Z' },
      ])
      .execute();
    await db
      .insertInto('pipeline_stages')
      .values([
        { id: s.proposal, pipeline_id: s.sales, name: 'Proposal', position: 0, kind: 'open' },
        { id: s.won, pipeline_id: s.sales, name: 'Won', position: 1, kind: 'won' },
        { id: s.triage, pipeline_id: s.support, name: 'Triage', position: 0, kind: 'open' },
      ])
      .execute();
    return { ...s, pipelines: createKyselyPipelineStages(db) };
  }),
  {
    name: 'in-memory',
    async open(): Promise<Opened<Seeded>> {
      const s = ids();
      const pipelines = createInMemoryPipelineStages({
        [s.sales]: [
          { id: s.proposal, kind: 'open' },
          { id: s.won, kind: 'won' },
        ],
        [s.support]: [{ id: s.triage, kind: 'open' }],
      });
      return { ...s, pipelines, done: async () => {} };
    },
  },
];

describe.each(ADAPTERS)('PipelineStages contract: $name', ({ open }) => {
  let o: Opened<Seeded>;
  beforeAll(async () => {
    o = await open();
  });
  afterAll(async () => {
    await o?.done();
  });

  it('takes no pipeline and no stage, or a pipeline that exists', async () => {
    expect(await o.pipelines.exists(null, null)).toBe(true);
    expect(await o.pipelines.exists(o.sales, null)).toBe(true);
    expect(await o.pipelines.exists(newId(), null)).toBe(false);
  });

  it('takes an open stage, in its own pipeline when one is named', async () => {
    expect(await o.pipelines.exists(o.sales, o.proposal)).toBe(true);
    expect(await o.pipelines.exists(null, o.triage)).toBe(true);
    expect(await o.pipelines.exists(o.sales, o.triage)).toBe(false);
    expect(await o.pipelines.exists(newId(), o.proposal)).toBe(false);
  });

  it('refuses a won stage and an unknown one', async () => {
    expect(await o.pipelines.exists(o.sales, o.won)).toBe(false);
    expect(await o.pipelines.exists(null, o.won)).toBe(false);
    expect(await o.pipelines.exists(null, newId())).toBe(false);
  });
});
