/**
 * The webhook inbox made durable whatever the database is doing: when an append cannot be committed (another
 * process holds SQLite's write lock — a `sqlite3` shell, a backup, a second server on the same folder — or the
 * database fails), the entry is appended to a journal file beside the database instead, and the append
 * resolves only once that file is fsync'd (one fsync for every entry of the same turn). A drainer copies
 * journaled entries into `webhook_inbox` (same id, idempotent insert) as soon as the database accepts writes,
 * in arrival order, then empties the journal. A journal left by a stopped process is drained at start-up.
 * If neither the database nor the journal can store an entry, the append rejects with `InboxNotStoredError`:
 * nothing may be acknowledged that is not stored.
 */

import { existsSync, readdirSync, readFileSync, unlinkSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Insertable } from 'kysely';
import { type DatabaseHandle, retryWhileBusy } from '../../../platform/db/database.js';
import type { WebhookInboxTable } from '../../../platform/db/schema/telephony.js';
import { newId } from '../../../platform/ids.js';
import { type InboxEntry, InboxNotStoredError, type InboxRepository, type NewInboxEntry } from '../ports.js';

/** The inbox, plus what ingest needs to know about entries still in the journal. */
export interface DurableInbox extends InboxRepository {
  /**
   * Resolves once every entry appended so far is in `webhook_inbox` (or was refused), i.e. once the journal
   * holds nothing older. Why: processing marks an entry's status; the row must exist by then.
   */
  stored(): Promise<void>;
  /** Entries now in the journal waiting for the database (admin view, tests, the bench). */
  journaled(): number;
}

export interface DurableInboxOptions {
  /** The journal of this process (default: `<database file>.webhooks-<pid>.journal`). */
  readonly journalFile?: string;
  /** The instance owning what this process journals (`webhook_inbox.instance_id`). */
  readonly instanceId?: string | null;
  readonly onError?: (error: unknown, context: string) => void;
  /** How long a status update waits for a busy database, ms (default: the database's own deadline). */
  readonly statusDeadlineMs?: number;
}

/** One journal line: the inbox row as it will be inserted. */
interface JournalRecord {
  readonly id: string;
  readonly receivedAt: string;
  readonly remoteIp: string | null;
  readonly event: string;
  readonly pbxCallId: string | null;
  readonly body: string;
  readonly contentType: string | null;
  readonly signatureValid: boolean;
  readonly status: 'received' | 'rejected';
  readonly error: string | null;
  readonly instanceId: string | null;
}

interface Sequenced {
  readonly seq: number;
  readonly record: JournalRecord;
}

interface QueuedWrite extends Sequenced {
  resolve(): void;
  reject(error: unknown): void;
}

const INSERT_CHUNK = 100;
const FAILED_DRAIN_PAUSE_MS = 1000;
const JOURNAL_NAME = /^(.*)\.webhooks-(\d+)\.journal$/;

function toEntry(record: JournalRecord): InboxEntry {
  return {
    id: record.id,
    receivedAt: record.receivedAt,
    remoteIp: record.remoteIp,
    event: record.event,
    pbxCallId: record.pbxCallId,
    body: record.body,
    contentType: record.contentType,
    signatureValid: record.signatureValid,
    status: record.status,
    error: record.error,
    processedAt: null,
  };
}

function toRow(record: JournalRecord): Insertable<WebhookInboxTable> {
  return {
    id: record.id,
    received_at: record.receivedAt,
    remote_ip: record.remoteIp,
    event: record.event,
    pbx_call_id: record.pbxCallId,
    body: record.body,
    content_type: record.contentType,
    signature_valid: record.signatureValid ? 1 : 0,
    status: record.status,
    error: record.error,
    processed_at: null,
    instance_id: record.instanceId,
  };
}

/** The records of a journal file; a torn last line (a write cut by a crash, never acknowledged) is skipped. */
function readJournal(file: string): JournalRecord[] {
  const records: JournalRecord[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line === '') {
      continue;
    }
    try {
      const record = JSON.parse(line) as JournalRecord;
      if (typeof record.id === 'string' && typeof record.body === 'string') {
        records.push(record);
      }
    } catch {
      // Torn tail: its append never resolved, so nobody was told it was stored.
    }
  }
  return records;
}

function processAlive(pid: number): boolean {
  if (pid === process.pid) {
    // Our own pid on a file at start-up: a previous run of this process id (a container's pid 1).
    return false;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Journals of stopped processes on the same database (and our own pid's leftover): to drain now. */
function leftoverJournals(ownFile: string): string[] {
  const dir = dirname(ownFile);
  const own = JOURNAL_NAME.exec(basename(ownFile));
  if (!own || !existsSync(dir)) {
    return existsSync(ownFile) ? [ownFile] : [];
  }
  return readdirSync(dir)
    .map((name) => ({ name, match: JOURNAL_NAME.exec(name) }))
    .filter(({ match }) => match && match[1] === own[1] && !processAlive(Number(match[2])))
    .map(({ name }) => join(dir, name));
}

/**
 * Wraps the inbox `inner` (the group-committing writer) with the journal; on PostgreSQL and in-memory SQLite
 * (no other process can lock them out) only status updates gain an asynchronous wait on a busy database.
 * Why: an acknowledged webhook is one the PBX will not send again; it must survive a locked database and a kill.
 */
export function createDurableInbox(
  inner: InboxRepository,
  database: DatabaseHandle,
  options: DurableInboxOptions = {},
): DurableInbox {
  const report = options.onError ?? (() => {});
  // `noteRoutingRefusal` is the inner one, unwrapped: the PBX waits on it, and an entry still in the journal has
  // no row to carry it — it rejects, and the caller gets `{}` instead of a refusal nothing stored.
  const mark = {
    markProcessed: (id: string, at: string) =>
      retryWhileBusy(() => inner.markProcessed(id, at), options.statusDeadlineMs),
    markFailed: (id: string, error: string, at: string) =>
      retryWhileBusy(() => inner.markFailed(id, error, at), options.statusDeadlineMs),
  };
  const sqlite = database.sqlite;
  if (!sqlite || sqlite.memory) {
    return {
      ...inner,
      ...mark,
      async append(entry) {
        try {
          return await inner.append(entry);
        } catch (error) {
          throw entry.status === 'received'
            ? new InboxNotStoredError(`the webhook could not be stored: ${(error as Error).message}`)
            : error;
        }
      },
      stored: async () => {},
      journaled: () => 0,
    };
  }
  const journalFile = options.journalFile ?? `${sqlite.name}.webhooks-${process.pid}.journal`;
  const instanceId = options.instanceId ?? null;

  let seq = 0;
  /** Journaling: the database refused an append and the journal is not drained yet; appends go there. */
  let journaling = false;
  /** Waiting for the next group write. */
  let queued: QueuedWrite[] = [];
  /** In the group write under way. */
  let writing: QueuedWrite[] = [];
  /** Durable in the journal, not yet in the database, in arrival order. */
  let pending: Sequenced[] = [];
  let flushScheduled = false;
  let file: FileHandle | null = null;
  /** File operations (group writes, truncation) one after the other. */
  let fileChain: Promise<void> = Promise.resolve();
  let draining: Promise<void> | null = null;
  let waiters: { seq: number; resolve: () => void }[] = [];
  /** Journals of stopped processes, deleted once their entries are in the database. */
  let takenOver: string[] = [];
  let refusalsNotRecorded = 0;

  /** The oldest entry not yet in the database, or Infinity. */
  function oldestOutstanding(): number {
    return pending[0]?.seq ?? writing[0]?.seq ?? queued[0]?.seq ?? Number.POSITIVE_INFINITY;
  }

  function wakeWaiters(): void {
    const oldest = oldestOutstanding();
    const ready = waiters.filter((w) => w.seq < oldest);
    waiters = waiters.filter((w) => w.seq >= oldest);
    for (const w of ready) {
      w.resolve();
    }
  }

  function onFile(operation: (handle: FileHandle) => Promise<void>): Promise<void> {
    const run = fileChain.then(async () => {
      file ??= await open(journalFile, 'a');
      await operation(file);
    });
    fileChain = run.catch(() => {});
    return run;
  }

  async function flush(): Promise<void> {
    flushScheduled = false;
    if (queued.length === 0) {
      return;
    }
    writing = queued;
    queued = [];
    const group = writing;
    const text = group.map((w) => `${JSON.stringify(w.record)}\n`).join('');
    try {
      await onFile(async (handle) => {
        await handle.write(text);
        await handle.datasync();
      });
      pending.push(...group.map(({ seq: s, record }) => ({ seq: s, record })));
      writing = [];
      for (const w of group) {
        w.resolve();
      }
      kickDrain();
    } catch (error) {
      writing = [];
      report(error, `webhook journal ${journalFile}: write failed`);
      const refused = new InboxNotStoredError(
        `the webhook could be stored neither in the database nor in its journal: ${(error as Error).message}`,
      );
      for (const w of group) {
        w.reject(refused);
      }
    }
    wakeWaiters();
    if (queued.length > 0) {
      scheduleFlush();
    }
  }

  function scheduleFlush(): void {
    if (!flushScheduled && writing.length === 0) {
      flushScheduled = true;
      // One turn: every request parsed from the sockets meanwhile shares this write and its fsync.
      setImmediate(() => void flush());
    }
  }

  function journal(record: JournalRecord): Promise<void> {
    journaling = true;
    seq += 1;
    const mine = seq;
    return new Promise<void>((resolve, reject) => {
      queued.push({ seq: mine, record, resolve, reject });
      scheduleFlush();
    });
  }

  async function insertAll(records: readonly JournalRecord[]): Promise<void> {
    await database.db.transaction().execute(async (trx) => {
      for (let i = 0; i < records.length; i += INSERT_CHUNK) {
        await trx
          .insertInto('webhook_inbox')
          .values(records.slice(i, i + INSERT_CHUNK).map(toRow))
          .onConflict((oc) => oc.column('id').doNothing())
          .execute();
      }
    });
  }

  function kickDrain(): void {
    if (!draining) {
      draining = drain();
    }
  }

  async function drain(): Promise<void> {
    try {
      for (;;) {
        const batch = pending.slice();
        if (batch.length === 0) {
          if (writing.length > 0 || queued.length > 0) {
            // Entries on their way into the journal: drained as soon as they are durable.
            await fileChain;
            await new Promise<void>((resolve) => setImmediate(resolve));
            continue;
          }
          break;
        }
        try {
          // Waits (asynchronously, in the driver) while another process holds the lock.
          await retryWhileBusy(() => insertAll(batch.map((p) => p.record)), Number.POSITIVE_INFINITY);
        } catch (error) {
          report(error, 'webhook journal: moving entries into the inbox failed; retrying');
          await sleep(FAILED_DRAIN_PAUSE_MS);
          continue;
        }
        pending = pending.slice(batch.length);
        wakeWaiters();
      }
      // Everything written is in the database: the journal starts empty again, and appends go to the database.
      journaling = false;
      const done = takenOver;
      takenOver = [];
      await onFile(async (handle) => {
        if (pending.length === 0 && writing.length === 0 && queued.length === 0) {
          await handle.truncate(0);
          await handle.datasync();
          await handle.close();
          file = null;
        }
      }).catch((error: unknown) => report(error, `webhook journal ${journalFile}: truncation failed`));
      for (const leftover of done) {
        try {
          unlinkSync(leftover);
        } catch (error) {
          report(error, `webhook journal ${leftover}: removal failed`);
        }
      }
      if (refusalsNotRecorded > 0) {
        report(
          new Error(`${refusalsNotRecorded} refused webhook request(s) were not recorded`),
          'webhook inbox: the database was busy',
        );
        refusalsNotRecorded = 0;
      }
    } finally {
      draining = null;
    }
    if (pending.length > 0 || queued.length > 0 || writing.length > 0) {
      kickDrain();
    }
  }

  // Start-up: what a stopped process journaled (its ack was sent) goes into the inbox before anything else.
  for (const leftover of leftoverJournals(journalFile)) {
    try {
      const records = readJournal(leftover);
      // Nobody owns them now: the start-up recovery claims and processes them like other stranded entries.
      pending.push(...records.map((record) => ({ seq: ++seq, record: { ...record, instanceId: null } })));
      if (leftover === journalFile) {
        // Our own file: emptied (not removed) once drained.
        journaling = journaling || records.length > 0;
      } else {
        takenOver.push(leftover);
      }
    } catch (error) {
      report(error, `webhook journal ${leftover}: unreadable, left in place`);
    }
  }
  if (pending.length > 0 || takenOver.length > 0) {
    journaling = true;
    kickDrain();
  }

  return {
    ...inner,
    ...mark,
    async append(entry: NewInboxEntry): Promise<InboxEntry> {
      if (!journaling) {
        try {
          return await inner.append(entry);
        } catch (error) {
          if (entry.status !== 'rejected') {
            report(
              error,
              'webhook inbox: the database refused an append; journaling until it accepts writes',
            );
          }
        }
      }
      const record: JournalRecord = {
        id: newId(Date.parse(entry.receivedAt) || Date.now()),
        receivedAt: entry.receivedAt,
        remoteIp: entry.remoteIp,
        event: entry.event,
        pbxCallId: entry.pbxCallId,
        body: entry.body,
        contentType: entry.contentType,
        signatureValid: entry.signatureValid,
        status: entry.status,
        error: entry.error ?? null,
        instanceId,
      };
      if (entry.status === 'rejected') {
        // A refusal acknowledges nothing: under a busy database it is counted, not journaled (a flood of
        // refused requests must not fill the disk), and its answer goes out unchanged.
        refusalsNotRecorded += 1;
        return toEntry(record);
      }
      await journal(record);
      return toEntry(record);
    },
    stored() {
      const last = seq;
      if (oldestOutstanding() > last) {
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => waiters.push({ seq: last, resolve }));
    },
    journaled: () => pending.length + writing.length + queued.length,
  };
}
