/**
 * The `FileStore` port: whole files put all or nothing, read back by byte range, sized and deleted by key.
 * Why a platform port: recordings today, exports and attachments next; an object store can replace the disk
 * without any module noticing.
 */

/** A byte range, both ends included (HTTP `Range: bytes=start-end`). */
interface FileRange {
  readonly start: number;
  readonly end: number;
}

/** What a put stored: its length and its SHA-256 (hex), computed while writing. */
interface StoredFile {
  readonly sizeBytes: number;
  readonly sha256: string;
}

export interface FileStore {
  /**
   * Stores `body` under `key` all or nothing: written aside and moved into place only once complete (and, when
   * `expectedBytes` is known, exactly that long), replacing any file of that key. Rejects, keeping nothing, on a
   * short or failed body (`IncompleteFileError` when it ended early).
   */
  put(key: string, body: AsyncIterable<Uint8Array>, expectedBytes: number | null): Promise<StoredFile>;
  /** The stored size, or null when there is no such file. */
  size(key: string): Promise<number | null>;
  /** Reads `range` (or the whole file); a range past the end stops at the end. */
  read(key: string, range: FileRange | null): AsyncIterable<Uint8Array>;
  /** Deletes the file; false when there was none. */
  remove(key: string): Promise<boolean>;
}

/**
 * A body ended before the bytes it announced: nothing was stored. Its code says the source failed, not the
 * caller: a retry with a fresh body may succeed.
 */
export class IncompleteFileError extends Error {
  override readonly name = 'IncompleteFileError';
  readonly code = 'SB_ERR_UNAVAILABLE';
  readonly receivedBytes: number;
  readonly expectedBytes: number;

  constructor(receivedBytes: number, expectedBytes: number) {
    super(`received ${receivedBytes} of ${expectedBytes} bytes`);
    this.receivedBytes = receivedBytes;
    this.expectedBytes = expectedBytes;
  }
}

/**
 * A key is one or more `/`-separated segments, each starting with a letter or digit (so never `.`, `..` or a
 * hidden name: the temporary files of a put start with a dot and can never be read as a key), at most 200
 * characters of `[A-Za-z0-9._-]`. Why so strict: keys are made by the server (row ids), never a user's path.
 */
const KEY = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}(\/[A-Za-z0-9][A-Za-z0-9._-]{0,199})*$/;

/** Throws a `TypeError` unless `key` is a valid file key (see `KEY`). */
export function assertFileKey(key: string): void {
  if (!KEY.test(key) || key.length > 1000) {
    throw new TypeError(`file store: invalid key "${key.slice(0, 40)}"`);
  }
}
