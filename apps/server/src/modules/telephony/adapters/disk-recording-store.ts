/**
 * The `RecordingStore` on the local disk (DATA_DIR/recordings by default): the platform's disk `FileStore`
 * (atomic puts, range reads, safe keys), with a cut download reported as Zadarma's failure.
 */
import { createDiskFileStore } from '../../../platform/files/disk-file-store.js';
import { IncompleteFileError } from '../../../platform/files/file-store.js';
import type { RecordingStore } from '../ports.js';

/** Thrown when a body ends before the bytes it announced: nothing is stored. */
export class ShortRecordingError extends Error {
  override readonly name = 'ShortRecordingError';
  // A download cut halfway: Zadarma's side failed; the fetch job retries with a fresh link.
  readonly code = 'SB_ERR_ZADARMA_UNREACHABLE';
}

/** A store of recordings under `root` (created on first write). */
export function createDiskRecordingStore(root: string): RecordingStore {
  const files = createDiskFileStore(root);
  return {
    async save(key, body, expectedBytes) {
      try {
        return await files.put(key, body, expectedBytes);
      } catch (error) {
        throw error instanceof IncompleteFileError ? new ShortRecordingError(error.message) : error;
      }
    },
    size: (key) => files.size(key),
    read: (key, range) => files.read(key, range),
    remove: (key) => files.remove(key),
  };
}
