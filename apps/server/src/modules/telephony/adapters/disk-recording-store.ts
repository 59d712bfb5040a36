/**
 * The `RecordingStore` on the local disk (DATA_DIR/recordings by default): one file per recording, written to a
 * temporary name and renamed into place only once complete, so a cut download never leaves half a file behind.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { RecordingStore } from '../ports.js';

const KEY = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

/** Thrown when a body ends before the bytes it announced: nothing is stored. */
export class ShortRecordingError extends Error {
  override readonly name = 'ShortRecordingError';
  // A download cut halfway: Zadarma's side failed; the fetch job retries with a fresh link.
  readonly code = 'SB_ERR_ZADARMA_UNREACHABLE';
}

function pathOf(root: string, key: string): string {
  // Keys are ours (row ids + extension), never a user's path: refuse anything else rather than escape `root`.
  if (!KEY.test(key) || key.includes('..')) {
    throw new TypeError(`recording store: invalid key "${key.slice(0, 40)}"`);
  }
  return join(root, key);
}

/** A store of files under `root` (created on first write). */
export function createDiskRecordingStore(root: string): RecordingStore {
  return {
    async save(key, body, expectedBytes) {
      const target = pathOf(root, key);
      await mkdir(root, { recursive: true });
      const temporary = join(root, `.${key}.${randomBytes(6).toString('hex')}.part`);
      const hash = createHash('sha256');
      let sizeBytes = 0;
      try {
        await pipeline(
          Readable.from(body),
          async function* (chunks: AsyncIterable<Uint8Array>) {
            for await (const chunk of chunks) {
              sizeBytes += chunk.byteLength;
              hash.update(chunk);
              yield chunk;
            }
          },
          createWriteStream(temporary, { flags: 'wx' }),
        );
        if (expectedBytes !== null && sizeBytes !== expectedBytes) {
          throw new ShortRecordingError(`received ${sizeBytes} of ${expectedBytes} bytes`);
        }
        await rename(temporary, target);
      } catch (error) {
        await rm(temporary, { force: true });
        throw error;
      }
      return { sizeBytes, sha256: hash.digest('hex') };
    },
    async size(key) {
      try {
        return (await stat(pathOf(root, key))).size;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
          return null;
        }
        throw error;
      }
    },
    read(key, range) {
      return createReadStream(pathOf(root, key), range ? { start: range.start, end: range.end } : {});
    },
    async remove(key) {
      const file = pathOf(root, key);
      try {
        await stat(file);
      } catch {
        return false;
      }
      await rm(file, { force: true });
      return true;
    },
  };
}
