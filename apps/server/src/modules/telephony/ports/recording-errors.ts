/**
 * How a `RecordingSource` call failed (ports/recordings.ts), in the vault's terms. Why beside the ports: the fetch
 * job and playback must treat each kind differently — an expired link is asked for again, a rate limit or an
 * outage is waited out, a recording Zadarma does not have is recorded as such and never fetched again — without
 * knowing Zadarma's status codes (the adapter maps them).
 */
import type { ErrorCode } from '../../../platform/errors/errors.js';

/**
 * `expired`: the download link is no longer valid (ask for a new one); `rate_limited`: Zadarma's 429 (wait,
 * `retryAfterMs` when it said how long); `unavailable`: 5xx or unreachable (wait); `missing`: Zadarma has no such
 * recording (permanent); `refused`: any other refusal.
 */
export type RecordingFailureKind = 'expired' | 'rate_limited' | 'unavailable' | 'missing' | 'refused';

const CODES: Readonly<Record<RecordingFailureKind, ErrorCode>> = {
  expired: 'SB_ERR_ZADARMA_REFUSED',
  rate_limited: 'SB_ERR_ZADARMA_RATE_LIMITED',
  unavailable: 'SB_ERR_ZADARMA_UNREACHABLE',
  missing: 'SB_ERR_NO_RECORDING',
  refused: 'SB_ERR_ZADARMA_REFUSED',
};

/** A failed link request or download of a recording, with its kind. */
export class RecordingSourceError extends Error {
  override readonly name = 'RecordingSourceError';
  readonly code: ErrorCode;
  readonly kind: RecordingFailureKind;
  /** How long Zadarma asked us to wait (`Retry-After`), when it said so. */
  readonly retryAfterMs: number | null;

  constructor(kind: RecordingFailureKind, message: string, retryAfterMs: number | null = null) {
    super(message);
    this.kind = kind;
    this.code = CODES[kind];
    this.retryAfterMs = retryAfterMs;
  }
}

/** The kind of a `RecordingSource` failure; anything the adapter did not classify counts as `refused`. */
export function recordingFailureKind(error: unknown): RecordingFailureKind {
  return error instanceof RecordingSourceError ? error.kind : 'refused';
}
