/** The webhook inbox and the calls folded from it. (Part of the telephony ports; import them from `../ports.js`.) */
import type { CallEvent } from '../domain/call-event.js';
import type { CallRecord } from '../domain/fold-call.js';
import type { RoutingRefusal } from '../domain/routing-policy.js';

export type { RoutingRefusal } from '../domain/routing-policy.js';

export type InboxStatus = 'received' | 'processed' | 'failed' | 'rejected';

/** One webhook request as received, before (or after) it was processed. */
export interface InboxEntry {
  readonly id: string;
  readonly receivedAt: string;
  readonly remoteIp: string | null;
  /** The `event` field as sent, `''` when absent. */
  readonly event: string;
  readonly pbxCallId: string | null;
  readonly body: string;
  readonly contentType: string | null;
  readonly signatureValid: boolean;
  readonly status: InboxStatus;
  readonly error: string | null;
  readonly processedAt: string | null;
  /** Bytes received; `body` of a rejected entry is only a prefix of them. Null for entries older than this. */
  readonly bodySize?: number | null;
  /** Hex SHA-256 of the whole body received, kept for rejected entries. */
  readonly bodySha256?: string | null;
  /** How our NOTIFY_START reply refused the caller, stored before it left (migration 0030); null otherwise. */
  readonly routingRefusal?: RoutingRefusal | null;
}

export interface NewInboxEntry {
  readonly receivedAt: string;
  readonly remoteIp: string | null;
  readonly event: string;
  readonly pbxCallId: string | null;
  readonly body: string;
  readonly contentType: string | null;
  readonly signatureValid: boolean;
  /** `received` for a verified request to process; `rejected` when refused (bad signature, IP, body). */
  readonly status: 'received' | 'rejected';
  readonly error?: string | null;
  /** Bytes received (the whole body's size, when `body` is only its prefix). */
  readonly bodySize?: number | null;
  /** Hex SHA-256 of the whole body, when `body` is only its prefix. */
  readonly bodySha256?: string | null;
}

export interface InboxListQuery {
  /** At most this many entries (default 100; the database adapter answers 500 at most); below 1 is refused. */
  readonly limit?: number;
  readonly status?: InboxStatus;
  readonly pbxCallId?: string;
  /** Only entries received strictly before this instant (newest first paging). */
  readonly receivedBefore?: string;
  /** Oldest first, from `receivedAfter` (exclusive) on: a recovery walks the inbox in arrival order. */
  readonly oldestFirst?: boolean;
  /** With `oldestFirst`: only entries received strictly after this instant (or, at that instant, after `afterId`). */
  readonly receivedAfter?: { readonly at: string; readonly id: string };
}

/** The webhook inbox: every notification stored raw before any work, for audit and replay (ARCHITECTURE data flow 1). */
export interface InboxRepository {
  append(entry: NewInboxEntry): Promise<InboxEntry>;
  markProcessed(id: string, at: string): Promise<void>;
  markFailed(id: string, error: string, at: string): Promise<void>;
  /**
   * Stores on a NOTIFY_START's entry how its reply refused the caller (null: it did not after all). Resolves once
   * committed; rejects when the entry is not in the table (still in the journal of a busy SQLite) or the write
   * fails. Why: the refusal must survive a crash between the reply and processing (migration 0030).
   */
  noteRoutingRefusal(id: string, refusal: RoutingRefusal | null): Promise<void>;
  /** Newest first. Rejects with `SB_ERR_VALIDATION` when `limit` is not a whole number ≥ 1 (`inboxListLimit`). */
  list(query?: InboxListQuery): Promise<InboxEntry[]>;
  get(id: string): Promise<InboxEntry | null>;
}

/** A call record as stored: the fold plus links and bookkeeping. */
export interface StoredCall extends CallRecord {
  readonly id: string;
  /** The distinct events folded (one copy per content, the earliest received), in the order they were stored. */
  readonly events: readonly CallEvent[];
  readonly contactId: string | null;
  readonly agentUserId: string | null;
  readonly clientE164: string | null;
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface ApplyEventOptions {
  /**
   * The E.164 form of the folded client number (null: it does not normalise), stored as `clientE164` in the
   * same write. Why: a separate link write per call cost as much as the fold's own.
   */
  readonly clientE164?: (clientNumber: string) => string | null;
  /**
   * What `ringingFacts` just read of this event's call, in the same unit of work: the fold may start from that
   * read instead of reading the row again. An adapter takes it only when nothing can have written the row since
   * (its own open transaction, no write through it in between) and reads again otherwise — as PostgreSQL's does,
   * whose fold locks the row with its read. Why: a NOTIFY_INTERNAL's call was read twice in a row.
   */
  readonly read?: RingingFacts;
}

/** A notification's signed start: `call_start`, its instant, and `caller_id` (domain/ringing-trust.ts). */
export interface SignedStart {
  readonly callStart: string;
  readonly startedAt: string;
  readonly callerId: string;
}

/** What the ringing judgement of a NOTIFY_INTERNAL reads (`CallRepository.ringingFacts`). */
export interface RingingFacts {
  /** The call as stored; null when it is new to us. */
  readonly call: StoredCall | null;
  /** The `pbx_call_id` of the first call stored with the signed start; null when none is, or none was asked. */
  readonly firstSigned: string | null;
}

export interface ApplyEventResult {
  readonly call: StoredCall;
  /** True when the same notification (same content) was already folded: a re-delivery. */
  readonly duplicate: boolean;
  /** False when nothing changed (the usual re-delivery): no need to tell anyone. */
  readonly changed: boolean;
}

export interface CallLinks {
  readonly contactId?: string | null;
  readonly agentUserId?: string | null;
  readonly clientE164?: string | null;
}

export interface CallListQuery {
  readonly limit?: number;
  /** Only calls started strictly before this instant (newest first paging). */
  readonly startedBefore?: string;
  readonly contactId?: string;
  readonly agentUserId?: string;
}

/** Call records, each the fold of its notifications; safe under concurrent and repeated application. */
export interface CallRepository {
  /**
   * Folds a notification into its call (idempotent, order-independent). Rejects with `CallEventRefusedError`,
   * writing nothing, when the event contradicts the call's signed identity or the call holds too many versions.
   */
  applyEvent(event: CallEvent, now?: string, options?: ApplyEventOptions): Promise<ApplyEventResult>;
  get(pbxCallId: string): Promise<StoredCall | null>;
  getById(id: string): Promise<StoredCall | null>;
  /**
   * Sets the call's links and returns `call` with them and its new version (null when the call is gone).
   * Why the stored call goes in: the link follows `applyEvent`, whose result is the call as just written.
   */
  link(call: StoredCall, links: CallLinks, now?: string): Promise<StoredCall | null>;
  /** Newest first by start time. */
  list(query?: CallListQuery): Promise<StoredCall[]>;
  /**
   * What the ringing judgement of a NOTIFY_INTERNAL reads (use-cases/handle-call-ringing.ts `judgeRinging`): its
   * call as stored, and the first call stored with its signed start (`signed`; null: not asked) — by
   * `created_at`, then `pbx_call_id`. Why the second: a signature belongs to one call, so a later call carrying
   * the same signed fields is a captured signature replayed under a made-up id (domain/ringing-trust.ts); one
   * index seek (migration 0023). Why together: one trip to the database, and `applyEvent` starts from this read
   * (`ApplyEventOptions.read`) instead of reading the call again.
   */
  ringingFacts(pbxCallId: string, signed: SignedStart | null): Promise<RingingFacts>;
}
