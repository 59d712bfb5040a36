/**
 * The fetch job after NOTIFY_RECORD, on the in-memory vault: a copy stored with its size and hash (copy mode), a
 * link checked (link mode), a failure counted and thrown for the queue's retry, the last one marking it failed.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  createInMemoryRecordingRepository,
  createInMemoryRecordingSource,
  createInMemoryRecordingStore,
} from '../adapters/in-memory-recordings.js';
import { createManualClock } from '../adapters/in-memory-webhook-path.js';
import { type RecordingMode, RecordingSourceError } from '../ports.js';
import { fetchCallRecording } from './fetch-call-recording.js';

const audio = new Uint8Array(Array.from({ length: 23 }, (_, i) => i));

function vault(mode: RecordingMode = 'copy', contentType = 'audio/mpeg') {
  const recordings = createInMemoryRecordingRepository();
  const store = createInMemoryRecordingStore();
  const source = createInMemoryRecordingSource();
  const clock = createManualClock(Date.parse('2026-01-15T10:00:00.000Z'));
  recordings.add({ id: 'r-1', callId: 'c-1', recordingId: 'z-1' });
  source.file('z-1', audio, contentType);
  const ports = { recordings, store, source, clock, mode: async () => mode };
  return { ports, recordings, store, source, clock };
}

const job = (attempt = 1, maxAttempts = 3) => ({ payload: { recordingRowId: 'r-1' }, attempt, maxAttempts });

describe('fetchCallRecording', () => {
  it('stores a copy under the row id with the extension of its type, its size and hash', async () => {
    const { ports, recordings, store } = vault('copy', 'audio/x-wav');
    await expect(fetchCallRecording(ports, job())).resolves.toBe('stored');
    expect(store.bytes('r-1.wav')).toEqual(audio);
    expect(await recordings.get('r-1')).toMatchObject({
      status: 'stored',
      storageKey: 'r-1.wav',
      sizeBytes: 23,
      sha256: createHash('sha256').update(audio).digest('hex'),
      contentType: 'audio/x-wav',
      storedAt: '2026-01-15T10:00:00.000Z',
      lastError: null,
    });
  });

  it('names a copy of an unknown type .audio', async () => {
    const { ports, store } = vault('copy', 'application/octet-stream');
    await fetchCallRecording(ports, job());
    expect(store.bytes('r-1.audio')).toEqual(audio);
  });

  it('in link mode checks that a link is given and stores nothing', async () => {
    const { ports, recordings, store, source } = vault('link');
    await expect(fetchCallRecording(ports, job())).resolves.toBe('linked');
    expect(await recordings.get('r-1')).toMatchObject({ status: 'linked', storageKey: null });
    expect(store.bytes('r-1.mp3')).toBeUndefined();
    expect(source.downloads).toEqual([]);
  });

  it('is idempotent: a second run of the job does nothing', async () => {
    const { ports, source } = vault();
    await fetchCallRecording(ports, job());
    await expect(fetchCallRecording(ports, job())).resolves.toBe('skipped');
    expect(source.links).toHaveLength(1);
  });

  it('skips a row that is gone, erased or linked', async () => {
    const { ports, recordings, source } = vault();
    await expect(fetchCallRecording(ports, { ...job(), payload: { recordingRowId: 'nope' } })).resolves.toBe(
      'skipped',
    );
    recordings.add({ id: 'r-2', callId: 'c-2', recordingId: 'z-1', status: 'deleted' });
    recordings.add({ id: 'r-3', callId: 'c-3', recordingId: 'z-1', status: 'linked' });
    for (const id of ['r-2', 'r-3']) {
      await expect(fetchCallRecording(ports, { ...job(), payload: { recordingRowId: id } })).resolves.toBe(
        'skipped',
      );
    }
    expect(source.links).toEqual([]);
  });

  it('counts a failed attempt and throws for the retry; a cut download keeps nothing', async () => {
    const { ports, recordings, store, source } = vault();
    source.cutNextDownloadAfter(8);
    await expect(fetchCallRecording(ports, job(1))).rejects.toThrow('connection reset');
    expect(await recordings.get('r-1')).toMatchObject({
      status: 'pending',
      attempts: 1,
      lastError: 'Error: connection reset',
      storageKey: null,
    });
    expect(store.bytes('r-1.mp3')).toBeUndefined();
    // The retry asks for a fresh link and succeeds.
    await expect(fetchCallRecording(ports, job(2))).resolves.toBe('stored');
    expect(source.links).toHaveLength(2);
    expect(new Set(source.links).size).toBe(2);
    expect(await recordings.get('r-1')).toMatchObject({ status: 'stored', attempts: 1, lastError: null });
  });

  it('marks a recording Zadarma does not have failed at once, and the job ends instead of retrying', async () => {
    const { ports, recordings, source } = vault();
    recordings.add({ id: 'r-gone', callId: 'c-9', recordingId: 'z-gone' });
    const gone = { ...job(1, 5), payload: { recordingRowId: 'r-gone' } };
    await expect(fetchCallRecording(ports, gone)).resolves.toBe('missing');
    expect(await recordings.get('r-gone')).toMatchObject({
      status: 'failed',
      attempts: 1,
      lastError: 'RecordingSourceError: Zadarma has no recording z-gone',
    });
    expect(source.links).toEqual([]);
  });

  it('asks for a new link when the download says the link expired, within the same attempt', async () => {
    const { ports, recordings, source } = vault();
    source.fail('download', new RecordingSourceError('expired', 'recording download answered 403'));
    await expect(fetchCallRecording(ports, job(1))).resolves.toBe('stored');
    expect(source.links).toHaveLength(2);
    expect(await recordings.get('r-1')).toMatchObject({ status: 'stored', attempts: 0 });
  });

  it('waits out Zadarma’s 429 and 5xx through the queue’s retries, never marking them final early', async () => {
    const { ports, recordings } = vault();
    ports.source.fail('link', new RecordingSourceError('rate_limited', '429', 30_000));
    ports.source.fail('download', new RecordingSourceError('unavailable', 'recording download answered 503'));
    await expect(fetchCallRecording(ports, job(1, 5))).rejects.toThrow('429');
    await expect(fetchCallRecording(ports, job(2, 5))).rejects.toThrow('503');
    expect(await recordings.get('r-1')).toMatchObject({ status: 'pending', attempts: 2 });
    await expect(fetchCallRecording(ports, job(3, 5))).resolves.toBe('stored');
  });

  it('marks the recording failed when the last attempt fails', async () => {
    const { ports, recordings } = vault();
    ports.source.fail('link', new Error('429 Too Many Requests'), 3);
    await expect(fetchCallRecording(ports, job(2, 3))).rejects.toThrow('429');
    expect((await recordings.get('r-1'))?.status).toBe('pending');
    await expect(fetchCallRecording(ports, job(3, 3))).rejects.toThrow('429');
    expect(await recordings.get('r-1')).toMatchObject({ status: 'failed', attempts: 2 });
    // A failed recording is tried again when the job is run again by hand.
    await expect(fetchCallRecording(ports, job(1, 3))).rejects.toThrow('429');
  });
});
