/**
 * What happens after NOTIFY_RECORD, in a job (platform/jobs): the recording is fetched into our store (copy mode) or
 * checked to be there (link-only mode). Each failure is handled by its kind (ports/recording-errors.ts): a download
 * whose link expired is tried once more on a fresh link; Zadarma's 429 or 5xx, or a download cut halfway, throws
 * and the queue retries with doubling backoff (a cut download leaves nothing stored: `RecordingStore.save` is all
 * or nothing); a recording Zadarma does not have is marked failed at once and the job ends — retrying a
 * permanent failure for a day would only spend the API's rate limit.
 */
import {
  type Clock,
  type RecordingMode,
  type RecordingRepository,
  type RecordingSource,
  type RecordingStore,
  recordingFailureKind,
} from '../ports.js';

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

/** The download of a fresh link; a link refused as expired is asked for once more. */
async function downloadFresh(source: RecordingSource, recordingId: string, link: string) {
  try {
    return await source.download(link);
  } catch (error) {
    if (recordingFailureKind(error) !== 'expired') {
      throw error;
    }
    return source.download(await source.link(recordingId));
  }
}

/**
 * Runs one attempt; resolves with what became of the recording (`missing`: Zadarma has no such recording, marked
 * failed). Idempotent: a recording already stored, linked or erased is left alone (a job run twice after a lost
 * lease does nothing the second time).
 */
export async function fetchCallRecording(
  ports: FetchRecordingPorts,
  job: { readonly payload: FetchRecordingPayload; readonly attempt: number; readonly maxAttempts: number },
): Promise<'stored' | 'linked' | 'missing' | 'skipped'> {
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
    const audio = await downloadFresh(ports.source, recording.recordingId, link);
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
    // The file is complete from NOTIFY_RECORD on (docs/zadarma-protocol.md §4.5): "no such recording" is final.
    const missing = recordingFailureKind(error) === 'missing';
    await ports.recordings.noteFailure(recording.id, message, missing || job.attempt >= job.maxAttempts);
    if (missing) {
      return 'missing';
    }
    throw error;
  }
}
