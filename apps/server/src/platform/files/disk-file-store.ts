/**
 * The `FileStore` on the local disk: one file per key under `root`, written to a temporary name beside it and
 * renamed into place only once complete, so a cut body never leaves half a file behind (a rename within one
 * directory is atomic on POSIX file systems).
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { assertFileKey, type FileStore, IncompleteFileError } from './file-store.js';

/** A store of files under `root` (created on the first put). */
export function createDiskFileStore(root: string): FileStore {
  const base = resolve(root);
  function pathOf(key: string): string {
    assertFileKey(key);
    const path = resolve(base, key);
    // The key pattern already keeps out `..` and absolute paths; checking the resolved path as well means a
    // future change to the pattern cannot open the rest of the disk.
    const inside = relative(base, path);
    if (inside === '' || inside.startsWith('..') || inside.startsWith(sep)) {
      throw new TypeError(`file store: key "${key.slice(0, 40)}" leaves the store`);
    }
    return path;
  }
  return {
    async put(key, body, expectedBytes) {
      const target = pathOf(key);
      const folder = dirname(target);
      await mkdir(folder, { recursive: true });
      const temporary = join(folder, `.${basename(target)}.${randomBytes(6).toString('hex')}.part`);
      const hash = createHash('sha256');
      let sizeBytes = 0;
      // The temporary file is created before the body is read. Why: a write stream opens its file on the
      // thread pool while the body already flows, and a pipeline that fails settles without waiting for that
      // open — a body cut early could have its `rm` run first and the open create the file after it, a `.part`
      // left for good (seen once in recordings-vault.test.ts on a loaded machine).
      const file = await open(temporary, 'wx');
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
          file.createWriteStream(),
        );
        if (expectedBytes !== null && sizeBytes !== expectedBytes) {
          throw new IncompleteFileError(sizeBytes, expectedBytes);
        }
        await file.close();
        await rename(temporary, target);
      } catch (error) {
        await rm(temporary, { force: true });
        throw error;
      } finally {
        // The stream closes the handle when it finishes or fails, maybe not yet: this waits for it (a second
        // close of a FileHandle settles with the first). Its failure would only hide the error that matters.
        await file.close().catch(() => undefined);
      }
      return { sizeBytes, sha256: hash.digest('hex') };
    },
    async size(key) {
      try {
        return (await stat(pathOf(key))).size;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
          return null;
        }
        throw error;
      }
    },
    read(key, range) {
      if (range && !(Number.isInteger(range.start) && range.start >= 0 && range.end >= range.start)) {
        throw new RangeError(`file store: invalid range ${range.start}-${range.end}`);
      }
      return createReadStream(pathOf(key), range ? { start: range.start, end: range.end } : {});
    },
    async remove(key) {
      const file = pathOf(key);
      try {
        await rm(file);
        return true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
          return false;
        }
        throw error;
      }
    },
  };
}
