/**
 * Playback of a call's recording through our own endpoint: the call-reading rule decides who may hear it, every
 * listen and download is audited (refusals too), and the audio comes from our copy or, when there is none yet
 * (link-only mode, or a copy still being fetched), through a fresh Zadarma link.
 */
import type { Actor } from '../../../platform/auth/actor.js';
import { AppError } from '../../../platform/errors/errors.js';
import type {
  ByteRange,
  CallRecording,
  Clock,
  RecordingRepository,
  RecordingSource,
  RecordingStore,
} from '../ports.js';

/** Accesses of one user to one call's recording within this window are one listen (one audit line). */
const LISTEN_WINDOW_MS = 10 * 60_000;

/** Whether a call exists and whether an actor may read it (modules/telephony/use-cases/call-visibility.ts). */
export interface CallAccess {
  exists(callId: string): Promise<boolean>;
  canRead(actor: Actor, callId: string): Promise<boolean>;
}

export interface PlayRecordingPorts {
  readonly calls: CallAccess;
  readonly recordings: RecordingRepository;
  readonly store: RecordingStore;
  readonly source: RecordingSource;
  readonly clock: Clock;
  readonly newId: () => string;
}

/** A recording ready to be read: its size, type, and its bytes by range. */
export interface PlayableRecording {
  readonly recording: CallRecording;
  readonly sizeBytes: number;
  readonly contentType: string;
  read(range: ByteRange | null): AsyncIterable<Uint8Array>;
}

/** What the recording panel shows before playing anything (no audit: nothing is heard). */
export interface RecordingSummary {
  readonly available: boolean;
  readonly status: CallRecording['status'] | 'none';
  readonly sizeBytes: number | null;
  readonly contentType: string | null;
  readonly legalHold: boolean;
}

async function visibleCall(ports: PlayRecordingPorts, actor: Actor, callId: string): Promise<boolean> {
  if (!(await ports.calls.exists(callId))) {
    throw new AppError('SB_ERR_NOT_FOUND', `no call ${callId}`);
  }
  return ports.calls.canRead(actor, callId);
}

/** The call's recording as the panel shows it; 404 for a call the actor may not read. */
export async function describeCallRecording(
  ports: PlayRecordingPorts,
  actor: Actor,
  callId: string,
): Promise<RecordingSummary> {
  if (!(await visibleCall(ports, actor, callId))) {
    throw new AppError('SB_ERR_NOT_FOUND', `no call ${callId}`);
  }
  const recording = await ports.recordings.latestForCall(callId);
  if (!recording) {
    return { available: false, status: 'none', sizeBytes: null, contentType: null, legalHold: false };
  }
  return {
    // A copy not fetched yet still plays through a fresh link; a failed fetch means Zadarma has no file for us.
    available: recording.status !== 'failed',
    status: recording.status,
    sizeBytes: recording.sizeBytes,
    contentType: recording.contentType,
    legalHold: recording.legalHold,
  };
}

async function* slice(bytes: Uint8Array, range: ByteRange | null): AsyncIterable<Uint8Array> {
  yield range ? bytes.subarray(range.start, range.end + 1) : bytes;
}

/**
 * Opens the call's recording for `actor`. `audited`: this request starts a listen or a download (the player's
 * later range requests of the same listen are not written again). A refusal is always audited, then 403.
 */
export async function openCallRecording(
  ports: PlayRecordingPorts,
  actor: Actor,
  input: { readonly callId: string; readonly action: 'play' | 'download'; readonly audited: boolean },
): Promise<PlayableRecording> {
  const { callId, action } = input;
  const userId = actor.kind === 'user' ? actor.id : null;
  const audit = (recordingId: string | null, outcome: 'allowed' | 'denied' | 'missing') =>
    ports.recordings.audit(
      { at: new Date(ports.clock.now()).toISOString(), userId, callId, recordingId, action, outcome },
      ports.newId(),
    );
  if (!(await visibleCall(ports, actor, callId))) {
    await audit(null, 'denied');
    throw new AppError('SB_ERR_FORBIDDEN', 'you may not listen to this call');
  }
  const recording = await ports.recordings.latestForCall(callId);
  if (!recording || recording.status === 'failed') {
    if (input.audited) {
      await audit(recording?.id ?? null, 'missing');
    }
    throw new AppError('SB_ERR_NO_RECORDING', 'this call has no recording');
  }
  // One line per listen: the player and the waveform each fetch the audio, and a listener pauses and resumes.
  const since = new Date(ports.clock.now() - LISTEN_WINDOW_MS).toISOString();
  if (input.audited && !(await ports.recordings.auditedSince({ userId, callId, action }, since))) {
    await audit(recording.id, 'allowed');
  }
  if (recording.status === 'stored' && recording.storageKey) {
    const key = recording.storageKey;
    const size = await ports.store.size(key);
    if (size !== null) {
      return {
        recording,
        sizeBytes: size,
        contentType: recording.contentType ?? 'audio/mpeg',
        read: (range) => ports.store.read(key, range),
      };
    }
  }
  // No copy of ours (link-only, or not fetched yet): a fresh link, read whole (a recording is a few MB).
  const audio = await ports.source.download(await ports.source.link(recording.recordingId));
  const chunks: Uint8Array[] = [];
  for await (const chunk of audio.body) {
    chunks.push(chunk);
  }
  const bytes = Buffer.concat(chunks);
  return {
    recording,
    sizeBytes: bytes.byteLength,
    contentType: audio.contentType,
    read: (range) => slice(bytes, range),
  };
}
