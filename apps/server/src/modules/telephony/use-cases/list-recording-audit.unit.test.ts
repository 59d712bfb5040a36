/** The listening audit a page at a time, newest first, on the in-memory vault. */
import { describe, expect, it } from 'vitest';
import { createInMemoryRecordingRepository } from '../adapters/in-memory-recordings.js';
import { listRecordingAudit } from './list-recording-audit.js';

describe('listRecordingAudit', () => {
  it('pages newest first and counts every line', async () => {
    const recordings = createInMemoryRecordingRepository();
    for (const [index, callId] of ['c-1', 'c-2', 'c-3', 'c-4', 'c-5'].entries()) {
      await recordings.audit(
        {
          at: `2026-12-04T10:0${index}:00.000Z`,
          userId: 'u-anna',
          actor: { kind: 'user', ref: 'u-anna' },
          callId,
          recordingId: null,
          action: 'play',
          outcome: 'allowed',
        },
        `a-${index}`,
      );
    }
    const first = await listRecordingAudit(recordings, { page: 1, pageSize: 2 });
    expect(first.total).toBe(5);
    expect(first.items.map((line) => line.callId)).toEqual(['c-5', 'c-4']);
    expect(first.items[0]).toMatchObject({ userId: 'u-anna', actorKind: 'user', actorRef: null });
    const last = await listRecordingAudit(recordings, { page: 3, pageSize: 2 });
    expect(last.items.map((line) => line.callId)).toEqual(['c-1']);
    expect((await listRecordingAudit(recordings, { page: 4, pageSize: 2 })).items).toEqual([]);
  });
});
