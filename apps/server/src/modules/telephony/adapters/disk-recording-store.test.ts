import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDiskRecordingStore, ShortRecordingError } from './disk-recording-store.js';

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'sb-recordings-'));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function* body(...parts: string[]): AsyncIterable<Uint8Array> {
  for (const part of parts) {
    yield new TextEncoder().encode(part);
  }
}

describe('disk recording store', () => {
  it('reports a cut download as Zadarma unreachable (the fetch job retries) and keeps nothing', async () => {
    const store = createDiskRecordingStore(root);
    const cut = store.save('rec_1-100', body('RIFF'), 48_044);
    await expect(cut).rejects.toBeInstanceOf(ShortRecordingError);
    await expect(cut).rejects.toMatchObject({ code: 'SB_ERR_ZADARMA_UNREACHABLE' });
    expect(await readdir(root)).toEqual([]);
  });

  it('saves, reads a range of, sizes and removes a recording', async () => {
    const store = createDiskRecordingStore(root);
    expect((await store.save('rec_1-100', body('RIFF', 'data'), 8)).sizeBytes).toBe(8);
    const read: string[] = [];
    for await (const chunk of store.read('rec_1-100', { start: 4, end: 7 })) {
      read.push(Buffer.from(chunk).toString());
    }
    expect(read.join('')).toBe('data');
    expect(await store.size('rec_1-100')).toBe(8);
    expect(await store.remove('rec_1-100')).toBe(true);
  });
});
