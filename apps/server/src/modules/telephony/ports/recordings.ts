/** The recordings vault: NOTIFY_RECORD, the fetch job, our copy or a link, playback and transcripts. (Part of the telephony ports; import them from `../ports.js`.) */

// ── The recordings vault (issue 11 part B): NOTIFY_RECORD → a fetch job → our copy (or link only) → playback
// through our endpoint, audited.

import type { AuditedActor } from '../../../platform/auth/actor.js';

/**
 * Where a recording's NOTIFY_RECORD goes inside the webhook batch. Why: the recording row and its fetch job exist
 * if and only if the batch commits (idempotent per call and recording).
 */
export interface RecordingNotices {
  recordingReady(input: {
    readonly callId: string;
    readonly pbxCallId: string;
    readonly recordingId: string;
    readonly at: string;
  }): Promise<void>;
  /**
   * A transcript Zadarma posted (SPEECH_RECOGNITION), kept in the batch's transaction: `saved` on its recording
   * (a repeat overwrites it with the same), `parked` until that recording's NOTIFY_RECORD registers it, `ignored`
   * for an erased recording (the right to be forgotten covers what was said).
   */
  transcriptReady(notice: TranscriptNotice): Promise<'saved' | 'parked' | 'ignored'>;
}

/** SPEECH_RECOGNITION (§5.6.12) in the vault's terms: which recording (or call) it names, and what was said. */
export interface TranscriptNotice {
  /** Zadarma's recording id (`call_id_with_rec`), when the event names it. */
  readonly recordingId: string | null;
  /** The call's `pbx_call_id`, when the event names it. */
  readonly pbxCallId: string | null;
  readonly lang: string | null;
  readonly phrases: readonly TranscriptPhrase[];
  readonly receivedAt: string;
}

/** `copy`: the audio is fetched into our `RecordingStore`; `link`: a fresh Zadarma link is asked for at each play. */
export type RecordingMode = 'copy' | 'link';

type RecordingState = 'pending' | 'stored' | 'linked' | 'failed' | 'deleted';

/** One recording of a call, as the vault keeps it. */
export interface CallRecording {
  readonly id: string;
  readonly callId: string | null;
  readonly pbxCallId: string;
  /** Zadarma's recording id (`call_id_with_rec`). */
  readonly recordingId: string;
  readonly status: RecordingState;
  readonly storageKey: string | null;
  readonly sizeBytes: number | null;
  readonly sha256: string | null;
  readonly contentType: string | null;
  readonly legalHold: boolean;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly createdAt: string;
  readonly storedAt: string | null;
}

/** One line of the listening audit. */
interface RecordingAuditEntry {
  readonly at: string;
  readonly userId: string | null;
  /**
   * Who acted: for a user, `userId` too; with no user behind it, the API key's id or the system's reason, so the
   * line names them. Null on lines written before the audit named actors (migration 0028).
   */
  readonly actor: AuditedActor | null;
  readonly callId: string;
  readonly recordingId: string | null;
  readonly action: 'play' | 'download';
  /** `denied`: the user may not hear that call; `missing`: the call has no playable recording. */
  readonly outcome: 'allowed' | 'denied' | 'missing';
}

interface RecordingAuditLine extends Omit<RecordingAuditEntry, 'actor'> {
  readonly id: string;
  readonly userName: string | null;
  /** Who acted (null: a line from before migration 0028). */
  readonly actorKind: AuditedActor['kind'] | null;
  /** With no user behind the line: the API key's id or the system's reason; null for a user. */
  readonly actorRef: string | null;
}

/** The vault's records: recordings by call, their fetch outcome, the audit. */
export interface RecordingRepository {
  get(id: string): Promise<CallRecording | null>;
  /** The call's most recent recording that is not erased, or null. */
  latestForCall(callId: string): Promise<CallRecording | null>;
  markStored(
    id: string,
    copy: { storageKey: string; sizeBytes: number; sha256: string; contentType: string },
    at: string,
  ): Promise<void>;
  markLinked(id: string, at: string): Promise<void>;
  /** Counts a failed fetch attempt; `final` marks the recording failed (the job gave up). */
  noteFailure(id: string, error: string, final: boolean): Promise<void>;
  audit(entry: RecordingAuditEntry, id: string): Promise<void>;
  /** The recordings (not yet erased) of the calls linked to a contact. */
  listForContact(contactId: string): Promise<readonly CallRecording[]>;
  /** The copies to delete for retention: stored, not on legal hold, older than `before` — oldest first. */
  listExpired(before: string, limit: number): Promise<readonly CallRecording[]>;
  /** The stored copies not on legal hold, oldest first (the size cap deletes from the front). */
  listOldestStored(limit: number): Promise<readonly CallRecording[]>;
  /** Bytes of every stored copy. */
  storedBytes(): Promise<number>;
  /** Our copy is gone (retention); the row stays, Zadarma's file may still exist (then it plays through a link). */
  markCopyDeleted(id: string, at: string): Promise<void>;
  /** Erased everywhere, its transcript too: the row stays as the record that it was erased. */
  markErased(id: string, at: string): Promise<void>;
  setLegalHold(id: string, hold: boolean): Promise<void>;
  /**
   * Whether the same user already has an `allowed` line of this action on this call at or after `since`. Only for a
   * user: lines with no user (the system, an API client, a user since deleted) name nobody, so they are never one
   * listen — each is written.
   */
  auditedSince(
    entry: Pick<RecordingAuditEntry, 'callId' | 'action'> & { readonly userId: string },
    since: string,
  ): Promise<boolean>;
  /** Newest first. */
  listAudit(query: { readonly limit: number; readonly offset: number }): Promise<{
    readonly total: number;
    readonly items: readonly RecordingAuditLine[];
  }>;
}

/** A byte range, both ends included (HTTP `Range: bytes=start-end`). */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/** A range asked for before the file's size is known: `end` null runs to the end of the file (`bytes=start-`). */
export interface RangeRequest {
  readonly start: number;
  readonly end: number | null;
}

/** Audio read back: the bytes of `range` (or all), and the file's whole size. */
interface RecordingAudio {
  readonly body: AsyncIterable<Uint8Array>;
  readonly sizeBytes: number;
  readonly contentType: string;
}

/**
 * Where our copies of the audio live (on disk under DATA_DIR by default). Why a port: an object store can replace
 * the disk without touching the use cases.
 */
export interface RecordingStore {
  /**
   * Stores `body` under `key` all or nothing: written aside and moved into place only when complete (and, when
   * `expectedBytes` is known, exactly that long). Rejects, keeping nothing, on a short or failed body.
   */
  save(
    key: string,
    body: AsyncIterable<Uint8Array>,
    expectedBytes: number | null,
  ): Promise<{ sizeBytes: number; sha256: string }>;
  /** The stored size, or null when there is no such file. */
  size(key: string): Promise<number | null>;
  /** Reads `range` (or the whole file). */
  read(key: string, range: ByteRange | null): AsyncIterable<Uint8Array>;
  /** Deletes the copy; false when there was none. */
  remove(key: string): Promise<boolean>;
}

/** Zadarma's side of a recording: a fresh download link, and the download. */
export interface RecordingSource {
  /** A fresh link for the recording (within the API's rate limit); rejects with the API's error. */
  link(recordingId: string): Promise<string>;
  /** Deletes Zadarma's file (`DELETE /v1/pbx/record/request/`); `absent` when Zadarma has none (already gone). */
  remove(recordingId: string): Promise<'deleted' | 'absent'>;
  /** The recording's transcript as Zadarma has it now (a speech recognition of the recording, if any). */
  transcript(recordingId: string): Promise<TranscriptResult>;
  /**
   * Downloads a link, or only `range` of it: Zadarma's answer may honour the range (206) or send the whole file
   * (200) — `range` in the result says which bytes the body holds (null: all of them), `sizeBytes` the file's
   * whole size (0 when Zadarma did not say). Rejects on an expired link (403) or any other status.
   */
  download(
    link: string,
    range?: RangeRequest | null,
  ): Promise<RecordingAudio & { readonly declaredBytes: number | null; readonly range: ByteRange | null }>;
}

/** One phrase of a transcript: who spoke (the recording's channel), when (seconds into the recording), what. */
export interface TranscriptPhrase {
  readonly channel: number;
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

interface CallTranscript {
  readonly recordingId: string;
  readonly callId: string | null;
  readonly lang: string | null;
  readonly phrases: readonly TranscriptPhrase[];
}

/** Zadarma's answer for a recording's transcript (`GET /v1/speech_recognition/`, §4.11). */
type TranscriptResult =
  | {
      readonly status: 'recognized';
      readonly lang: string | null;
      readonly phrases: readonly TranscriptPhrase[];
    }
  | { readonly status: 'in progress' }
  | { readonly status: 'unavailable' };

/** Where transcripts come from and are kept. */
export interface TranscriptRepository {
  save(transcript: CallTranscript, at: string): Promise<void>;
  /**
   * The transcript of the call's latest recording — the one `RecordingRepository.latestForCall` names and the call
   * page plays — or null while that recording has none (even when an older recording of the call has one). Why
   * by the recording and not by when a transcript was saved: transcripts arrive in any order (a webhook, a job's
   * retry), and the phrases' times point into one audio, so they must be those of the audio beside them.
   */
  forCall(callId: string): Promise<CallTranscript | null>;
}

/**
 * Calls whose transcript contains a text: for the call log's search (a filter on `calls.id`).
 * Why a port: the call log's query asks "which calls said this", without knowing how transcripts are stored.
 * @public the call log's search (issue 11 part A) takes it.
 */
export interface CallTranscriptSearch {
  /**
   * The calls whose transcript contains `text` (case-insensitive), each once, at most `limit`: those with no
   * bound first, then the latest bound first.
   */
  callsSaying(text: string, limit: number): Promise<readonly SaidCall[]>;
}

/** A call a transcript search names. */
interface SaidCall {
  readonly callId: string;
  /**
   * An instant the call cannot have started after (its start when the transcript was saved: a call's start only
   * moves earlier), or null when none is known. The call log reads the calls latest bound first and stops once
   * its page is full (`CallLogQuery.callStartBounds`).
   */
  readonly startedAtMost: string | null;
}
