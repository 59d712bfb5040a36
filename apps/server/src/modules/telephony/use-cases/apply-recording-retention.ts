/**
 * Retention of our recording copies, run nightly as a job: copies older than the retention period are deleted, then,
 * while the copies use more than the size cap, the oldest ones — never one on legal hold. Zadarma's own file is not
 * touched (a deleted copy still plays through a fresh link while Zadarma keeps it). Admins are warned before the cap
 * deletes anything: `recordingStorage` says when the copies pass 90 % of it (the settings page shows it, the job logs it).
 */
import type { Clock, RecordingRepository, RecordingStore } from '../ports.js';

export interface RetentionPolicy {
  /** 0: keep for ever. */
  readonly retentionDays: number;
  /** 0: no cap. */
  readonly maxStorageBytes: number;
}

export interface RetentionPorts {
  readonly recordings: RecordingRepository;
  readonly store: RecordingStore;
  readonly clock: Clock;
  /** A line for the operator (the job's log). */
  readonly warn: (message: string) => void;
}

export interface RecordingStorage {
  readonly storedBytes: number;
  readonly maxStorageBytes: number;
  /** Past 90 % of the cap: the oldest copies are deleted at the next run once it is passed. */
  readonly nearCap: boolean;
}

const BATCH = 200;
const WARN_AT = 0.9;

/** How full the vault is, against the cap. */
export async function recordingStorage(
  recordings: RecordingRepository,
  policy: RetentionPolicy,
): Promise<RecordingStorage> {
  const storedBytes = await recordings.storedBytes();
  return {
    storedBytes,
    maxStorageBytes: policy.maxStorageBytes,
    nearCap: policy.maxStorageBytes > 0 && storedBytes >= policy.maxStorageBytes * WARN_AT,
  };
}

/** Applies the policy once; resolves with how many copies each rule deleted. */
export async function applyRecordingRetention(
  ports: RetentionPorts,
  policy: RetentionPolicy,
): Promise<{ expired: number; overCap: number }> {
  const at = () => new Date(ports.clock.now()).toISOString();
  const remove = async (recording: { id: string; storageKey: string | null }) => {
    if (recording.storageKey) {
      await ports.store.remove(recording.storageKey);
    }
    await ports.recordings.markCopyDeleted(recording.id, at());
  };
  let expired = 0;
  if (policy.retentionDays > 0) {
    const before = new Date(ports.clock.now() - policy.retentionDays * 86_400_000).toISOString();
    for (;;) {
      const batch = await ports.recordings.listExpired(before, BATCH);
      for (const recording of batch) {
        await remove(recording);
      }
      expired += batch.length;
      if (batch.length < BATCH) {
        break;
      }
    }
  }
  let overCap = 0;
  if (policy.maxStorageBytes > 0) {
    let used = await ports.recordings.storedBytes();
    if (used >= policy.maxStorageBytes * WARN_AT) {
      ports.warn(
        `recordings use ${used} of ${policy.maxStorageBytes} bytes allowed: the oldest copies are deleted past the cap`,
      );
    }
    while (used > policy.maxStorageBytes) {
      const batch = await ports.recordings.listOldestStored(BATCH);
      if (batch.length === 0) {
        break; // what is left is on legal hold
      }
      for (const recording of batch) {
        if (used <= policy.maxStorageBytes) {
          break;
        }
        await remove(recording);
        used -= recording.sizeBytes ?? 0;
        overCap += 1;
      }
    }
    if (overCap > 0) {
      ports.warn(`recordings over the size cap: deleted the ${overCap} oldest copies`);
    }
  }
  return { expired, overCap };
}
