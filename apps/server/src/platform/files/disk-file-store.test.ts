import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDiskFileStore } from './disk-file-store.js';
import { IncompleteFileError } from './file-store.js';

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'sb-files-'));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const bytes = (text: string) => new TextEncoder().encode(text);

async function* chunks(...parts: string[]): AsyncIterable<Uint8Array> {
  for (const part of parts) {
    yield bytes(part);
  }
}

/** A body that sends `parts` then fails, as a cut connection does. */
async function* cutAfter(...parts: string[]): AsyncIterable<Uint8Array> {
  yield* chunks(...parts);
  throw new Error('connection reset');
}

async function text(body: AsyncIterable<Uint8Array>): Promise<string> {
  const out: Buffer[] = [];
  for await (const chunk of body) {
    out.push(Buffer.from(chunk));
  }
  return Buffer.concat(out).toString('utf8');
}

/** Every entry under the store's root, temporary files included. */
async function everything(): Promise<string[]> {
  return (await readdir(root, { recursive: true })).map(String).sort();
}

describe('disk file store', () => {
  it('puts a streamed body and reports its size and SHA-256', async () => {
    const store = createDiskFileStore(root);
    const stored = await store.put('rec_1.mp3', chunks('hello ', 'world'), 11);
    expect(stored).toEqual({
      sizeBytes: 11,
      sha256: createHash('sha256').update('hello world').digest('hex'),
    });
    expect(await readFile(join(root, 'rec_1.mp3'), 'utf8')).toBe('hello world');
    expect(await store.size('rec_1.mp3')).toBe(11);
    expect(await everything()).toEqual(['rec_1.mp3']);
  });

  it('reads a byte range, both ends included, and stops a range past the end at the end', async () => {
    const store = createDiskFileStore(root);
    await store.put('a', chunks('0123456789'), null);
    expect(await text(store.read('a', { start: 2, end: 5 }))).toBe('2345');
    expect(await text(store.read('a', { start: 7, end: 100 }))).toBe('789');
    expect(await text(store.read('a', null))).toBe('0123456789');
    expect(() => store.read('a', { start: 5, end: 4 })).toThrow(RangeError);
  });

  it('keeps nothing of a body shorter than announced, and leaves the previous file whole', async () => {
    const store = createDiskFileStore(root);
    await store.put('a', chunks('old content'), null);
    const short = store.put('a', chunks('new'), 1000);
    await expect(short).rejects.toBeInstanceOf(IncompleteFileError);
    await expect(short).rejects.toMatchObject({ receivedBytes: 3, expectedBytes: 1000 });
    expect(await readFile(join(root, 'a'), 'utf8')).toBe('old content');
    expect(await everything()).toEqual(['a']);
  });

  it('keeps nothing of a body that fails halfway', async () => {
    const store = createDiskFileStore(root);
    await expect(store.put('cut', cutAfter('half of '), null)).rejects.toThrow('connection reset');
    expect(await store.size('cut')).toBeNull();
    expect(await everything()).toEqual([]);
  });

  it('creates its temporary file before it reads the body, so one that fails at once leaves nothing', async () => {
    const store = createDiskFileStore(root);
    let seenAtFirstRead: string[] = [];
    const failsAtOnce: AsyncIterable<Uint8Array> = {
      [Symbol.asyncIterator]: () => ({
        async next() {
          seenAtFirstRead = await everything();
          throw new Error('connection reset');
        },
      }),
    };
    await expect(store.put('rec_4.mp3', failsAtOnce, 10)).rejects.toThrow('connection reset');
    // A write stream left to open its file while the body flowed could create it after the failure's cleanup.
    expect(seenAtFirstRead).toEqual([expect.stringMatching(/^\.rec_4\.mp3\.[0-9a-f]{12}\.part$/)]);
    expect(await everything()).toEqual([]);
  });

  it('a reader never sees half a file while a put replaces it', async () => {
    const store = createDiskFileStore(root);
    await store.put('a', chunks('first version'), null);
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    async function* slow(): AsyncIterable<Uint8Array> {
      yield bytes('second ');
      await held;
      yield bytes('version');
    }
    const writing = store.put('a', slow(), null);
    // Mid-put (the first half is on disk, aside): the key still reads the first version in full.
    while (!(await everything()).some((name) => name.endsWith('.part'))) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(await text(store.read('a', null))).toBe('first version');
    release();
    await writing;
    expect(await text(store.read('a', null))).toBe('second version');
  });

  it('puts under nested keys, creating their folders', async () => {
    const store = createDiskFileStore(root);
    await store.put('recordings/2026/rec_1', chunks('x'), 1);
    expect(await readFile(join(root, 'recordings', '2026', 'rec_1'), 'utf8')).toBe('x');
  });

  it('removes a file, and says false when there was none', async () => {
    const store = createDiskFileStore(root);
    await store.put('a', chunks('x'), 1);
    expect(await store.remove('a')).toBe(true);
    expect(await store.remove('a')).toBe(false);
    expect(await store.size('a')).toBeNull();
  });

  it.each([
    '../escape',
    'a/../../escape',
    '/etc/passwd',
    '..',
    '.',
    '.hidden',
    'a/.a.1234.part',
    'a//b',
    'a/',
    '',
    'a\\..\\b',
    'a b',
    `${'x'.repeat(201)}`,
  ])('refuses the key %j without touching the disk', async (key) => {
    const outside = join(root, '..', 'escape');
    await writeFile(join(root, 'a'), 'kept');
    const store = createDiskFileStore(root);
    await expect(store.put(key, chunks('x'), null)).rejects.toBeInstanceOf(TypeError);
    await expect(store.size(key)).rejects.toBeInstanceOf(TypeError);
    await expect(store.remove(key)).rejects.toBeInstanceOf(TypeError);
    expect(() => store.read(key, null)).toThrow(TypeError);
    await expect(readFile(outside)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await everything()).toEqual(['a']);
  });
});
