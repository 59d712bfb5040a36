/**
 * The recordings vault in memory, for the use cases' unit tests: the recording rows and their audit
 * (same semantics as kysely-recording-repository.ts), our copies of the audio, and Zadarma's side of a recording.
 * Why: the vault's use cases decide who hears what, what is audited, what is erased — rules worth testing without
 * a database or a disk.
 */
import { createHash } from 'node:crypto';
import {
  type ByteRange,
  type CallRecording,
  type CallTranscriptSearch,
  type RangeRequest,
  type RecordingRepository,
  type RecordingSource,
  RecordingSourceError,
  type RecordingStore,
  type TranscriptRepository,
} from '../ports.js';

type AuditEntry = Parameters<RecordingRepository['audit']>[0];

export interface InMemoryRecordingRepository extends RecordingRepository {
  /** Adds a row as NOTIFY_RECORD would have left it (status `pending` unless told). */
  add(recording: Partial<CallRecording> & Pick<CallRecording, 'id' | 'callId' | 'recordingId'>): void;
  /** The audit lines written, oldest first. */
  auditLines(): readonly (AuditEntry & { id: string })[];
}

/**
 * `contactOf`: the contact a call is linked to (the Kysely adapter joins `calls.contact_id`); `userNameOf`: a user's
 * name for the audit's lines (the Kysely adapter joins `users`).
 */
export function createInMemoryRecordingRepository(
  contactOf: (callId: string) => string | null = () => null,
  userNameOf: (userId: string) => string | null = () => null,
): InMemoryRecordingRepository {
  const rows = new Map<string, CallRecording>();
  const audit: (AuditEntry & { id: string })[] = [];
  const update = (id: string, change: Partial<CallRecording>) => {
    const row = rows.get(id);
    if (row) {
      rows.set(id, { ...row, ...change });
    }
  };
  const byCreation = (a: CallRecording, b: CallRecording) =>
    a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  const sorted = () => [...rows.values()].sort(byCreation);
  return {
    add(recording) {
      rows.set(recording.id, {
        pbxCallId: `pbx-${recording.id}`,
        status: 'pending',
        storageKey: null,
        sizeBytes: null,
        sha256: null,
        contentType: null,
        legalHold: false,
        attempts: 0,
        lastError: null,
        createdAt: '2026-01-15T09:00:00.000Z',
        storedAt: null,
        ...recording,
      });
    },
    auditLines: () => audit,
    async get(id) {
      return rows.get(id) ?? null;
    },
    async latestForCall(callId) {
      return (
        sorted()
          .filter((r) => r.callId === callId && r.status !== 'deleted')
          .at(-1) ?? null
      );
    },
    async markStored(id, copy, at) {
      update(id, { status: 'stored', ...copy, storedAt: at, lastError: null });
    },
    async markLinked(id, at) {
      update(id, { status: 'linked', storedAt: at, lastError: null });
    },
    async noteFailure(id, error, final) {
      const row = rows.get(id);
      if (row) {
        update(id, {
          attempts: row.attempts + 1,
          lastError: error.slice(0, 500),
          ...(final ? { status: 'failed' as const } : {}),
        });
      }
    },
    async audit(entry, id) {
      audit.push({ ...entry, id });
    },
    async listForContact(contactId) {
      return sorted().filter(
        (r) => r.callId !== null && contactOf(r.callId) === contactId && r.status !== 'deleted',
      );
    },
    async listExpired(before, limit) {
      return sorted()
        .filter((r) => r.status === 'stored' && !r.legalHold && r.createdAt < before)
        .slice(0, limit);
    },
    async listOldestStored(limit) {
      return sorted()
        .filter((r) => r.status === 'stored' && !r.legalHold)
        .slice(0, limit);
    },
    async storedBytes() {
      return [...rows.values()]
        .filter((r) => r.status === 'stored')
        .reduce((sum, r) => sum + (r.sizeBytes ?? 0), 0);
    },
    async markCopyDeleted(id) {
      update(id, { status: 'linked', storageKey: null });
    },
    async markErased(id) {
      update(id, { status: 'deleted', storageKey: null });
    },
    async setLegalHold(id, hold) {
      update(id, { legalHold: hold });
    },
    async auditedSince(entry, since) {
      return audit.some(
        (a) =>
          a.callId === entry.callId &&
          a.action === entry.action &&
          a.outcome === 'allowed' &&
          a.at >= since &&
          a.userId === entry.userId,
      );
    },
    async listAudit({ limit, offset }) {
      // Newest by the line's time, as the Kysely adapter orders (`at`, then id), not by the order written.
      const newest = [...audit].sort((a, b) =>
        a.at !== b.at ? (a.at < b.at ? 1 : -1) : a.id < b.id ? 1 : a.id > b.id ? -1 : 0,
      );
      return {
        total: audit.length,
        items: newest.slice(offset, offset + limit).map(({ actor, ...a }) => ({
          ...a,
          userName: a.userId === null ? null : userNameOf(a.userId),
          actorKind: actor?.kind ?? null,
          actorRef: actor && actor.kind !== 'user' ? actor.ref : null,
        })),
      };
    },
  };
}

/**
 * Transcripts in memory, beside `recordings` (same semantics as the Kysely adapter): one per recording row, a repeat
 * rewrites what was said but keeps when it was first saved, and an erased recording's transcript is gone.
 */
export function createInMemoryTranscriptRepository(
  recordings: RecordingRepository,
): TranscriptRepository & CallTranscriptSearch {
  type Kept = Parameters<TranscriptRepository['save']>[0] & { readonly createdAt: string };
  const kept = new Map<string, Kept>();
  /** The kept transcripts whose recording is not erased, newest first. */
  async function live(): Promise<Kept[]> {
    const out: Kept[] = [];
    for (const t of kept.values()) {
      const recording = await recordings.get(t.recordingId);
      if (recording?.status === 'deleted') {
        kept.delete(t.recordingId);
      } else {
        out.push(t);
      }
    }
    return out.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
  }
  return {
    async save(transcript, at) {
      const before = kept.get(transcript.recordingId);
      kept.set(transcript.recordingId, {
        ...transcript,
        callId: before?.callId ?? transcript.callId,
        createdAt: before?.createdAt ?? at,
      });
    },
    async forCall(callId) {
      // The latest recording's own transcript, as the Kysely adapter picks it (the port says why).
      const latest = await recordings.latestForCall(callId);
      const found = latest ? (await live()).find((t) => t.recordingId === latest.id) : undefined;
      return found
        ? { recordingId: found.recordingId, callId: found.callId, lang: found.lang, phrases: found.phrases }
        : null;
    },
    async callsSaying(text, limit) {
      const needle = text.toLowerCase();
      const callIds = (await live())
        .filter(
          (t) =>
            t.callId !== null &&
            t.phrases
              .map((p) => p.text)
              .join(' ')
              .toLowerCase()
              .includes(needle),
        )
        .map((t) => t.callId as string);
      // This twin knows no call's start: no bound (the call log then reads every call named), latest said first.
      return [...new Set(callIds)].slice(0, limit).map((callId) => ({ callId, startedAtMost: null }));
    },
  };
}

export interface InMemoryRecordingStore extends RecordingStore {
  /** The bytes stored under `key`, or undefined. */
  bytes(key: string): Uint8Array | undefined;
  put(key: string, bytes: Uint8Array): void;
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** Our copies in memory; `save` is all or nothing like the disk store's. */
export function createInMemoryRecordingStore(): InMemoryRecordingStore {
  const files = new Map<string, Uint8Array>();
  return {
    bytes: (key) => files.get(key),
    put(key, bytes) {
      files.set(key, bytes);
    },
    async save(key, body, expectedBytes) {
      const chunks: Uint8Array[] = [];
      for await (const chunk of body) {
        chunks.push(chunk);
      }
      const bytes = concat(chunks);
      if (expectedBytes !== null && bytes.byteLength !== expectedBytes) {
        throw new Error(`short body: ${bytes.byteLength} of ${expectedBytes} bytes`);
      }
      files.set(key, bytes);
      return { sizeBytes: bytes.byteLength, sha256: createHash('sha256').update(bytes).digest('hex') };
    },
    async size(key) {
      return files.get(key)?.byteLength ?? null;
    },
    async *read(key, range) {
      const bytes = files.get(key);
      if (!bytes) {
        throw new Error(`no file ${key}`);
      }
      yield range ? bytes.subarray(range.start, range.end + 1) : bytes;
    },
    async remove(key) {
      return files.delete(key);
    },
  };
}

export interface InMemoryRecordingSource extends RecordingSource {
  /** The links handed out, in order. */
  readonly links: string[];
  /** The ranges asked of each download, in order (null: the whole file). */
  readonly downloads: (RangeRequest | null)[];
  /** The recordings Zadarma was asked to delete. */
  readonly removed: string[];
  /** Zadarma's file for a recording (`contentType` audio/mpeg unless told). */
  file(recordingId: string, bytes: Uint8Array, contentType?: string): void;
  /** The next `count` calls of `what` reject with `error`. */
  fail(what: 'link' | 'download' | 'remove', error: Error, count?: number): void;
  /** The next download's body stops after `bytes` bytes, then throws (a cut connection). */
  cutNextDownloadAfter(bytes: number): void;
  /** Downloads answer the whole file (200) whatever range is asked. */
  ignoreRanges(ignore: boolean): void;
  /** Bytes Zadarma sent over all downloads. */
  bytesSent(): number;
  /** What Zadarma answers for the recording's transcript from now on (`unavailable` until told). */
  transcribe(recordingId: string, result: Awaited<ReturnType<RecordingSource['transcript']>>): void;
}

/** Zadarma's recordings in memory: links name the recording, a download serves a range as Zadarma's 206 does. */
export function createInMemoryRecordingSource(chunkBytes = 4): InMemoryRecordingSource {
  const files = new Map<string, { bytes: Uint8Array; contentType: string }>();
  const failures: Record<'link' | 'download' | 'remove', Error[]> = { link: [], download: [], remove: [] };
  const links: string[] = [];
  const downloads: (RangeRequest | null)[] = [];
  const removed: string[] = [];
  let cutAfter: number | null = null;
  let wholeFile = false;
  let sent = 0;
  let issued = 0;
  const transcripts = new Map<string, Awaited<ReturnType<RecordingSource['transcript']>>>();
  const takeFailure = (what: 'link' | 'download' | 'remove') => {
    const error = failures[what].shift();
    if (error) {
      throw error;
    }
  };
  return {
    links,
    downloads,
    removed,
    file(recordingId, bytes, contentType = 'audio/mpeg') {
      files.set(recordingId, { bytes, contentType });
    },
    fail(what, error, count = 1) {
      for (let i = 0; i < count; i += 1) {
        failures[what].push(error);
      }
    },
    cutNextDownloadAfter(bytes) {
      cutAfter = bytes;
    },
    ignoreRanges(ignore) {
      wholeFile = ignore;
    },
    bytesSent: () => sent,
    async link(recordingId) {
      takeFailure('link');
      if (!files.has(recordingId)) {
        throw new RecordingSourceError('missing', `Zadarma has no recording ${recordingId}`);
      }
      issued += 1;
      const link = `https://zadarma.test/rec/${recordingId}?n=${issued}`;
      links.push(link);
      return link;
    },
    async remove(recordingId) {
      takeFailure('remove');
      removed.push(recordingId);
      return files.delete(recordingId) ? 'deleted' : 'absent';
    },
    transcribe(recordingId, result) {
      transcripts.set(recordingId, result);
    },
    async transcript(recordingId) {
      return transcripts.get(recordingId) ?? { status: 'unavailable' as const };
    },
    async download(link, range = null) {
      downloads.push(range);
      takeFailure('download');
      const recordingId = decodeURIComponent(new URL(link).pathname.split('/').at(-1) ?? '');
      const file = files.get(recordingId);
      if (!file) {
        throw new RecordingSourceError('expired', 'recording download answered 403');
      }
      const size = file.bytes.byteLength;
      const served: ByteRange | null =
        range && !wholeFile ? { start: range.start, end: Math.min(range.end ?? size - 1, size - 1) } : null;
      const slice = served ? file.bytes.subarray(served.start, served.end + 1) : file.bytes;
      const cut = cutAfter;
      cutAfter = null;
      async function* body(): AsyncIterable<Uint8Array> {
        for (let at = 0; at < slice.byteLength; at += chunkBytes) {
          if (cut !== null && at >= cut) {
            throw new Error('connection reset');
          }
          const chunk = slice.subarray(at, at + chunkBytes);
          sent += chunk.byteLength;
          yield chunk;
        }
      }
      return {
        body: body(),
        sizeBytes: size,
        contentType: file.contentType,
        declaredBytes: slice.byteLength,
        range: served,
      };
    },
  };
}
