/**
 * The right to be forgotten for a contact's calls: every recording of the calls linked to the contact is deleted from
 * our store and from Zadarma (`DELETE /v1/pbx/record/request/`), and the admin is told what was done, recording by
 * recording. A recording on legal hold is kept and said so. A Zadarma failure is reported, and the recording stays
 * listed so that a second run finishes the job.
 */
import type { Actor } from '../../../platform/auth/actor.js';
import { isAdmin } from '../../../platform/auth/actor.js';
import { AppError } from '../../../platform/errors/errors.js';
import type { Clock, RecordingRepository, RecordingSource, RecordingStore } from '../ports.js';

export interface EraseRecordingsPorts {
  readonly recordings: RecordingRepository;
  readonly store: RecordingStore;
  readonly source: RecordingSource;
  readonly clock: Clock;
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
    if (zadarma === 'failed') {
      // Our copy is gone, Zadarma's is not: the row stays playable through a link, and listed for a second run.
      await ports.recordings.markCopyDeleted(recording.id, new Date(ports.clock.now()).toISOString());
    } else {
      await ports.recordings.markErased(recording.id, new Date(ports.clock.now()).toISOString());
    }
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
