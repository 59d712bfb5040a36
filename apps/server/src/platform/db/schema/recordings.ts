/**
 * The recordings vault (migration 0012): a call's recordings and the listening audit. Times ISO-8601 UTC text
 * (timestamptz on PostgreSQL); booleans 0/1.
 */

/**
 * `pending`: NOTIFY_RECORD arrived, the fetch job has not finished; `stored`: our copy is on the recording store;
 * `linked`: link-only mode, a fresh link is requested at each play; `failed`: the job gave up; `deleted`: erased.
 */
type RecordingStatus = 'pending' | 'stored' | 'linked' | 'failed' | 'deleted';

export interface CallRecordingsTable {
  id: string;
  /** The call (null only if the call row is gone). */
  call_id: string | null;
  pbx_call_id: string;
  /** Zadarma's recording id, `call_id_with_rec`. */
  recording_id: string;
  status: RecordingStatus;
  /** Where our copy is on the `RecordingStore`. */
  storage_key: string | null;
  size_bytes: number | null;
  /** Hex SHA-256 of our copy. */
  sha256: string | null;
  content_type: string | null;
  /** 1: excluded from retention deletion. */
  legal_hold: number;
  /** Fetch attempts made. */
  attempts: number;
  last_error: string | null;
  created_at: string;
  stored_at: string | null;
  deleted_at: string | null;
}

type RecordingAuditAction = 'play' | 'download';
type RecordingAuditOutcome = 'allowed' | 'denied' | 'missing';

interface RecordingAuditTable {
  id: string;
  at: string;
  user_id: string | null;
  call_id: string;
  /** Our `call_recordings.id`, null when the call had none. */
  recording_id: string | null;
  action: RecordingAuditAction;
  outcome: RecordingAuditOutcome;
  /** Who acted (migration 0028): `user`, `api-client` or `system`; null on lines written before. */
  actor_kind: 'user' | 'api-client' | 'system' | null;
  /** With no user: the API key's id (never its secret) or the system's reason. */
  actor_ref: string | null;
}

interface CallTranscriptsTable {
  /** `call_recordings.id`. */
  recording_id: string;
  call_id: string | null;
  lang: string | null;
  /** JSON array of `{ channel, start, end, text }`, in time order. */
  phrases: string;
  /** The whole text, lower-cased, for the call log's search. */
  search_text: string;
  created_at: string;
  /**
   * The call's start when the transcript was saved (migration 0041): a start only moves earlier, so the call
   * cannot have started after it. Null: the call had no start yet.
   */
  call_started_at: string | null;
}

/** A SPEECH_RECOGNITION that came before its recording's NOTIFY_RECORD (migration 0018). */
interface ParkedTranscriptsTable {
  /** `rec:<call_id_with_rec>` or `pbx:<pbx_call_id>`: the id the event named. */
  notice_key: string;
  lang: string | null;
  /** JSON array of `{ channel, start, end, text }`, in time order. */
  phrases: string;
  received_at: string;
}

export type RecordingsTables = {
  call_recordings: CallRecordingsTable;
  recording_audit: RecordingAuditTable;
  call_transcripts: CallTranscriptsTable;
  parked_transcripts: ParkedTranscriptsTable;
};
