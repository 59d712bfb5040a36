/**
 * The right to be forgotten for a contact's calls, on the in-memory vault: every recording goes from our store and
 * from Zadarma, a legal hold keeps one, a Zadarma failure is reported and left for a second run.
 */
import { describe, expect, it } from 'vitest';
import { systemActor, userActor } from '../../../platform/auth/actor.js';
import { createInlineJobQueue } from '../../../platform/jobs/inline-job-queue.js';
import {
  createInMemoryRecordingRepository,
  createInMemoryRecordingSource,
  createInMemoryRecordingStore,
} from '../adapters/in-memory-recordings.js';
import { createManualClock } from '../adapters/in-memory-webhook-path.js';
import { ERASE_AT_ZADARMA_JOB, eraseAtZadarma, eraseContactRecordings } from './erase-contact-recordings.js';

const admin = userActor({ id: 'u-admin', role: 'admin', name: 'Ada', locale: 'en' });
const agent = userActor({ id: 'u-olga', role: 'agent', name: 'Olga', locale: 'en' });
const audio = new Uint8Array([1, 2, 3, 4, 5]);

/** Calls c-1, c-2, c-3 are Anna's, c-9 someone else's. `queue`: Zadarma's failed deletes are retried by a job. */
function vault(options: { queue?: boolean } = {}) {
  const contacts: Record<string, string> = { 'c-1': 'anna', 'c-2': 'anna', 'c-3': 'anna', 'c-9': 'bob' };
  const recordings = createInMemoryRecordingRepository((callId) => contacts[callId] ?? null);
  const store = createInMemoryRecordingStore();
  const source = createInMemoryRecordingSource();
  // A stored copy (ours and Zadarma's), a link-only one (Zadarma's only), Bob's stored copy.
  recordings.add({ id: 'r-1', callId: 'c-1', recordingId: 'z-1', status: 'stored', storageKey: 'r-1.mp3' });
  store.put('r-1.mp3', audio);
  source.file('z-1', audio);
  recordings.add({
    id: 'r-2',
    callId: 'c-2',
    recordingId: 'z-2',
    status: 'linked',
    createdAt: '2026-01-15T09:01:00.000Z',
  });
  source.file('z-2', audio);
  recordings.add({ id: 'r-9', callId: 'c-9', recordingId: 'z-9', status: 'stored', storageKey: 'r-9.mp3' });
  store.put('r-9.mp3', audio);
  source.file('z-9', audio);
  let now = Date.parse('2026-01-15T10:00:00.000Z');
  const jobs = options.queue ? createInlineJobQueue({ now: () => now }) : null;
  /** Moves the queue's clock past any retry's backoff. */
  const later = () => {
    now += 24 * 3_600_000;
  };
  jobs?.handle<{ recordingId: string }>(ERASE_AT_ZADARMA_JOB, async (job) => {
    await eraseAtZadarma({ source }, job.payload);
  });
  const ports = { recordings, store, source, clock: createManualClock(), jobs };
  return { ports, recordings, store, source, jobs, later };
}

describe('eraseContactRecordings', () => {
  it("erases the contact's recordings from our store and from Zadarma, and only theirs", async () => {
    const { ports, recordings, store, source } = vault();
    const report = await eraseContactRecordings(ports, admin, 'anna');
    expect(report).toMatchObject({
      recordings: 2,
      ourCopiesDeleted: 1,
      zadarmaDeleted: 2,
      zadarmaAbsent: 0,
      heldBack: 0,
      failed: 0,
    });
    expect(report.items).toEqual([
      { callId: 'c-1', recordingId: 'z-1', ourCopy: 'deleted', zadarma: 'deleted', error: null },
      { callId: 'c-2', recordingId: 'z-2', ourCopy: 'none', zadarma: 'deleted', error: null },
    ]);
    expect(store.bytes('r-1.mp3')).toBeUndefined();
    expect((await recordings.get('r-1'))?.status).toBe('deleted');
    expect((await recordings.get('r-2'))?.status).toBe('deleted');
    expect(await recordings.latestForCall('c-1')).toBeNull();
    // Bob's recording is untouched.
    expect(store.bytes('r-9.mp3')).toEqual(audio);
    expect(source.removed).toEqual(['z-1', 'z-2']);
    // A second run has nothing left to do.
    expect((await eraseContactRecordings(ports, admin, 'anna')).recordings).toBe(0);
  });

  it('keeps a recording on legal hold, everywhere, and says so', async () => {
    const { ports, recordings, store, source } = vault();
    await recordings.setLegalHold('r-1', true);
    const report = await eraseContactRecordings(ports, admin, 'anna');
    expect(report.heldBack).toBe(1);
    expect(report.items[0]).toEqual({
      callId: 'c-1',
      recordingId: 'z-1',
      ourCopy: 'kept',
      zadarma: 'kept',
      error: null,
    });
    expect(store.bytes('r-1.mp3')).toEqual(audio);
    expect((await recordings.get('r-1'))?.status).toBe('stored');
    expect(source.removed).toEqual(['z-2']);
  });

  it("reports Zadarma's file already gone as absent", async () => {
    const { ports, source } = vault();
    await source.remove('z-2');
    source.removed.length = 0;
    const report = await eraseContactRecordings(ports, admin, 'anna');
    expect(report).toMatchObject({ zadarmaDeleted: 1, zadarmaAbsent: 1, failed: 0 });
    expect(report.items[1]).toMatchObject({ recordingId: 'z-2', zadarma: 'absent' });
  });

  it('reports a Zadarma failure, deletes our copy, and leaves the recording listed for a second run', async () => {
    const { ports, recordings, store, source } = vault();
    source.fail('remove', new Error('Zadarma answered 500'));
    const first = await eraseContactRecordings(ports, admin, 'anna');
    expect(first.failed).toBe(1);
    expect(first.items[0]).toEqual({
      callId: 'c-1',
      recordingId: 'z-1',
      ourCopy: 'deleted',
      zadarma: 'failed',
      error: 'Zadarma answered 500',
    });
    expect(store.bytes('r-1.mp3')).toBeUndefined();
    // Still playable through a link, still the contact's: the second run finishes it.
    expect(await recordings.get('r-1')).toMatchObject({ status: 'linked', storageKey: null });
    const second = await eraseContactRecordings(ports, admin, 'anna');
    expect(second).toMatchObject({ recordings: 1, zadarmaDeleted: 1, failed: 0 });
    expect(second.items[0]).toMatchObject({ recordingId: 'z-1', ourCopy: 'none', zadarma: 'deleted' });
    expect((await recordings.get('r-1'))?.status).toBe('deleted');
  });

  it('never calls a recording that was never fetched "linked" when Zadarma’s delete fails', async () => {
    const { ports, recordings, source } = vault();
    recordings.add({ id: 'r-3', callId: 'c-3', recordingId: 'z-3', status: 'pending' });
    source.file('z-3', audio);
    source.fail('remove', new Error('Zadarma answered 503'), 3);
    const report = await eraseContactRecordings(ports, admin, 'anna');
    expect(report.items.find((i) => i.recordingId === 'z-3')).toEqual({
      callId: 'c-3',
      recordingId: 'z-3',
      ourCopy: 'none',
      zadarma: 'failed',
      error: 'Zadarma answered 503',
    });
    expect((await recordings.get('r-3'))?.status).toBe('pending');
    expect((await recordings.get('r-2'))?.status).toBe('linked');
  });

  it('with a queue, erases our side at once and retries Zadarma’s delete until it is done', async () => {
    const { ports, recordings, store, source, jobs, later } = vault({ queue: true });
    recordings.add({ id: 'r-3', callId: 'c-3', recordingId: 'z-3', status: 'pending' });
    source.file('z-3', audio);
    // Every delete of this run fails, and the first retry too.
    source.fail('remove', new Error('Zadarma answered 503'), 4);
    const report = await eraseContactRecordings(ports, admin, 'anna');
    expect(report).toMatchObject({ recordings: 3, ourCopiesDeleted: 1, failed: 3 });
    expect(report.items.map((i) => [i.recordingId, i.ourCopy, i.zadarma]).sort()).toEqual([
      ['z-1', 'deleted', 'failed'],
      ['z-2', 'none', 'failed'],
      ['z-3', 'none', 'failed'],
    ]);
    expect(store.bytes('r-1.mp3')).toBeUndefined();
    for (const id of ['r-1', 'r-2', 'r-3']) {
      expect((await recordings.get(id))?.status).toBe('deleted');
    }
    expect(await recordings.latestForCall('c-3')).toBeNull();
    // One retry fails (the fourth failure), then each job deletes Zadarma's file.
    await jobs?.drain();
    expect(source.removed).toHaveLength(2);
    later();
    await jobs?.drain();
    expect([...source.removed].sort()).toEqual(['z-1', 'z-2', 'z-3']);
    expect(source.removed).not.toContain('z-9');
  });

  it('refuses anyone but an administrator with SB_ERR_FORBIDDEN, erasing nothing', async () => {
    const { ports, store, source } = vault();
    for (const actor of [agent, systemActor('test')]) {
      await expect(eraseContactRecordings(ports, actor, 'anna')).rejects.toMatchObject({
        code: 'SB_ERR_FORBIDDEN',
      });
    }
    expect(store.bytes('r-1.mp3')).toEqual(audio);
    expect(source.removed).toEqual([]);
  });
});
