/**
 * The transcript job after a recording is fetched, on the in-memory vault: Zadarma's words kept on the recording
 * (and found by the call log's search), "in progress" thrown for the queue to ask again, "not available" and an
 * erased or unknown recording ending the job without keeping anything.
 */
import { describe, expect, it } from 'vitest';
import {
  createInMemoryRecordingRepository,
  createInMemoryRecordingSource,
  createInMemoryTranscriptRepository,
} from '../adapters/in-memory-recordings.js';
import { createManualClock } from '../adapters/in-memory-webhook-path.js';
import { fetchCallTranscript, TranscriptNotReadyError } from './fetch-call-transcript.js';

const phrases = [
  { channel: 1, start: 0, end: 2.1, text: 'Bonjour, je rappelle pour la facture' },
  { channel: 2, start: 2.4, end: 4, text: 'Oui, je vous écoute' },
];

function vault() {
  const recordings = createInMemoryRecordingRepository();
  const transcripts = createInMemoryTranscriptRepository(recordings);
  const source = createInMemoryRecordingSource();
  const clock = createManualClock(Date.parse('2026-01-15T10:00:00.000Z'));
  recordings.add({ id: 'r-1', callId: 'c-1', recordingId: 'z-1', status: 'stored' });
  return { ports: { recordings, transcripts, source, clock }, recordings, transcripts, source, clock };
}

describe('fetchCallTranscript', () => {
  it('keeps what Zadarma recognised on the recording, for the call and its search', async () => {
    const { ports, transcripts, source } = vault();
    source.transcribe('z-1', { status: 'recognized', lang: 'fr', phrases });
    await expect(fetchCallTranscript(ports, { recordingRowId: 'r-1' })).resolves.toBe('saved');
    expect(await transcripts.forCall('c-1')).toEqual({
      recordingId: 'r-1',
      callId: 'c-1',
      lang: 'fr',
      phrases,
    });
    expect((await transcripts.callsSaying('facture', 10)).map((c) => c.callId)).toEqual(['c-1']);
  });

  it('throws while Zadarma is still transcribing, so the queue asks again later', async () => {
    const { ports, transcripts, source, clock } = vault();
    source.transcribe('z-1', { status: 'in progress' });
    await expect(fetchCallTranscript(ports, { recordingRowId: 'r-1' })).rejects.toBeInstanceOf(
      TranscriptNotReadyError,
    );
    expect(await transcripts.forCall('c-1')).toBeNull();
    // The retry, once Zadarma is done.
    clock.advance(60_000);
    source.transcribe('z-1', { status: 'recognized', lang: null, phrases });
    await expect(fetchCallTranscript(ports, { recordingRowId: 'r-1' })).resolves.toBe('saved');
    expect((await transcripts.forCall('c-1'))?.lang).toBeNull();
  });

  it('ends quietly when the account has no speech recognition', async () => {
    const { ports, transcripts } = vault();
    await expect(fetchCallTranscript(ports, { recordingRowId: 'r-1' })).resolves.toBe('unavailable');
    expect(await transcripts.forCall('c-1')).toBeNull();
  });

  it('skips a recording erased since, or gone, keeping nothing', async () => {
    const { ports, recordings, transcripts, source } = vault();
    source.transcribe('z-1', { status: 'recognized', lang: 'fr', phrases });
    await recordings.markErased('r-1', '2026-01-15T10:00:00.000Z');
    await expect(fetchCallTranscript(ports, { recordingRowId: 'r-1' })).resolves.toBe('skipped');
    await expect(fetchCallTranscript(ports, { recordingRowId: 'r-404' })).resolves.toBe('skipped');
    expect(await transcripts.forCall('c-1')).toBeNull();
    expect((await transcripts.callsSaying('facture', 10)).map((c) => c.callId)).toEqual([]);
  });
});
