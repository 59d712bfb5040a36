/**
 * After a recording is fetched, a job asks Zadarma for its transcript (`GET /v1/speech_recognition/`, §4.11) and keeps
 * it: shown beside the audio and searchable from the call log. Zadarma transcribes only where the account has speech
 * recognition: "not available" ends the job quietly; "in progress" fails the attempt so the queue asks again later.
 */
import type { Clock, RecordingRepository, RecordingSource, TranscriptRepository } from '../ports.js';

export const FETCH_TRANSCRIPT_JOB = 'recordings.transcript';

export interface FetchTranscriptPorts {
  readonly recordings: RecordingRepository;
  readonly transcripts: TranscriptRepository;
  readonly source: RecordingSource;
  readonly clock: Clock;
}

/** Thrown while Zadarma is still transcribing: the job is retried with backoff. */
export class TranscriptNotReadyError extends Error {
  override readonly name = 'TranscriptNotReadyError';
  // The job retries it; should it ever reach a route, "not yet" is a 503 to try again later.
  readonly code = 'SB_ERR_UNAVAILABLE';
}

export async function fetchCallTranscript(
  ports: FetchTranscriptPorts,
  payload: { readonly recordingRowId: string },
): Promise<'saved' | 'unavailable' | 'skipped'> {
  const recording = await ports.recordings.get(payload.recordingRowId);
  if (!recording || recording.status === 'deleted') {
    return 'skipped';
  }
  const result = await ports.source.transcript(recording.recordingId);
  if (result.status === 'in progress') {
    throw new TranscriptNotReadyError(`Zadarma is still transcribing ${recording.recordingId}`);
  }
  if (result.status === 'unavailable') {
    return 'unavailable';
  }
  await ports.transcripts.save(
    { recordingId: recording.id, callId: recording.callId, lang: result.lang, phrases: result.phrases },
    new Date(ports.clock.now()).toISOString(),
  );
  return 'saved';
}
