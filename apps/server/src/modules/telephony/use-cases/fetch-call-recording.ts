/**
 * What happens after NOTIFY_RECORD, in a job (platform/jobs): the recording is fetched into our store (copy mode) or
 * checked to be there (link-only mode). A failed attempt — Zadarma's 429 or 5xx, an expired link (403), a download
 * cut halfway — throws, and the queue retries with doubling backoff; each attempt asks for a fresh link, and a cut
 * download leaves nothing stored (`RecordingStore.save` is all or nothing).
 */
import type { Clock, RecordingMode, RecordingRepository, RecordingSource, RecordingStore } from '../ports.js';

/** The job's name in the queue. */
export const FETCH_RECORDING_JOB = 'recordings.fetch';

export interface FetchRecordingPayload {
  /** `call_recordings.id`. */
  readonly recordingRowId: string;
}

export interface FetchRecordingPorts {
  readonly recordings: RecordingRepository;
  readonly store: RecordingStore;
  readonly source: RecordingSource;
  /** The vault's mode now (a setting). */
  mode(): Promise<RecordingMode>;
  readonly clock: Clock;
}

const EXTENSIONS: Readonly<Record<string, string>> = {
  'audio/wav': 'wav',
  'audio/x-wav': 'wav',
  'audio/wave': 'wav',
  'audio/mpeg': 'mp3',
  'audio/mp3': 'mp3',
  'audio/ogg': 'ogg',
};

/**
 * Runs one attempt; resolves with what became of the recording. Idempotent: a recording already stored, linked or
 * erased is left alone (a job run twice after a lost lease does nothing the second time).
 */
export async function fetchCallRecording(
  ports: FetchRecordingPorts,
  job: { readonly payload: FetchRecordingPayload; readonly attempt: number; readonly maxAttempts: number },
): Promise<'stored' | 'linked' | 'skipped'> {
  const recording = await ports.recordings.get(job.payload.recordingRowId);
  if (
    !recording ||
    recording.status === 'stored' ||
    recording.status === 'linked' ||
    recording.status === 'deleted'
  ) {
    return 'skipped';
  }
  try {
    const link = await ports.source.link(recording.recordingId);
    const at = new Date(ports.clock.now()).toISOString();
    if ((await ports.mode()) === 'link') {
      await ports.recordings.markLinked(recording.id, at);
      return 'linked';
    }
    const audio = await ports.source.download(link);
    const storageKey = `${recording.id}.${EXTENSIONS[audio.contentType.toLowerCase()] ?? 'audio'}`;
    const saved = await ports.store.save(storageKey, audio.body, audio.declaredBytes);
    await ports.recordings.markStored(
      recording.id,
      { storageKey, sizeBytes: saved.sizeBytes, sha256: saved.sha256, contentType: audio.contentType },
      new Date(ports.clock.now()).toISOString(),
    );
    return 'stored';
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    await ports.recordings.noteFailure(recording.id, message, job.attempt >= job.maxAttempts);
    throw error;
  }
}
