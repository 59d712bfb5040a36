/**
 * Playback of a call's recording through our own endpoint: the call-reading rule decides who may hear it, every
 * listen and download is audited (refusals too), and the audio comes from our copy or, when there is none yet
 * (link-only mode, or a copy still being fetched), streamed through a fresh Zadarma link: only the bytes asked for
 * pass, never the whole file in memory; an expired link is asked for again, Zadarma's 429 is refused with the
 * catalogue's rate-limited error (never retried at once), and a stream cut halfway resumes from where it stopped
 * on a fresh link.
 */
import { type Actor, auditedActor } from '../../../platform/auth/actor.js';
import { AppError } from '../../../platform/errors/errors.js';
import {
  type ByteRange,
  type CallRecording,
  type Clock,
  type RangeRequest,
  type RecordingRepository,
  type RecordingSource,
  RecordingSourceError,
  type RecordingStore,
  recordingFailureKind,
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
  /** Lets go of what was opened when nothing is read (a range outside the file). */
  close(): Promise<void>;
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

/** Times a link-only stream cut halfway is resumed (each on a fresh link) before the response is abandoned. */
const RESUME_ATTEMPTS = 3;

type LinkedAudio = Awaited<ReturnType<RecordingSource['download']>>;

/**
 * A download of `range` (or all) on a fresh link; a link that expired between the two requests is asked for once
 * more. Nothing else is tried again: a listener is waiting, and a second request at once into Zadarma's 429 (or
 * an outage) only spends the rate limit every other listener and the fetch job share — the listener is answered
 * the catalogue's error (`SB_ERR_ZADARMA_RATE_LIMITED`, saying how long Zadarma asked to wait) instead.
 */
async function downloadFresh(
  source: RecordingSource,
  recordingId: string,
  range: RangeRequest | null,
): Promise<LinkedAudio> {
  try {
    return await source.download(await source.link(recordingId), range);
  } catch (error) {
    if (recordingFailureKind(error) === 'rate_limited') {
      const wait = error instanceof RecordingSourceError ? error.retryAfterMs : null;
      throw new AppError(
        'SB_ERR_ZADARMA_RATE_LIMITED',
        wait === null
          ? 'Zadarma is limiting requests: try again in a minute'
          : `Zadarma is limiting requests: try again in ${Math.ceil(wait / 1000)} s`,
      );
    }
    if (recordingFailureKind(error) !== 'expired') {
      throw error;
    }
    return source.download(await source.link(recordingId), range);
  }
}

/**
 * The bytes `range` of a recording streamed from Zadarma, starting with the download `first` already opened: bytes
 * before the range are skipped and the download is cancelled once the range is sent (Zadarma may answer the whole
 * file to a range request); a download that breaks off resumes at the next byte on a fresh link.
 */
async function* streamLinked(
  source: RecordingSource,
  recordingId: string,
  first: LinkedAudio,
  range: ByteRange,
): AsyncIterable<Uint8Array> {
  let audio: LinkedAudio | null = first;
  let position = range.start;
  let resumed = 0;
  while (position <= range.end) {
    const served: ByteRange | null = audio ? (audio.range ?? { start: 0, end: audio.sizeBytes - 1 }) : null;
    if (!audio || !served || served.start > position || served.end < range.end) {
      await cancel(audio);
      audio = await downloadFresh(source, recordingId, { start: position, end: range.end });
      continue;
    }
    let offset = served.start;
    try {
      for await (const chunk of audio.body) {
        const from = Math.max(0, position - offset);
        const to = Math.min(chunk.byteLength, range.end + 1 - offset);
        if (to > from) {
          yield chunk.subarray(from, to);
          position = offset + to;
        }
        offset += chunk.byteLength;
        if (position > range.end) {
          // Leaving the loop cancels the download: the rest of the file is never read.
          break;
        }
      }
      if (position <= range.end) {
        throw new Error(`the recording download ended at byte ${position}`);
      }
    } catch (error) {
      resumed += 1;
      if (resumed > RESUME_ATTEMPTS) {
        throw error;
      }
      audio = null;
    }
  }
}

async function cancel(audio: LinkedAudio | null): Promise<void> {
  const body = audio?.body as { cancel?: () => Promise<void> } | undefined;
  await body?.cancel?.().catch(() => undefined);
}

/**
 * Opens the call's recording for `actor`. `audited`: this request starts a listen or a download (the player's
 * later range requests of the same listen are not written again). A refusal is always audited, then 403.
 */
export async function openCallRecording(
  ports: PlayRecordingPorts,
  actor: Actor,
  input: {
    readonly callId: string;
    readonly action: 'play' | 'download';
    readonly audited: boolean;
    /** The range the client asked for, passed on to Zadarma when the audio comes through a link. */
    readonly range?: RangeRequest | null;
  },
): Promise<PlayableRecording> {
  const { callId, action } = input;
  const userId = actor.kind === 'user' ? actor.id : null;
  const audit = (recordingId: string | null, outcome: 'allowed' | 'denied' | 'missing') =>
    ports.recordings.audit(
      {
        at: new Date(ports.clock.now()).toISOString(),
        userId,
        actor: auditedActor(actor),
        callId,
        recordingId,
        action,
        outcome,
      },
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
  // Only a user's accesses are merged: with no user behind it (the system, an API client) nothing says two
  // accesses were the same listener's, so each is its own line.
  const since = new Date(ports.clock.now() - LISTEN_WINDOW_MS).toISOString();
  if (
    input.audited &&
    (userId === null || !(await ports.recordings.auditedSince({ userId, callId, action }, since)))
  ) {
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
        close: async () => {},
      };
    }
  }
  // No copy of ours (link-only, or not fetched yet): streamed from a fresh link, the client's range passed on.
  const audio = await downloadFresh(ports.source, recording.recordingId, input.range ?? null);
  if (audio.sizeBytes <= 0) {
    await cancel(audio);
    throw new AppError('SB_ERR_ZADARMA_REFUSED', 'Zadarma sent the recording without its length');
  }
  const size = audio.sizeBytes;
  let opened: LinkedAudio | null = audio;
  return {
    recording,
    sizeBytes: size,
    contentType: audio.contentType,
    read: (range) => {
      // The download opened above serves the first read; any other read opens its own.
      const first = opened;
      opened = null;
      const wanted = range ?? { start: 0, end: size - 1 };
      return first
        ? streamLinked(ports.source, recording.recordingId, first, wanted)
        : (async function* () {
            yield* streamLinked(
              ports.source,
              recording.recordingId,
              await downloadFresh(ports.source, recording.recordingId, wanted),
              wanted,
            );
          })();
    },
    async close() {
      await cancel(opened);
      opened = null;
    },
  };
}
