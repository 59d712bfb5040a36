/**
 * The `HistoryRunStore` contract: the Kysely adapter (both dialects) and the in-memory one keep a run's cursor and
 * report alike, and a finished or cancelled run is never moved again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryRunStore } from '../ports.js';
import { type Opened, onEveryDialect } from '../test-support/contract-adapters.js';
import { createInMemoryHistoryRunStore } from './in-memory-history.js';
import { createKyselyHistoryRunStore } from './kysely-history-runs.js';

const ADAPTERS = [
  ...onEveryDialect((database) => ({ runs: createKyselyHistoryRunStore(database.db) })),
  { name: 'in-memory', open: async () => ({ runs: createInMemoryHistoryRunStore(), done: async () => {} }) },
];

const progress = {
  windowStart: '2026-01-01 00:00:00',
  skip: 1000,
  reachedAt: '2026-01-03 10:00:00',
  pages: 1,
  rows: 1000,
  callsChecked: 640,
  callsMissing: 12,
  callsHealed: 11,
  badRows: 2,
  problems: ['row 1.2 of call in_1: no disposition'],
};

describe.each(ADAPTERS)('HistoryRunStore contract: $name', ({ open }) => {
  let o: Opened<{ runs: HistoryRunStore }>;
  beforeAll(async () => {
    o = await open();
  });
  afterAll(async () => {
    await o?.done();
  });

  it('creates a queued run at the start of its period, moves its cursor, and finishes it once', async () => {
    const created = await o.runs.create({
      id: 'run-a',
      kind: 'import',
      periodStart: '2026-01-01 00:00:00',
      periodEnd: '2026-01-31 00:00:00',
      pageSize: 1000,
      requestedBy: null,
      createdAt: '2026-01-31T09:00:00.000Z',
    });
    expect(created).toMatchObject({
      status: 'queued',
      windowStart: '2026-01-01 00:00:00',
      skip: 0,
      problems: [],
    });
    expect((await o.runs.active('import'))?.id).toBe('run-a');
    expect(await o.runs.active('reconcile')).toBeNull();
    expect(
      await o.runs.advance(
        'run-a',
        progress,
        'waiting',
        '2026-01-31T09:00:20.000Z',
        '2026-01-31T09:00:01.000Z',
      ),
    ).toBe(true);
    expect(await o.runs.get('run-a')).toMatchObject({
      ...progress,
      status: 'waiting',
      resumeAt: '2026-01-31T09:00:20.000Z',
      updatedAt: '2026-01-31T09:00:01.000Z',
    });
    expect(await o.runs.finish('run-a', 'cancelled', null, '2026-01-31T09:00:02.000Z')).toBe(true);
    // A cancel wins: the page that was being read moves nothing, and the run is not finished twice.
    expect(
      await o.runs.advance('run-a', { ...progress, pages: 2 }, 'running', null, '2026-01-31T09:00:03.000Z'),
    ).toBe(false);
    expect(await o.runs.finish('run-a', 'done', null, '2026-01-31T09:00:04.000Z')).toBe(false);
    expect(await o.runs.get('run-a')).toMatchObject({
      status: 'cancelled',
      pages: 1,
      resumeAt: null,
      finishedAt: '2026-01-31T09:00:02.000Z',
    });
    expect(await o.runs.active('import')).toBeNull();
  });

  it('answers the latest run of a kind', async () => {
    await o.runs.create({
      id: 'run-b',
      kind: 'reconcile',
      periodStart: '2026-01-29 00:00:00',
      periodEnd: '2026-01-31 00:00:00',
      pageSize: 1000,
      requestedBy: null,
      createdAt: '2026-02-01T02:00:00.000Z',
    });
    await o.runs.finish('run-b', 'failed', 'Zadarma kept answering 503', '2026-02-01T02:05:00.000Z');
    expect(await o.runs.latest('reconcile')).toMatchObject({
      id: 'run-b',
      status: 'failed',
      error: 'Zadarma kept answering 503',
    });
    expect((await o.runs.latest('import'))?.id).toBe('run-a');
    expect(await o.runs.get('nope')).toBeNull();
  });
});
