/**
 * The right to be forgotten for a contact's calls: every recording of the calls linked to the contact is deleted from
 * our store and from Zadarma (`DELETE /v1/pbx/record/request/`), and the admin is told what was done, recording by
 * recording. A recording on legal hold is kept and said so. When Zadarma's delete fails the report says so (our
 * side deleted or there was none, Zadarma's failed) and a job retries Zadarma's delete with backoff; our side is
 * erased at once — never left looking like a playable link, and never fetched again. Without a job queue the
 * recording stays listed as it was so that a second run finishes the job.
 */
import type { Actor } from '../../../platform/auth/actor.js';
import { isAdmin } from '../../../platform/auth/actor.js';
import { AppError } from '../../../platform/errors/errors.js';
import type { JobQueue } from '../../../platform/jobs/job-queue.js';
import type { Clock, RecordingRepository, RecordingSource, RecordingStore } from '../ports.js';

/** The job that retries Zadarma's delete of an erased recording (payload `{ recordingId }`: Zadarma's id). */
export const ERASE_AT_ZADARMA_JOB = 'recordings.erase-at-zadarma';
/** With the queue's doubling backoff, about a day of retries before the job waits, dead, for an admin. */
const ERASE_AT_ZADARMA_ATTEMPTS = 12;

export interface EraseRecordingsPorts {
  readonly recordings: RecordingRepository;
  readonly store: RecordingStore;
  readonly source: RecordingSource;
  readonly clock: Clock;
  /** Where Zadarma's failed deletes are retried; null: none (the recording stays listed for a second run). */
  readonly jobs: JobQueue | null;
}

/** What happened to each recording. */
interface ErasedRecording {
  readonly callId: string | null;
  readonly recordingId: string;
  /** Our copy: deleted, or there was none (link only, not fetched). */
  readonly ourCopy: 'deleted' | 'none' | 'kept';
  /** Zadarma's file: deleted, already gone, kept (legal hold), or the deletion failed (`error`). */
  readonly zadarma: 'deleted' | 'absent' | 'kept' | 'failed';
  readonly error: string | null;
}

export interface ErasureReport {
  readonly recordings: number;
  readonly ourCopiesDeleted: number;
  readonly zadarmaDeleted: number;
  readonly zadarmaAbsent: number;
  readonly heldBack: number;
  readonly failed: number;
  readonly items: readonly ErasedRecording[];
}

/** Erases the contact's recordings; admins only. */
export async function eraseContactRecordings(
  ports: EraseRecordingsPorts,
  actor: Actor,
  contactId: string,
): Promise<ErasureReport> {
  if (!isAdmin(actor)) {
    throw new AppError('SB_ERR_FORBIDDEN', 'only an administrator may erase recordings');
  }
  const items: ErasedRecording[] = [];
  for (const recording of await ports.recordings.listForContact(contactId)) {
    if (recording.legalHold) {
      items.push({
        callId: recording.callId,
        recordingId: recording.recordingId,
        ourCopy: 'kept',
        zadarma: 'kept',
        error: null,
      });
      continue;
    }
    let zadarma: ErasedRecording['zadarma'];
    let error: string | null = null;
    try {
      zadarma = await ports.source.remove(recording.recordingId);
    } catch (cause) {
      zadarma = 'failed';
      error = cause instanceof Error ? cause.message : String(cause);
    }
    const ourCopy =
      recording.storageKey && (await ports.store.remove(recording.storageKey)) ? 'deleted' : 'none';
    const at = new Date(ports.clock.now()).toISOString();
    if (zadarma !== 'failed') {
      await ports.recordings.markErased(recording.id, at);
    } else if (ports.jobs) {
      // Ours is erased now (no play, no fetch, no transcript); Zadarma's delete is retried until it is done.
      await ports.recordings.markErased(recording.id, at);
      await ports.jobs.enqueue(
        ERASE_AT_ZADARMA_JOB,
        { recordingId: recording.recordingId },
        { idempotencyKey: `erase:${recording.id}`, maxAttempts: ERASE_AT_ZADARMA_ATTEMPTS },
      );
    } else if (ourCopy === 'deleted') {
      // Our copy is gone, Zadarma's is not: the row plays through a link, and stays listed for a second run.
      await ports.recordings.markCopyDeleted(recording.id, at);
    }
    // Else nothing of ours changed (never fetched): the row stays as it was, listed for a second run.
    items.push({ callId: recording.callId, recordingId: recording.recordingId, ourCopy, zadarma, error });
  }
  return {
    recordings: items.length,
    ourCopiesDeleted: items.filter((i) => i.ourCopy === 'deleted').length,
    zadarmaDeleted: items.filter((i) => i.zadarma === 'deleted').length,
    zadarmaAbsent: items.filter((i) => i.zadarma === 'absent').length,
    heldBack: items.filter((i) => i.zadarma === 'kept').length,
    failed: items.filter((i) => i.zadarma === 'failed').length,
    items,
  };
}

/** One retry of Zadarma's delete (the job's handler): done when Zadarma deleted it or has it no more. */
export async function eraseAtZadarma(
  ports: Pick<EraseRecordingsPorts, 'source'>,
  payload: { readonly recordingId: string },
): Promise<'deleted' | 'absent'> {
  return ports.source.remove(payload.recordingId);
}
