/**
 * Kysely adapter of the webhook inbox (ports.ts `InboxRepository`), same SQL on SQLite and PostgreSQL.
 * Each entry records the instance that received it, so that when an instance dies another one claims its
 * unprocessed entries (`claimStrandedInboxEntries`, issue 9).
 */
import type SQLite from 'better-sqlite3';
import type { Kysely, Selectable } from 'kysely';
import { type DatabaseHandle, isDatabaseBusy, onSqliteConnection } from '../../../platform/db/database.js';
import type { WebhookInboxTable } from '../../../platform/db/schema/telephony.js';
import type { Database } from '../../../platform/db/schema.js';
import { newId } from '../../../platform/ids.js';
import { countRows } from '../../crm/shared/paging.js';
import {
  type InboxBrowser,
  type InboxEntry,
  type InboxListQuery,
  type InboxRepository,
  inboxListLimit,
  type NewInboxEntry,
  type RoutingRefusal,
} from '../ports.js';

const MAX_LIST = 500;

const INSERT_SQL =
  'insert into webhook_inbox (id, received_at, remote_ip, event, pbx_call_id, body, content_type, ' +
  'signature_valid, status, error, processed_at, instance_id, body_size, body_sha256) ' +
  'values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';
const STATUS_SQL = 'update webhook_inbox set status = ?, processed_at = ?, error = ? where id = ?';
const REFUSAL_SQL = 'update webhook_inbox set routing_refusal = ? where id = ?';

// One status statement per connection, whatever the number of repositories bound to its transactions.
const statusStatements = new WeakMap<SQLite.Database, SQLite.Statement>();

function statusStatementOf(sqlite: SQLite.Database): SQLite.Statement {
  let statement = statusStatements.get(sqlite);
  if (!statement) {
    statement = sqlite.prepare(STATUS_SQL);
    statusStatements.set(sqlite, statement);
  }
  return statement;
}

function toEntry(row: Selectable<WebhookInboxTable>): InboxEntry {
  return {
    id: row.id,
    receivedAt: row.received_at,
    remoteIp: row.remote_ip,
    event: row.event,
    pbxCallId: row.pbx_call_id,
    body: row.body,
    contentType: row.content_type,
    signatureValid: row.signature_valid === 1,
    status: row.status,
    error: row.error,
    processedAt: row.processed_at,
    bodySize: row.body_size,
    bodySha256: row.body_sha256,
    routingRefusal: refusalOf(row.routing_refusal),
  };
}

/** The stored refusal, read back: anything but the two refusals is none. */
function refusalOf(value: string | null | undefined): RoutingRefusal | null {
  return value === 'blacklist' || value === 'hangup' ? value : null;
}

/** Why the refusal could not be stored: the entry is not (yet) a row — a busy SQLite's journal holds it. */
function entryNotStored(id: string): Error {
  return new Error(`inbox entry ${id} is not in webhook_inbox: its routing refusal cannot be stored`);
}

function toRow(entry: NewInboxEntry, instanceId: string | null): Selectable<WebhookInboxTable> {
  return {
    id: newId(Date.parse(entry.receivedAt) || Date.now()),
    received_at: entry.receivedAt,
    remote_ip: entry.remoteIp,
    event: entry.event,
    pbx_call_id: entry.pbxCallId,
    body: entry.body,
    content_type: entry.contentType,
    signature_valid: entry.signatureValid ? 1 : 0,
    status: entry.status,
    error: entry.error ?? null,
    processed_at: null,
    instance_id: instanceId,
    body_size: entry.bodySize ?? null,
    body_sha256: entry.bodySha256 ?? null,
    routing_refusal: null,
  };
}

/**
 * Status marks gathered over a transaction and written before it commits: one UPDATE per (status, time, error),
 * its ids in one list. A later mark of the same entry replaces an earlier one, as a second UPDATE would have.
 */
function gatheredMarks(
  db: Kysely<Database>,
  beforeCommit: (flush: () => Promise<void>) => void,
): (id: string, status: 'processed' | 'failed', at: string, error: string | null) => void {
  const marks = new Map<string, { status: 'processed' | 'failed'; at: string; error: string | null }>();
  beforeCommit(async () => {
    const groups = new Map<
      string,
      { status: 'processed' | 'failed'; at: string; error: string | null; ids: string[] }
    >();
    for (const [id, mark] of marks) {
      const key = JSON.stringify([mark.status, mark.at, mark.error]);
      const group = groups.get(key) ?? { ...mark, ids: [] };
      group.ids.push(id);
      groups.set(key, group);
    }
    marks.clear();
    for (const { status, at, error, ids } of groups.values()) {
      await db
        .updateTable('webhook_inbox')
        .set({ status, processed_at: at, error })
        .where('id', 'in', ids)
        .execute();
    }
  });
  return (id, status, at, error) => {
    marks.delete(id);
    marks.set(id, { status, at, error });
  };
}

export interface InboxRepositoryOptions {
  /** The raw SQLite connection behind `db`: status updates run as a prepared statement. */
  readonly sqlite?: SQLite.Database | null;
  /**
   * `db` is an open transaction that runs the flush handed here before it commits (the unit of work's
   * `beforeCommit`): without a raw SQLite connection, the status marks are gathered and written by it, one
   * statement per status, time and error. Why: on PostgreSQL each mark was a round trip, one per event of a
   * webhook batch; on SQLite a prepared statement a row costs less than any gathering.
   */
  readonly beforeCommit?: (flush: () => Promise<void>) => void;
  /** The instance appending entries (server_instances.id); null leaves them unowned (any instance recovers them). */
  readonly instanceId?: string | null;
}

/**
 * Creates the inbox repository over a Kysely database (or an open transaction of it).
 * Why: the webhook route stores each request before any work, so nothing Zadarma sent can be lost.
 * With `sqlite` (the raw connection behind `db`), status updates — one per processed webhook — run as a
 * prepared statement.
 */
export function createInboxRepository(
  db: Kysely<Database>,
  options: InboxRepositoryOptions = {},
): InboxRepository {
  const instanceId = options.instanceId ?? null;
  const setStatus = options.sqlite ? statusStatementOf(options.sqlite) : null;
  const gathered = !setStatus && options.beforeCommit ? gatheredMarks(db, options.beforeCommit) : null;
  async function mark(id: string, status: 'processed' | 'failed', at: string, error: string | null) {
    if (setStatus) {
      await onSqliteConnection(db, () => setStatus.run(status, at, error, id));
      return;
    }
    if (gathered) {
      gathered(id, status, at, error);
      return;
    }
    await db
      .updateTable('webhook_inbox')
      .set({ status, processed_at: at, error })
      .where('id', '=', id)
      .execute();
  }
  return {
    async append(entry: NewInboxEntry) {
      const row = toRow(entry, instanceId);
      await db.insertInto('webhook_inbox').values(row).execute();
      return toEntry(row);
    },
    markProcessed: (id, at) => mark(id, 'processed', at, null),
    markFailed: (id, error, at) => mark(id, 'failed', at, error),
    async noteRoutingRefusal(id, refusal) {
      const result = await db
        .updateTable('webhook_inbox')
        .set({ routing_refusal: refusal })
        .where('id', '=', id)
        .executeTakeFirst();
      if (result.numUpdatedRows === 0n) {
        throw entryNotStored(id);
      }
    },
    async list(query: InboxListQuery = {}) {
      let q = db.selectFrom('webhook_inbox').selectAll();
      if (query.status) {
        q = q.where('status', '=', query.status);
      }
      if (query.pbxCallId) {
        q = q.where('pbx_call_id', '=', query.pbxCallId);
      }
      if (query.receivedBefore) {
        q = q.where('received_at', '<', query.receivedBefore);
      }
      const after = query.receivedAfter;
      if (after) {
        q = q.where((eb) =>
          eb.or([
            eb('received_at', '>', after.at),
            eb.and([eb('received_at', '=', after.at), eb('id', '>', after.id)]),
          ]),
        );
      }
      const direction = query.oldestFirst ? 'asc' : 'desc';
      const rows = await q
        .orderBy('received_at', direction)
        .orderBy('id', direction)
        .limit(Math.min(inboxListLimit(query.limit), MAX_LIST))
        .execute();
      return rows.map(toEntry);
    },
    async get(id) {
      const row = await db.selectFrom('webhook_inbox').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toEntry(row) : null;
    },
  };
}

type InboxWrite =
  | { readonly kind: 'insert'; readonly row: Selectable<WebhookInboxTable> }
  | {
      readonly kind: 'status';
      readonly id: string;
      readonly status: 'processed' | 'failed';
      readonly at: string;
      readonly error: string | null;
    }
  | { readonly kind: 'refusal'; readonly id: string; readonly refusal: RoutingRefusal | null };

interface Waiting {
  readonly write: InboxWrite;
  resolve(): void;
  reject(error: unknown): void;
}

/** The admin's `InboxBrowser` over the table: filters, a count and one page, newest first. */
export function createKyselyInboxBrowser(db: Kysely<Database>): InboxBrowser {
  return {
    async page({ status, event, page, pageSize }) {
      let base = db.selectFrom('webhook_inbox');
      if (status) {
        base = base.where('status', '=', status);
      }
      if (event) {
        base = base.where('event', '=', event);
      }
      const [total, rows] = await Promise.all([
        countRows(base),
        base
          .selectAll()
          .orderBy('received_at', 'desc')
          .orderBy('id', 'desc')
          .limit(pageSize)
          .offset((page - 1) * pageSize)
          .execute(),
      ]);
      return { items: rows.map(toEntry), total };
    },
  };
}

/** The group-committing inbox; on SQLite it can be told to commit what waits for its turn now. */
export interface GroupCommitInbox extends InboxRepository {
  /**
   * Commits at once the writes waiting for this turn's group if a NOTIFY_START is among them (SQLite; absent on
   * PostgreSQL, whose commits run beside processing). Never rejects: a write that fails rejects its own append.
   */
  readonly commitQueued?: () => Promise<void>;
}

/**
 * The inbox with group commit on SQLite: writes arriving in the same event-loop turn (every request parsed
 * from the sockets before the loop idles) are committed in ONE transaction of prepared statements, and each
 * caller's promise resolves only once that transaction has committed — the raw event is durable before its
 * reply, as with one INSERT per request, for a fraction of the commits. On PostgreSQL it commits on the reply
 * pool, in lanes of its own (`createPostgresGroupCommitInbox`).
 * Why: one commit per webhook was the ingest's main cost before the reply (issue 5 bench).
 */
export function createGroupCommitInbox(
  database: DatabaseHandle,
  options: { readonly instanceId?: string | null } = {},
): GroupCommitInbox {
  const instanceId = options.instanceId ?? null;
  const sqlite = database.sqlite;
  if (!sqlite) {
    return createPostgresGroupCommitInbox(database.replyDb ?? database.db, instanceId);
  }
  const plain = createInboxRepository(database.db, { instanceId });
  const insert = sqlite.prepare(INSERT_SQL);
  const setStatus = statusStatementOf(sqlite);
  const setRefusal = sqlite.prepare(REFUSAL_SQL);
  const apply = (write: InboxWrite): void => {
    if (write.kind === 'insert') {
      const r = write.row;
      insert.run(
        r.id,
        r.received_at,
        r.remote_ip,
        r.event,
        r.pbx_call_id,
        r.body,
        r.content_type,
        r.signature_valid,
        r.status,
        r.error,
        r.processed_at,
        r.instance_id,
        r.body_size,
        r.body_sha256,
      );
    } else if (write.kind === 'status') {
      setStatus.run(write.status, write.at, write.error, write.id);
    } else if (setRefusal.run(write.refusal, write.id).changes === 0) {
      // Thrown inside the group's transaction: the group is retried write by write, and only this one rejects.
      throw entryNotStored(write.id);
    }
  };
  const commitAll = sqlite.transaction((writes: readonly InboxWrite[]) => {
    for (const write of writes) {
      apply(write);
    }
  });
  let queue: Waiting[] = [];
  let scheduled = false;
  /** Since when the group commits have found the write lock held (performance.now), or null. */
  let busySince: number | null = null;

  /**
   * Whether a group that found the write lock held goes back in line for another try rather than failing — which
   * sends its entries to the journal (journal-inbox.ts), an fsync each. Why: under load the checkpointer's RESTART
   * holds the lock for a few ms every few seconds (database.ts `checkpointStep`); a lock held longer (another
   * process: a backup, a shell) is the journal's case.
   */
  function waitsForLock(): boolean {
    busySince ??= performance.now();
    return performance.now() - busySince < INBOX_BUSY_WAIT_MS;
  }

  async function flush(): Promise<void> {
    const batch = queue;
    queue = [];
    scheduled = false;
    if (batch.length === 0) {
      // A NOTIFY_START's commit took this turn's writes already.
      return;
    }
    try {
      // Kysely's connection lock: no Kysely transaction is open on the connection while this one runs, so the
      // batch commits on its own (never inside, nor rolled back with, someone else's transaction).
      await database.db.connection().execute(async () => {
        try {
          commitAll(batch.map((w) => w.write));
          busySince = null;
          for (const w of batch) {
            w.resolve();
          }
        } catch (error) {
          if (isDatabaseBusy(error) && waitsForLock()) {
            // First in line again, in arrival order; what arrives meanwhile joins the next try.
            queue = [...batch, ...queue];
            if (!scheduled) {
              scheduled = true;
              setTimeout(() => void flush(), INBOX_BUSY_PAUSE_MS);
            }
            return;
          }
          // One bad write must not fail its neighbours: retry each alone, so only the culprit rejects.
          for (const w of batch) {
            try {
              commitAll([w.write]);
              w.resolve();
            } catch (error) {
              w.reject(error);
            }
          }
        }
      });
    } catch (error) {
      for (const w of batch) {
        w.reject(error);
      }
    }
  }

  function enqueue(write: InboxWrite, now = false): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      queue.push({ write, resolve, reject });
      if (now) {
        void flush();
      } else if (!scheduled) {
        scheduled = true;
        // One turn: every request parsed from the sockets meanwhile joins this commit. (Waiting longer for more
        // was measured: the later answers cut the requests in flight more than the bigger commit saved.)
        setImmediate(() => void flush());
      }
    });
  }

  return {
    ...plain,
    async append(entry) {
      const row = toRow(entry, instanceId);
      await enqueue({ kind: 'insert', row });
      return toEntry(row);
    },
    // Called by processing before each batch: the batch then never runs ahead of a ringing caller's entry. Only
    // then: committed early, the other writes would only be split from the rest of their turn's group.
    commitQueued: () =>
      queue.some((w) => w.write.kind === 'insert' && w.write.row.event === 'NOTIFY_START')
        ? flush()
        : Promise.resolve(),
    markProcessed: (id, at) => enqueue({ kind: 'status', id, status: 'processed', at, error: null }),
    markFailed: (id, error, at) => enqueue({ kind: 'status', id, status: 'failed', at, error }),
    // The PBX waits on it (the reply refusing the caller leaves once it is stored): committed at once.
    noteRoutingRefusal: (id, refusal) => enqueue({ kind: 'refusal', id, refusal }, true),
  };
}

/**
 * Whether the PBX waits on this entry's commit for more than `{}`: NOTIFY_START, whose reply is the call's
 * routing. On PostgreSQL its write commits at once, in a lane of its own (`createPostgresGroupCommitInbox`).
 */
const answerWaits = (entry: NewInboxEntry): boolean => entry.event === 'NOTIFY_START';

/**
 * How long a group commit on SQLite keeps trying while the write lock is held before its writes fail (and are
 * journaled), ms: beyond a RESTART checkpoint's longest hold (database.ts `RESTART_WAIT_MS`, 50 ms).
 */
const INBOX_BUSY_WAIT_MS = 60;
/**
 * The pause between two tries, ms: the shortest a timer waits. Why not the driver's doubling pauses (2, 4, 8 ms…):
 * a RESTART holds the lock for ~1–8 ms, and a NOTIFY_START's reply waits for this commit.
 */
const INBOX_BUSY_PAUSE_MS = 1;

/** Appends to PostgreSQL committed at once at most; the others gather meanwhile for the next commit. */
const PG_COMMITS_IN_FLIGHT = 2;

/**
 * NOTIFY_START commits in flight at most on PostgreSQL: four of the reply pool's seven connections (database.ts:
 * the groups take two, a refusal's write one). Beyond them, the starts that arrive meanwhile commit together.
 */
const PG_START_COMMITS_IN_FLIGHT = 4;

type PgPending = { row: Selectable<WebhookInboxTable>; resolve(): void; reject(error: unknown): void };

/**
 * A lane of commits on `db`: at most `cap` in flight; what arrives while the cap is reached waits, and goes in
 * ONE multi-row INSERT, one commit, as soon as one of them ends. With `gather`, a row waits one event-loop turn
 * first, for the rows the sockets are about to deliver. If a group fails, its rows are retried one by one so
 * only the culprit rejects. Returns the append: it resolves once the row is committed.
 */
function pgCommitLane(
  db: Kysely<Database>,
  cap: number,
  gather: boolean,
): (row: Selectable<WebhookInboxTable>) => Promise<void> {
  let queue: PgPending[] = [];
  let inFlight = 0;
  let scheduled = false;

  async function commit(): Promise<void> {
    const group = queue;
    queue = [];
    inFlight += 1;
    try {
      try {
        await db
          .insertInto('webhook_inbox')
          .values(group.map((w) => w.row))
          .execute();
        for (const w of group) {
          w.resolve();
        }
      } catch {
        for (const w of group) {
          try {
            await db.insertInto('webhook_inbox').values(w.row).execute();
            w.resolve();
          } catch (error) {
            w.reject(error);
          }
        }
      }
    } finally {
      inFlight -= 1;
      startCommits();
    }
  }

  function startCommits(): void {
    if (queue.length > 0 && inFlight < cap) {
      void commit();
    }
  }

  return (row) =>
    new Promise<void>((resolve, reject) => {
      queue.push({ row, resolve, reject });
      if (!gather) {
        startCommits();
      } else if (!scheduled) {
        scheduled = true;
        // One turn first: the requests parsed from the sockets meanwhile join this commit.
        setImmediate(() => {
          scheduled = false;
          startCommits();
        });
      }
    });
}

/**
 * Group commit on PostgreSQL, in two lanes on `db` (the reply pool). The other events' appends: those that arrive
 * while earlier ones commit are inserted together, in ONE multi-row INSERT, one commit, one WAL flush (an
 * fdatasync: 2 ms at the median, tens of ms at the p99 on a busy disk); at most `PG_COMMITS_IN_FLIGHT` commits at
 * a time. Why: one commit per webhook, each waiting for its own fsync, queued 700 appends a second behind four
 * connections (p50 1 s at 200 calls/s). NOTIFY_STARTs: a lane of their own (below).
 */
function createPostgresGroupCommitInbox(db: Kysely<Database>, instanceId: string | null): InboxRepository {
  const plain = createInboxRepository(db, { instanceId });
  const others = pgCommitLane(db, PG_COMMITS_IN_FLIGHT, true);
  // A ringing caller's entry commits on its own, at once: never behind the groups' cap, nor inside a group whose
  // commit began before it came. Why: waiting for a group in flight was the largest part of NOTIFY_START's tail
  // under the ingest (p99 8.8 ms against 3.2 ms for one durable INSERT, notify-start bench). Only when every
  // connection the starts have is committing do the next starts wait, and then together: one commit each, queued
  // in the pool, capped the starts at connections ÷ flush time — on a loaded disk (flushes of 20–50 ms) under
  // 200 a second, and the queue grew without bound (store p50 1.3 s, notify-start bench).
  const starts = pgCommitLane(db, PG_START_COMMITS_IN_FLIGHT, false);
  return {
    ...plain,
    async append(entry) {
      const row = toRow(entry, instanceId);
      await (answerWaits(entry) ? starts : others)(row);
      return toEntry(row);
    },
  };
}

export interface ClaimStrandedOptions {
  /** The claiming instance: what it claims becomes its own. */
  readonly instanceId: string;
  /** Instances whose heartbeat is older than this (or that have none) are dead: their entries are claimable. */
  readonly leaseExpiredBefore: string;
  /**
   * Entries owned by nobody (stored before migration 0007, or by an inbox without an instance) are stranded if
   * received before this: the claimer's start.
   */
  readonly receivedBefore: string;
  /** At most this many, the oldest (default 500). */
  readonly limit?: number;
}

/**
 * Claims, oldest first, entries still `received` whose instance is dead (or that nobody owns and arrived before
 * `receivedBefore`), and returns them as now owned by `instanceId` — never its own: what it owns is in its
 * queue already.
 * Why: a killed instance's accepted backlog must not wait for that same instance to restart. Each claim is one
 * UPDATE per former owner whose WHERE repeats the owner and the status, so of two instances racing for an
 * entry exactly one gets it back from RETURNING (PostgreSQL re-checks the WHERE on the row it waited for;
 * SQLite runs writes one at a time).
 */
export async function claimStrandedInboxEntries(
  db: Kysely<Database>,
  options: ClaimStrandedOptions,
): Promise<InboxEntry[]> {
  const live = await db
    .selectFrom('server_instances')
    .select('id')
    .where('heartbeat_at', '>=', options.leaseExpiredBefore)
    .execute();
  const alive = [...new Set([options.instanceId, ...live.map((r) => r.id)])];
  const candidates = await db
    .selectFrom('webhook_inbox')
    .select(['id', 'instance_id'])
    .where('status', '=', 'received')
    .where((eb) =>
      eb.or([
        eb.and([eb('instance_id', 'is', null), eb('received_at', '<', options.receivedBefore)]),
        eb.and([eb('instance_id', 'is not', null), eb('instance_id', 'not in', alive)]),
      ]),
    )
    .orderBy('received_at')
    .orderBy('id')
    .limit(Math.max(1, options.limit ?? 500))
    .execute();
  const byOwner = new Map<string | null, string[]>();
  for (const candidate of candidates) {
    const ids = byOwner.get(candidate.instance_id) ?? [];
    ids.push(candidate.id);
    byOwner.set(candidate.instance_id, ids);
  }
  const claimed: Selectable<WebhookInboxTable>[] = [];
  for (const [owner, ids] of byOwner) {
    const rows = await db
      .updateTable('webhook_inbox')
      .set({ instance_id: options.instanceId })
      .where('id', 'in', ids)
      .where('status', '=', 'received')
      .where('instance_id', owner === null ? 'is' : '=', owner)
      .returningAll()
      .execute();
    claimed.push(...rows);
  }
  claimed.sort((a, b) =>
    a.received_at === b.received_at ? (a.id < b.id ? -1 : 1) : a.received_at < b.received_at ? -1 : 1,
  );
  return claimed.map(toEntry);
}
