/**
 * Verify and store: one request to `/zadarma` (docs/zadarma-protocol.md §5.8) as a plain value in, a plain
 * outcome out (the HTTP adapter, http/webhook-routes.ts, maps it to a status and a body). Echo first; then IP,
 * body and signature through the SDK's `readWebhook`; every POST stored in the inbox before the answer (refused
 * ones as `rejected` with the reason, for admins); NOTIFY_START decided (decide-call-routing.ts) within what is
 * left of its budget, counted from the request's arrival; the rest of the work after the answer, in arrival
 * order and in batches (process-webhook-batch.ts), carrying the decision and the caller it looked up.
 */
import { createHash } from 'node:crypto';
import {
  type CompiledIpPolicy,
  compileIpPolicy,
  parseWebhookBody,
  parseWebhookEvent,
  readWebhook,
  type TWebhookEvent,
  type WebhookHeaders,
} from '@switchboard/zadarma';
import { MAX_CALL_AGE_MS, MAX_CLOCK_SKEW_MS } from '../domain/call-freshness.js';
import { refusalOf } from '../domain/routing-policy.js';
import type {
  Clock,
  InboxClaims,
  InboxEntry,
  InboxRepository,
  ProviderEvents,
  TelephonySettingsReader,
  WebhookSettings,
} from '../ports.js';
import {
  type CallRouting,
  type CallRoutingPorts,
  DEFAULT_START_BUDGET_MS,
  decideStartReply,
  pastBudget,
  refusalNotStored,
} from './decide-call-routing.js';
import { type BatchProcessingPorts, createBatchProcessor } from './process-webhook-batch.js';

/** One request to `/zadarma`, as plain values. */
export interface WebhookRequest {
  readonly method: string;
  /** The raw query string, without `?`. */
  readonly query: string;
  readonly headers: WebhookHeaders;
  readonly body: Buffer;
  readonly contentType: string | undefined;
  /** The TCP peer (never X-Forwarded-For: the SDK's IP policy decides whom to believe). */
  readonly remoteAddress: string | undefined;
  /**
   * When the request arrived, on the ports' clock (ms): the NOTIFY_START budget runs from here. Absent: when
   * the use case starts.
   */
  readonly arrivedAt?: number;
}

/** How the webhook was answered, for the HTTP adapter to put into words. */
export type WebhookOutcome =
  /** The `zd_echo` handshake: the token's exact bytes (UTF-8 or not) are the answer. */
  | { readonly kind: 'echo'; readonly token: Buffer }
  /** Refused (and, for a POST, stored as metadata): `forbidden` (not ours to accept) or `malformed`. */
  | {
      readonly kind: 'refused';
      readonly refusal: 'forbidden' | 'malformed';
      readonly reason: string;
      readonly message: string;
    }
  /**
   * Verified and stored: `reply` is the JSON body Zadarma gets (`{}` but for NOTIFY_START), `after` the
   * processing to run once the answer has left.
   */
  | { readonly kind: 'accepted'; readonly reply: string; readonly after: () => Promise<void> };

export interface Ingest {
  handle(request: WebhookRequest): Promise<WebhookOutcome>;
  /**
   * Reprocesses a stored, verified event (admin replay); `refused`: the refusal its entry stored (migration 0030).
   */
  process(entryId: string, event: TWebhookEvent, receivedAt: string, refused?: boolean): Promise<void>;
  /** Resolves when every queued processing has finished (tests, shutdown). */
  idle(): Promise<void>;
  /** Whether processing is queued or running right now (background work gives way to it). */
  busy(): boolean;
  /**
   * Claims for this instance and processes, oldest first, every entry still `received` that is stranded: owned
   * by a dead instance (heartbeat older than `leaseExpiredBefore`, default the lease ago, or none at all), or
   * owned by nobody and received before `before` (this instance's start); resolves with how many there were.
   * Claims are atomic: of instances racing for an entry, one processes it. A restarted process is a new
   * instance: what its previous run left is taken over once that run's lease has expired.
   * Why: the inbox is the durable copy; a restart, or any other instance, must finish what a stopped one accepted.
   */
  recover(before: string, options?: { readonly leaseExpiredBefore?: string }): Promise<number>;
}

/** The ports of the webhook path: verify and store, decide NOTIFY_START, process. */
export interface WebhookPorts extends BatchProcessingPorts, CallRoutingPorts {
  readonly inbox: Pick<InboxRepository, 'append' | 'markFailed' | 'noteRoutingRefusal'>;
  readonly claims: InboxClaims;
  readonly settings: TelephonySettingsReader;
  readonly provider: ProviderEvents;
  /** This server's clock: arrival, the budget, inbox times. */
  readonly clock: Clock;
  /** The PBX's clock, which a signed `call_start` is judged by (the simulator's virtual one in demo mode). */
  readonly pbxClock: Clock;
}

export interface IngestOptions {
  /** The NOTIFY_START reply's whole budget, from arrival (default `DEFAULT_START_BUDGET_MS`). */
  readonly startBudgetMs?: number;
  /** The freshness window of a signed `call_start` (defaults: domain/call-freshness.ts). */
  readonly freshness?: {
    readonly maxAgeMs?: number;
    readonly maxSkewMs?: number;
  };
  /** Most notifications processed per transaction (process-webhook-batch.ts). */
  readonly maxBatch?: number;
  /** The time one synchronous batch should take, ms (process-webhook-batch.ts `sliceMs`; SQLite). */
  readonly batchSliceMs?: number;
  /** The longest that slice grows to while processing is behind (process-webhook-batch.ts `maxSliceMs`). */
  readonly batchMaxSliceMs?: number;
  readonly onError?: (error: unknown, context: string) => void;
}

const HOUR_MS = 3_600_000;
/**
 * How long after a NOTIFY_START processing keeps cutting its batches to `batchSliceMs`. Why: a ringing caller's
 * reply is what waits behind a batch (its budget is timed; other notifications' replies are not); within a second
 * of one the next is likely, long after it the slices only cost the ingest commits. The first start after a quiet
 * second waits for at most one whole batch (`maxBatch` events), then the slices are back.
 */
const RINGING_SLICE_WINDOW_MS = 1000;
const RECOVERY_PAGE = 500;
/**
 * How much of a refused body the inbox keeps (with its size and SHA-256): enough for an admin to see what
 * it was. Why: refused bodies were stored whole (up to 1 MiB each) and a flood of them filled the disk.
 */
const REFUSED_BODY_PREFIX_BYTES = 256;

/** A string field of a refused request's decoded (unverified) fields, or null. */
function fieldOf(fields: Readonly<Record<string, unknown>> | undefined, name: string): string | null {
  const value = fields?.[name];
  return typeof value === 'string' ? value : null;
}

/** What the inbox keeps of a refused body: a short prefix as text (no NUL, which PostgreSQL text refuses). */
function refusedBodyPrefix(body: Buffer): string {
  return body.subarray(0, REFUSED_BODY_PREFIX_BYTES).toString('utf8').replaceAll('\u0000', '\uFFFD');
}

/**
 * The event an inbox entry stored, parsed again from its raw body (null when it no longer parses as a known
 * event). Why: admin replay and start-up recovery both turn stored entries back into events.
 */
export function storedEventOf(entry: Pick<InboxEntry, 'body' | 'contentType'>): TWebhookEvent | null {
  const parsed = parseWebhookBody(Buffer.from(entry.body, 'utf8'), entry.contentType ?? undefined);
  const typed = parsed.ok ? parseWebhookEvent(parsed.fields) : null;
  return typed?.ok && typed.kind === 'event' ? (typed.event as TWebhookEvent) : null;
}

/** Creates the ingest of one app. Why: the HTTP adapters stay thin; tests and the bench drive this. */
export function createIngest(ports: WebhookPorts, options: IngestOptions = {}): Ingest {
  const budgetMs = options.startBudgetMs ?? DEFAULT_START_BUDGET_MS;
  // When a verified NOTIFY_START last arrived (ports' clock, ms): batches are sliced while callers ring.
  let lastRingingAt = Number.NEGATIVE_INFINITY;
  const processor = createBatchProcessor(ports, {
    ...(options.onError ? { onError: options.onError } : {}),
    ...(options.maxBatch ? { maxBatch: options.maxBatch } : {}),
    ...(options.batchSliceMs
      ? {
          sliceMs: options.batchSliceMs,
          ...(options.batchMaxSliceMs ? { maxSliceMs: options.batchMaxSliceMs } : {}),
          sliceWhile: () => ports.clock.now() - lastRingingAt < RINGING_SLICE_WINDOW_MS,
        }
      : {}),
  });
  const iso = (ms: number = ports.clock.now()) => new Date(ms).toISOString();
  let policyCache: { key: string; policy: CompiledIpPolicy } | null = null;

  function ipPolicy(list: WebhookSettings['ipAllowList']) {
    if (!list.enabled) {
      return undefined;
    }
    const key = JSON.stringify(list);
    if (policyCache?.key !== key) {
      policyCache = {
        key,
        policy: compileIpPolicy({
          ...(list.cidrs.length > 0 ? { allow: list.cidrs } : {}),
          trustedProxies: list.trustedProxies,
        }),
      };
    }
    return policyCache.policy;
  }

  const freshnessWindow = {
    ...(options.freshness?.maxAgeMs !== undefined ? { maxAgeMs: options.freshness.maxAgeMs } : {}),
    ...(options.freshness?.maxSkewMs !== undefined ? { maxSkewMs: options.freshness.maxSkewMs } : {}),
  };
  // Until Zadarma has told us the account's timezone (`accountTimezone()`'s `confirmed`), the stored label is the
  // default UTC+0 and call_start may be off by any real offset (UTC−12 … UTC+14): judged that strictly, a Moscow
  // account's first notifications would look three hours ahead and be refused. The window then widens by those
  // offsets (a replay still ages out).
  const widenedWindow = {
    maxAgeMs: (options.freshness?.maxAgeMs ?? MAX_CALL_AGE_MS) + 12 * HOUR_MS,
    maxSkewMs: (options.freshness?.maxSkewMs ?? MAX_CLOCK_SKEW_MS) + 14 * HOUR_MS,
  };

  /**
   * Stores a refused POST as metadata (the fields readWebhook decoded, if any, a prefix, the size and a hash of
   * the body — never the body itself) and says why it was refused.
   */
  async function refuse(
    request: WebhookRequest,
    receivedAt: string,
    refusal: 'forbidden' | 'malformed',
    reason: string,
    message: string,
    stored: {
      readonly fields: Readonly<Record<string, unknown>> | undefined;
      readonly signatureValid: boolean;
    },
  ): Promise<WebhookOutcome> {
    if (request.method.toUpperCase() === 'POST') {
      await ports.inbox.append({
        receivedAt,
        remoteIp: request.remoteAddress ?? null,
        event: fieldOf(stored.fields, 'event') ?? '',
        pbxCallId: fieldOf(stored.fields, 'pbx_call_id'),
        body: refusedBodyPrefix(request.body),
        bodySize: request.body.length,
        bodySha256: createHash('sha256').update(request.body).digest('hex'),
        contentType: request.contentType ?? null,
        signatureValid: stored.signatureValid,
        status: 'rejected',
        error: `${reason}: ${message}`,
      });
    }
    return { kind: 'refused', refusal, reason, message };
  }

  async function handle(request: WebhookRequest): Promise<WebhookOutcome> {
    // The NOTIFY_START budget covers the whole reply: it started when the request arrived.
    const arrivedAt = request.arrivedAt ?? ports.clock.now();
    const receivedAt = iso(arrivedAt);
    const settings = await ports.settings.webhookSettings();
    let policy: CompiledIpPolicy | undefined;
    let policyError: string | null = null;
    try {
      policy = ipPolicy(settings.ipAllowList);
    } catch (error) {
      policyError = (error as Error).message;
    }
    const result = readWebhook({
      method: request.method,
      query: request.query,
      headers: request.headers,
      body: request.body,
      contentType: request.contentType,
      secret: settings.apiSecret ?? '',
      // During a planned rotation's grace period, Zadarma may still sign with the old secret.
      ...(settings.previousSecret ? { previousSecret: settings.previousSecret } : {}),
      remoteAddress: request.remoteAddress,
      ...(policy ? { ipPolicy: policy } : {}),
    });
    if (result.kind === 'echo') {
      return { kind: 'echo', token: result.bytes };
    }
    if (result.kind !== 'event' || policyError !== null) {
      if (policyError !== null) {
        return refuse(request, receivedAt, 'forbidden', 'ip_policy_invalid', policyError, {
          fields: undefined,
          signatureValid: false,
        });
      }
      if (result.kind === 'rejected') {
        return refuse(
          request,
          receivedAt,
          result.status === 403 ? 'forbidden' : 'malformed',
          result.reason,
          result.message,
          { fields: result.fields, signatureValid: false },
        );
      }
      return refuse(request, receivedAt, 'forbidden', 'unknown_event', 'unverifiable event refused', {
        fields: undefined,
        signatureValid: false,
      });
    }
    const event = result.event;
    if (result.secretUsed === 'previous') {
      ports.settings.notePreviousSecretUse();
    }
    // A signature covers no timestamp: the signed call_start must be recent (domain/call-freshness.ts), so a
    // captured notification cannot be replayed later.
    // Confirmed, not the label: a UTC+0 account Zadarma told has the default's label and the narrow window.
    const timezone = await ports.settings.accountTimezone();
    const freshness = ports.provider.freshness(
      event,
      timezone.label,
      ports.pbxClock.now(),
      timezone.confirmed ? freshnessWindow : widenedWindow,
    );
    if (!freshness.ok) {
      return refuse(request, receivedAt, 'forbidden', 'stale_event', freshness.reason, {
        fields: event as unknown as Readonly<Record<string, unknown>>,
        signatureValid: true,
      });
    }
    const pbxCallId =
      'pbx_call_id' in event && typeof event.pbx_call_id === 'string' ? event.pbx_call_id : null;
    const stored = ports.inbox.append({
      receivedAt,
      remoteIp: request.remoteAddress ?? null,
      event: event.event,
      pbxCallId,
      body: request.body.toString('utf8'),
      bodySize: request.body.length,
      contentType: request.contentType ?? null,
      signatureValid: true,
      status: 'received',
    });
    // The decision only reads: it runs while the entry is being stored (a commit, an fsync on PostgreSQL)
    // instead of after it, and the reply still waits for both — nothing is acknowledged before it is stored.
    // What the settings read and the verification left of the budget.
    const decisionBudgetMs = budgetMs - (ports.clock.now() - arrivedAt);
    const deciding =
      event.event === 'NOTIFY_START'
        ? decideStartReply(ports, { event, settings, budgetMs: decisionBudgetMs })
        : null;
    if (deciding) {
      lastRingingAt = arrivedAt;
    }
    const entry = await stored;
    let reply = '{}';
    let routing: CallRouting | undefined;
    // A refusal stored, then answered too late to stand: processing clears it again (`after`).
    let withdrawn = false;
    if (deciding) {
      // decideStartReply never rejects: any failure or the budget running out is the `{}` reply.
      let start = await deciding;
      const late = () => ports.clock.now() - arrivedAt > budgetMs;
      const refusal = late() ? null : refusalOf(start.decision);
      if (refusal !== null) {
        // Only a refusal waits for a second write (an ordinary call's reply does not): the decision must reach
        // processing even through a crash in between (migration 0030), and a refusal not stored is not given.
        try {
          await ports.inbox.noteRoutingRefusal(entry.id, refusal);
        } catch (error) {
          start = refusalNotStored(start, error);
        }
      }
      if (late()) {
        // Stored after the PBX stopped waiting: the answer is `{}`, whatever was decided meanwhile.
        withdrawn = refusal !== null && start.json !== '{}';
        start = pastBudget(start, decisionBudgetMs);
      }
      reply = start.json;
      routing = { decision: start.decision, caller: start.caller };
    }
    if (event.event === 'NOTIFY_ANSWER' && event.internal) {
      // The PBX's own word that this phone is registered: the routing chain need not wait for the next poll.
      ports.presence.noteAnswered(event.internal);
    }
    const job = { entryId: entry.id, event, receivedAt, routing };
    const after = async () => {
      if (withdrawn) {
        // Until this lands, a crash would replay a refusal the PBX never heard: as narrow as one commit.
        await ports.inbox
          .noteRoutingRefusal(entry.id, null)
          .catch((error: unknown) => options.onError?.(error, 'withdrawing a late routing refusal'));
      }
      await processor.submit(job);
    };
    return { kind: 'accepted', reply, after };
  }

  async function recover(
    before: string,
    recoverOptions: { leaseExpiredBefore?: string } = {},
  ): Promise<number> {
    const { claims } = ports;
    const leaseExpiredBefore = recoverOptions.leaseExpiredBefore ?? iso(ports.clock.now() - claims.leaseMs);
    // A claimer is live by its own heartbeat, whoever else looks at the same moment.
    await claims.beat(iso());
    let recovered = 0;
    for (;;) {
      // What is claimed is owned by this instance from now on: the next page cannot return it again.
      const page = await claims.claim({ leaseExpiredBefore, receivedBefore: before, limit: RECOVERY_PAGE });
      const jobs: Promise<void>[] = [];
      for (const entry of page) {
        const event = entry.signatureValid ? storedEventOf(entry) : null;
        if (event) {
          // The decision died with the crashed run; the refusal its reply gave was stored with the entry.
          const refused = (entry.routingRefusal ?? null) !== null;
          jobs.push(processor.submit({ entryId: entry.id, event, receivedAt: entry.receivedAt, refused }));
        } else {
          await ports.inbox.markFailed(
            entry.id,
            'recovery: the stored body no longer parses as a verified event',
            iso(),
          );
        }
      }
      await Promise.all(jobs);
      recovered += page.length;
      // Until nothing is left: a short page may only mean another instance won part of this one's candidates.
      if (page.length === 0) {
        return recovered;
      }
    }
  }

  return {
    handle,
    process: (entryId, event, receivedAt, refused) =>
      processor.submit({ entryId, event, receivedAt, refused }),
    idle: () => processor.idle(),
    busy: () => processor.busy(),
    recover,
  };
}
