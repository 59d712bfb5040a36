/**
 * Playback of a call's recording on the in-memory vault: who may hear it, the listening audit (refusals too, one
 * line per listen), our copy read by range, and a link-only recording streamed from Zadarma by range, a refused
 * link asked for again and a cut stream resumed.
 */
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../../platform/auth/actor.js';
import { systemActor, userActor } from '../../../platform/auth/actor.js';
import {
  createInMemoryRecordingRepository,
  createInMemoryRecordingSource,
  createInMemoryRecordingStore,
} from '../adapters/in-memory-recordings.js';
import { createManualClock } from '../adapters/in-memory-webhook-path.js';
import { type RecordingSource, RecordingSourceError } from '../ports.js';
import {
  type CallAccess,
  describeCallRecording,
  openCallRecording,
  type PlayRecordingPorts,
} from './play-call-recording.js';

const olga = userActor({ id: 'u-olga', role: 'agent', name: 'Olga', locale: 'en' });
const boris = userActor({ id: 'u-boris', role: 'agent', name: 'Boris', locale: 'en' });
const audio = new Uint8Array(Array.from({ length: 40 }, (_, i) => i));

/** Calls c-1 (stored copy), c-2 (link only), c-3 (no recording), c-4 (fetch failed): Olga may read them, Boris not. */
function vault() {
  const calls: CallAccess = {
    exists: async (callId) => ['c-1', 'c-2', 'c-3', 'c-4'].includes(callId),
    canRead: async (actor: Actor) => actor.kind === 'user' && actor.id === 'u-olga',
  };
  const recordings = createInMemoryRecordingRepository();
  const store = createInMemoryRecordingStore();
  const source = createInMemoryRecordingSource(4);
  const clock = createManualClock(Date.parse('2026-01-15T10:00:00.000Z'));
  recordings.add({
    id: 'r-1',
    callId: 'c-1',
    recordingId: 'z-1',
    status: 'stored',
    storageKey: 'r-1.wav',
    sizeBytes: 40,
    contentType: 'audio/wav',
  });
  store.put('r-1.wav', audio);
  source.file('z-1', audio);
  recordings.add({ id: 'r-2', callId: 'c-2', recordingId: 'z-2', status: 'linked' });
  source.file('z-2', audio, 'audio/mpeg');
  recordings.add({ id: 'r-4', callId: 'c-4', recordingId: 'z-4', status: 'failed' });
  let n = 0;
  const ports: PlayRecordingPorts = {
    calls,
    recordings,
    store,
    source,
    clock,
    newId: () => `a-${++n}`,
  };
  return { ports, recordings, store, source, clock };
}

async function readAll(body: AsyncIterable<Uint8Array>): Promise<number[]> {
  const out: number[] = [];
  for await (const chunk of body) {
    out.push(...chunk);
  }
  return out;
}

const range = (start: number, end: number) => Array.from({ length: end - start + 1 }, (_, i) => start + i);

describe('describeCallRecording', () => {
  it('describes the recording a reader may hear, and says when there is none or it failed', async () => {
    const { ports, recordings } = vault();
    expect(await describeCallRecording(ports, olga, 'c-1')).toEqual({
      available: true,
      status: 'stored',
      sizeBytes: 40,
      contentType: 'audio/wav',
      legalHold: false,
    });
    expect(await describeCallRecording(ports, olga, 'c-2')).toMatchObject({
      available: true,
      status: 'linked',
    });
    expect(await describeCallRecording(ports, olga, 'c-3')).toEqual({
      available: false,
      status: 'none',
      sizeBytes: null,
      contentType: null,
      legalHold: false,
    });
    expect(await describeCallRecording(ports, olga, 'c-4')).toMatchObject({
      available: false,
      status: 'failed',
    });
    // Describing is not listening: nothing is audited.
    expect(recordings.auditLines()).toEqual([]);
  });

  it('answers SB_ERR_NOT_FOUND for an unknown call and for a call the actor may not read', async () => {
    const { ports } = vault();
    await expect(describeCallRecording(ports, olga, 'c-nope')).rejects.toMatchObject({
      code: 'SB_ERR_NOT_FOUND',
    });
    await expect(describeCallRecording(ports, boris, 'c-1')).rejects.toMatchObject({
      code: 'SB_ERR_NOT_FOUND',
    });
  });
});

describe('openCallRecording', () => {
  it('refuses a user who may not read the call with SB_ERR_FORBIDDEN, and audits the refusal', async () => {
    const { ports, recordings } = vault();
    await expect(
      openCallRecording(ports, boris, { callId: 'c-1', action: 'play', audited: false }),
    ).rejects.toMatchObject({ code: 'SB_ERR_FORBIDDEN' });
    expect(recordings.auditLines()).toEqual([
      {
        id: 'a-1',
        at: '2026-01-15T10:00:00.000Z',
        userId: 'u-boris',
        actor: { kind: 'user', ref: 'u-boris' },
        callId: 'c-1',
        recordingId: null,
        action: 'play',
        outcome: 'denied',
      },
    ]);
    await expect(
      openCallRecording(ports, boris, { callId: 'c-nope', action: 'play', audited: true }),
    ).rejects.toMatchObject({ code: 'SB_ERR_NOT_FOUND' });
  });

  it('answers SB_ERR_NO_RECORDING when there is none or the fetch failed, audited as missing', async () => {
    const { ports, recordings } = vault();
    await expect(
      openCallRecording(ports, olga, { callId: 'c-3', action: 'download', audited: true }),
    ).rejects.toMatchObject({ code: 'SB_ERR_NO_RECORDING' });
    await expect(
      openCallRecording(ports, olga, { callId: 'c-4', action: 'play', audited: true }),
    ).rejects.toMatchObject({ code: 'SB_ERR_NO_RECORDING' });
    await expect(
      openCallRecording(ports, olga, { callId: 'c-4', action: 'play', audited: false }),
    ).rejects.toMatchObject({ code: 'SB_ERR_NO_RECORDING' });
    expect(recordings.auditLines().map((a) => [a.callId, a.recordingId, a.action, a.outcome])).toEqual([
      ['c-3', null, 'download', 'missing'],
      ['c-4', 'r-4', 'play', 'missing'],
    ]);
  });

  it('plays our copy by range without asking Zadarma', async () => {
    const { ports, source } = vault();
    const playable = await openCallRecording(ports, olga, { callId: 'c-1', action: 'play', audited: true });
    expect(playable).toMatchObject({ sizeBytes: 40, contentType: 'audio/wav' });
    expect(await readAll(playable.read({ start: 10, end: 19 }))).toEqual(range(10, 19));
    expect(await readAll(playable.read(null))).toEqual(range(0, 39));
    expect(source.links).toEqual([]);
  });

  it('writes one audit line per listen: again after ten minutes, and separately per action', async () => {
    const { ports, recordings, clock } = vault();
    const open = (action: 'play' | 'download', audited = true) =>
      openCallRecording(ports, olga, { callId: 'c-1', action, audited });
    await open('play');
    clock.advance(5 * 60_000);
    await open('play');
    await open('play', false);
    await open('download');
    clock.advance(10 * 60_000 + 1);
    await open('play');
    expect(recordings.auditLines().map((a) => [a.at, a.action, a.outcome])).toEqual([
      ['2026-01-15T10:00:00.000Z', 'play', 'allowed'],
      ['2026-01-15T10:05:00.000Z', 'download', 'allowed'],
      ['2026-01-15T10:15:00.001Z', 'play', 'allowed'],
    ]);
  });

  it('never merges accesses with no user behind them: each system access is its own line', async () => {
    const { ports, recordings, clock } = vault();
    const everyone: PlayRecordingPorts = { ...ports, calls: { ...ports.calls, canRead: async () => true } };
    const system = systemActor('export');
    await openCallRecording(everyone, system, { callId: 'c-1', action: 'play', audited: true });
    clock.advance(60_000);
    await openCallRecording(everyone, systemActor('another job'), {
      callId: 'c-1',
      action: 'play',
      audited: true,
    });
    await openCallRecording(everyone, olga, { callId: 'c-1', action: 'play', audited: true });
    await openCallRecording(everyone, system, { callId: 'c-1', action: 'play', audited: true });
    expect(recordings.auditLines().map((a) => [a.userId, a.at])).toEqual([
      [null, '2026-01-15T10:00:00.000Z'],
      [null, '2026-01-15T10:01:00.000Z'],
      ['u-olga', '2026-01-15T10:01:00.000Z'],
      [null, '2026-01-15T10:01:00.000Z'],
    ]);
  });

  it('names the API key on its lines (a refusal too) and the system by its reason: never an anonymous line', async () => {
    const { ports, recordings } = vault();
    const integration: Actor = { kind: 'api-client', id: 'key-7f3a', scopes: ['calls:read'] };
    await expect(
      openCallRecording(ports, integration, { callId: 'c-1', action: 'download', audited: true }),
    ).rejects.toMatchObject({ code: 'SB_ERR_FORBIDDEN' });
    const everyone: PlayRecordingPorts = { ...ports, calls: { ...ports.calls, canRead: async () => true } };
    await openCallRecording(everyone, integration, { callId: 'c-1', action: 'play', audited: true });
    await openCallRecording(everyone, systemActor('nightly export'), {
      callId: 'c-1',
      action: 'download',
      audited: true,
    });
    expect(recordings.auditLines().map((a) => [a.userId, a.actor, a.outcome])).toEqual([
      [null, { kind: 'api-client', ref: 'key-7f3a' }, 'denied'],
      [null, { kind: 'api-client', ref: 'key-7f3a' }, 'allowed'],
      [null, { kind: 'system', ref: 'nightly export' }, 'allowed'],
    ]);
    // What admins read: the key and the reason, where a user's line has the user.
    const page = await recordings.listAudit({ limit: 10, offset: 0 });
    expect(page.items.map((line) => [line.actorKind, line.actorRef, line.outcome])).toEqual([
      ['system', 'nightly export', 'allowed'],
      ['api-client', 'key-7f3a', 'allowed'],
      ['api-client', 'key-7f3a', 'denied'],
    ]);
  });

  it('streams a link-only recording from Zadarma, passing the range on and sending only its bytes', async () => {
    const { ports, source } = vault();
    const playable = await openCallRecording(ports, olga, {
      callId: 'c-2',
      action: 'play',
      audited: true,
      range: { start: 8, end: null },
    });
    expect(playable).toMatchObject({ sizeBytes: 40, contentType: 'audio/mpeg' });
    expect(await readAll(playable.read({ start: 8, end: 15 }))).toEqual(range(8, 15));
    expect(source.downloads[0]).toEqual({ start: 8, end: null });
    // The download opened for the first read is cancelled once the range is sent.
    expect(source.bytesSent()).toBeLessThan(32);
    // A second read opens its own download on a fresh link.
    expect(await readAll(playable.read({ start: 30, end: 39 }))).toEqual(range(30, 39));
    expect(source.links).toHaveLength(2);
  });

  it('skips the bytes before the range when Zadarma answers the whole file', async () => {
    const { ports, source } = vault();
    source.ignoreRanges(true);
    const playable = await openCallRecording(ports, olga, {
      callId: 'c-2',
      action: 'play',
      audited: false,
      range: { start: 5, end: 12 },
    });
    expect(await readAll(playable.read({ start: 5, end: 12 }))).toEqual(range(5, 12));
    expect(source.bytesSent()).toBeLessThan(40);
  });

  it('asks for a fresh link when a download is refused (an expired link)', async () => {
    const { ports, source } = vault();
    source.fail('download', new RecordingSourceError('expired', 'recording download answered 403'));
    const playable = await openCallRecording(ports, olga, { callId: 'c-2', action: 'play', audited: true });
    expect(await readAll(playable.read(null))).toEqual(range(0, 39));
    expect(source.links).toHaveLength(2);
  });

  it('refuses with SB_ERR_ZADARMA_RATE_LIMITED on Zadarma’s 429, asking Zadarma nothing more', async () => {
    for (const what of ['link', 'download'] as const) {
      const { ports, source } = vault();
      source.fail(what, new RecordingSourceError('rate_limited', 'Zadarma answered 429', 12_500));
      await expect(
        openCallRecording(ports, olga, { callId: 'c-2', action: 'play', audited: true }),
      ).rejects.toMatchObject({
        code: 'SB_ERR_ZADARMA_RATE_LIMITED',
        message: expect.stringContaining('13 s'),
      });
      expect(source.links).toHaveLength(what === 'link' ? 0 : 1);
      expect(source.downloads).toHaveLength(what === 'link' ? 0 : 1);
    }
  });

  it('passes any other failure on without asking again', async () => {
    const { ports, source } = vault();
    source.fail('download', new RecordingSourceError('unavailable', 'recording download answered 503'));
    await expect(
      openCallRecording(ports, olga, { callId: 'c-2', action: 'play', audited: true }),
    ).rejects.toMatchObject({ code: 'SB_ERR_ZADARMA_UNREACHABLE' });
    expect(source.links).toHaveLength(1);
  });

  it('resumes a stream cut halfway from the next byte on a fresh link', async () => {
    const { ports, source } = vault();
    source.cutNextDownloadAfter(12);
    const playable = await openCallRecording(ports, olga, { callId: 'c-2', action: 'play', audited: true });
    expect(await readAll(playable.read(null))).toEqual(range(0, 39));
    expect(source.downloads.at(-1)).toEqual({ start: 12, end: 39 });
  });

  it('gives up after three resumptions, failing the stream', async () => {
    const { ports, source } = vault();
    const cutting: RecordingSource = {
      ...source,
      async download(link, asked) {
        source.cutNextDownloadAfter(4);
        return source.download(link, asked);
      },
    };
    const playable = await openCallRecording({ ...ports, source: cutting }, olga, {
      callId: 'c-2',
      action: 'play',
      audited: true,
    });
    await expect(readAll(playable.read(null))).rejects.toThrow('connection reset');
    // The first download and three resumptions, each serving four more bytes.
    expect(source.downloads).toHaveLength(4);
  });

  it('refuses with SB_ERR_ZADARMA_REFUSED when Zadarma does not say how long the file is', async () => {
    const { ports, source } = vault();
    const unsized: RecordingSource = {
      ...source,
      async download(link, asked) {
        return { ...(await source.download(link, asked)), sizeBytes: 0 };
      },
    };
    await expect(
      openCallRecording({ ...ports, source: unsized }, olga, {
        callId: 'c-2',
        action: 'play',
        audited: true,
      }),
    ).rejects.toMatchObject({ code: 'SB_ERR_ZADARMA_REFUSED' });
  });

  it('streams through a link while our copy is missing from the store', async () => {
    const { ports, store, source } = vault();
    await store.remove('r-1.wav');
    const playable = await openCallRecording(ports, olga, { callId: 'c-1', action: 'play', audited: true });
    expect(playable.contentType).toBe('audio/mpeg');
    expect(await readAll(playable.read({ start: 0, end: 3 }))).toEqual(range(0, 3));
    expect(source.links).toHaveLength(1);
  });
});
