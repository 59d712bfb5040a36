import { describe, expect, it } from 'vitest';
import { systemActor } from '../../../platform/auth/actor.js';
import type { CallLogQuery, CallLogReader, CallTranscriptSearch, StoredCall } from '../ports.js';
import { listCallLog } from './list-call-log.js';

const HOUR_MS = 3_600_000;

/** A log over plain rows: start-time range, keyset and order, as the Kysely adapter pages. */
function logOf(calls: { id: string; startedAt: string }[]): CallLogReader & { queries: number } {
  const reader = {
    queries: 0,
    async page(_reader: unknown, q: CallLogQuery) {
      reader.queries += 1;
      const newest = q.order === 'newest';
      const key = (c: { startedAt: string; id: string }) => `${c.startedAt}|${c.id}`;
      return calls
        .filter((c) => (!q.from || c.startedAt >= q.from) && (!q.to || c.startedAt < q.to))
        .filter((c) => !q.within || q.within.some((r) => c.startedAt >= r.from && c.startedAt < r.to))
        .filter((c) => {
          if (!q.after) {
            return true;
          }
          const at = key(c);
          const cut = `${q.after.startedAt}|${q.after.id}`;
          return newest ? at < cut : at > cut;
        })
        .sort((a, b) => (key(a) < key(b) ? -1 : 1) * (newest ? -1 : 1))
        .slice(0, q.limit) as unknown as StoredCall[];
    },
    async followUps() {
      return [];
    },
    async trace() {
      return [];
    },
  };
  return reader;
}

/** No call said anything: these tests page by heatmap cell, not by transcript. */
const noTranscripts: CallTranscriptSearch = { callsSaying: async () => [] };

describe('listCallLog for a heatmap cell', () => {
  // Calls every 20 minutes through March 2026 (UTC).
  const start = Date.parse('2026-03-01T00:00:00Z');
  const calls = Array.from({ length: 31 * 72 }, (_, i) => ({
    id: `c${String(i).padStart(5, '0')}`,
    startedAt: new Date(start + i * 20 * 60_000).toISOString(),
  }));
  const cell = { weekday: 0, hour: 10, timeZone: 'Europe/Paris' };
  const inCell = (c: { startedAt: string }) => {
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone: 'Europe/Paris',
      hourCycle: 'h23',
      hour: '2-digit',
      weekday: 'short',
    }).formatToParts(new Date(Math.floor(Date.parse(c.startedAt) / HOUR_MS) * HOUR_MS));
    return (
      parts.find((p) => p.type === 'weekday')?.value === 'Mon' &&
      parts.find((p) => p.type === 'hour')?.value === '10'
    );
  };

  for (const order of ['newest', 'oldest'] as const) {
    it(`pages through exactly the cell's calls, ${order} first`, async () => {
      const log = logOf(calls);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: Awaited<ReturnType<typeof listCallLog>> = await listCallLog(
          { calls: log, transcripts: noTranscripts },
          systemActor('test'),
          {
            order,
            from: '2026-03-01T00:00:00.000Z',
            to: '2026-04-01T00:00:00.000Z',
            localHour: cell,
            limit: 4,
            ...(cursor ? { cursor } : {}),
          },
        );
        seen.push(...page.items.map((c) => c.id));
        cursor = page.nextCursor;
      } while (cursor);
      const expected = calls.filter(inCell).map((c) => c.id);
      expect(expected).toHaveLength(15);
      expect(seen).toEqual(order === 'newest' ? [...expected].reverse() : expected);
    });
  }

  it('refuses a cell without a period', async () => {
    await expect(
      listCallLog({ calls: logOf(calls), transcripts: noTranscripts }, systemActor('test'), {
        order: 'newest',
        localHour: cell,
        limit: 10,
      }),
    ).rejects.toMatchObject({ code: 'SB_ERR_VALIDATION' });
  });
});

describe('listCallLog for words said in the call', () => {
  it('narrows the log to the calls the transcripts name, with the bounds of their starts', async () => {
    const queries: CallLogQuery[] = [];
    const calls: CallLogReader = {
      async page(_reader, q) {
        queries.push(q);
        return [];
      },
      followUps: async () => [],
      trace: async () => [],
    };
    const transcripts: CallTranscriptSearch = {
      callsSaying: async () => [
        { callId: 'c1', startedAtMost: null },
        { callId: 'c2', startedAtMost: '2026-03-02T09:00:00.000Z' },
      ],
    };
    await listCallLog({ calls, transcripts }, systemActor('test'), {
      order: 'newest',
      limit: 10,
      said: 'refund',
    });
    expect(queries[0]?.callIds).toEqual(['c1', 'c2']);
    expect(queries[0]?.callStartBounds).toEqual(new Map([['c2', '2026-03-02T09:00:00.000Z']]));
  });

  it('reads no page when no transcript says it', async () => {
    const calls = logOf([{ id: 'c1', startedAt: '2026-03-02T09:00:00.000Z' }]);
    const page = await listCallLog({ calls, transcripts: noTranscripts }, systemActor('test'), {
      order: 'newest',
      limit: 10,
      said: 'refund',
    });
    expect(page).toEqual({ items: [], nextCursor: null });
    expect(calls.queries).toBe(0);
  });
});
