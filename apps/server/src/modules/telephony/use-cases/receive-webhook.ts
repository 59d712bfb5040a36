/**
 * Ingest of one request to `/zadarma` (docs/zadarma-protocol.md §5.8): echo first; then IP, body and signature through the
 * SDK's `readWebhook`; every POST stored in the inbox before the answer (refused ones as `rejected` with the
 * reason, for admins); the NOTIFY_START reply decided within its budget; the rest of the work after the answer,
 * in arrival order and in batches (process-webhook-batch.ts).
 */
import { createHash } from 'node:crypto';
import {
  type CompiledIpPolicy,
  compileIpPolicy,
  echoResponse,
  parseWebhookBody,
  parseWebhookEvent,
  readWebhook,
  type TWebhookEvent,
  type WebhookHeaders,
} from '@switchboard/zadarma';
import { claimStrandedInboxEntries } from '../adapters/kysely-inbox-repository.js';
import { beatServerInstance, INSTANCE_LEASE_MS } from '../adapters/server-instances.js';
import { webhookFreshness } from '../adapters/zadarma/zadarma-call-event.js';
import { MAX_CALL_AGE_MS, MAX_CLOCK_SKEW_MS } from '../domain/call-freshness.js';
import type { RoutingDecision } from '../domain/routing-policy.js';
import type { InboxEntry } from '../ports.js';
import type { TelephonyServices } from '../telephony-services.js';
import { DEFAULT_START_BUDGET_MS, decideStartReply } from './decide-call-routing.js';
import { createBatchProcessor } from './process-webhook-batch.js';

export interface WebhookRequest {
  readonly method: string;
  /** The raw query string, without `?`. */
  readonly query: string;
  readonly headers: WebhookHeaders;
  readonly body: Buffer;
  readonly contentType: string | undefined;
  /** The TCP peer (never X-Forwarded-For: the SDK's IP policy decides whom to believe). */
  readonly remoteAddress: string | undefined;
}

interface WebhookAnswer {
  readonly status: number;
  readonly contentType: string;
  /** Text, or the exact bytes of a `zd_echo` token (echoed byte for byte, UTF-8 or not). */
  readonly body: string | Buffer;
  /** Work to run once the answer is sent (processing of the stored event). */
  readonly after?: () => Promise<void>;
  /** For the log: why a request was refused. */
  readonly rejected?: { reason: string; message: string };
}

export interface Ingest {
  handle(request: WebhookRequest): Promise<WebhookAnswer>;
  /** Reprocesses a stored, verified event (admin replay). */
  process(
    entryId: string,
    event: TWebhookEvent,
    receivedAt: string,
    decision?: RoutingDecision,
  ): Promise<void>;
  /** Resolves when every queued processing has finished (tests, shutdown). */
  idle(): Promise<void>;
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

export interface IngestOptions {
  readonly startBudgetMs?: number;
  /**
   * The freshness window of a signed `call_start` (defaults: domain/call-freshness.ts) and the clock it is
   * judged by (default: the simulator's in demo mode, else the system's).
   */
  readonly freshness?: {
    readonly maxAgeMs?: number;
    readonly maxSkewMs?: number;
    readonly now?: () => number;
  };
  /** Most notifications processed per transaction (process-webhook-batch.ts). */
  readonly maxBatch?: number;
  readonly onError?: (error: unknown, context: string) => void;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const HOUR_MS = 3_600_000;
/** The stored timezone label before Zadarma's /v1/info/timezone/ has answered (migration 0003's default). */
const UNCONFIRMED_TIMEZONE = 'UTC+0';
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

/** Creates the ingest of one app. Why: the route stays a thin adapter; tests and the bench drive this. */
export function createIngest(services: TelephonyServices, options: IngestOptions = {}): Ingest {
  const budgetMs = options.startBudgetMs ?? DEFAULT_START_BUDGET_MS;
  const processor = createBatchProcessor(services, {
    ...(options.onError ? { onError: options.onError } : {}),
    ...(options.maxBatch ? { maxBatch: options.maxBatch } : {}),
  });
  let policyCache: { key: string; policy: CompiledIpPolicy } | null = null;

  function ipPolicy(list: { enabled: boolean; cidrs: readonly string[]; trustedProxies: readonly string[] }) {
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
  // Until Zadarma has told us the account's timezone, the stored label is the default UTC+0 and call_start may be
  // off by any real offset (UTC−12 … UTC+14): judged that strictly, a Moscow account's first notifications would
  // look three hours ahead and be refused. The window then widens by those offsets (a replay still ages out).
  const widenedWindow = {
    maxAgeMs: (options.freshness?.maxAgeMs ?? MAX_CALL_AGE_MS) + 12 * HOUR_MS,
    maxSkewMs: (options.freshness?.maxSkewMs ?? MAX_CLOCK_SKEW_MS) + 14 * HOUR_MS,
  };
  // The PBX's clock: the simulator's virtual one in demo mode (it may run faster than real time).
  const freshnessNow =
    options.freshness?.now ??
    (() => (services.runtime.simulator ? services.runtime.simulator.now() : Date.now()));

  /**
   * Stores a refused POST as metadata (the fields readWebhook decoded, if any, a prefix, the size and a hash of
   * the body — never the body itself) and answers the refusal.
   */
  async function refuse(
    request: WebhookRequest,
    receivedAt: string,
    status: number,
    reason: string,
    message: string,
    stored: {
      readonly fields: Readonly<Record<string, unknown>> | undefined;
      readonly signatureValid: boolean;
    },
  ): Promise<WebhookAnswer> {
    if (request.method.toUpperCase() === 'POST') {
      await services.inbox.append({
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
    return {
      status,
      contentType: JSON_TYPE,
      body: JSON.stringify({
        error: { code: status === 403 ? 'SB_ERR_FORBIDDEN' : 'SB_ERR_BAD_REQUEST', message: reason },
      }),
      rejected: { reason, message },
    };
  }

  async function handle(request: WebhookRequest): Promise<WebhookAnswer> {
    const receivedAt = new Date().toISOString();
    const settings = await services.runtime.settings();
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
      const echo = echoResponse(result.bytes);
      return { status: echo.status, contentType: echo.headers['content-type'] as string, body: echo.body };
    }
    if (result.kind !== 'event' || policyError !== null) {
      const status = policyError !== null ? 403 : result.kind === 'rejected' ? result.status : 403;
      const reason =
        policyError !== null
          ? 'ip_policy_invalid'
          : result.kind === 'rejected'
            ? result.reason
            : 'unknown_event';
      const message =
        policyError ?? (result.kind === 'rejected' ? result.message : 'unverifiable event refused');
      return refuse(request, receivedAt, status, reason, message, {
        fields: result.kind === 'rejected' ? result.fields : undefined,
        signatureValid: false,
      });
    }
    const event = result.event;
    if (result.secretUsed === 'previous') {
      services.runtime.notePreviousSecretUse();
    }
    // A signature covers no timestamp: the signed call_start must be recent (domain/call-freshness.ts), so a
    // captured notification cannot be replayed later.
    const timezone = await services.timezone();
    const freshness = webhookFreshness(
      event,
      timezone,
      freshnessNow(),
      timezone === UNCONFIRMED_TIMEZONE ? widenedWindow : freshnessWindow,
    );
    if (!freshness.ok) {
      return refuse(request, receivedAt, 403, 'stale_event', freshness.reason, {
        fields: event as unknown as Readonly<Record<string, unknown>>,
        signatureValid: true,
      });
    }
    const pbxCallId =
      'pbx_call_id' in event && typeof event.pbx_call_id === 'string' ? event.pbx_call_id : null;
    const entry = await services.inbox.append({
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
    let json = '{}';
    let decision: RoutingDecision | undefined;
    if (event.event === 'NOTIFY_START') {
      const start = await decideStartReply(services, event, budgetMs);
      json = start.json;
      decision = start.decision;
    }
    return {
      status: 200,
      contentType: JSON_TYPE,
      body: json,
      after: () => processor.submit({ entryId: entry.id, event, receivedAt, decision }),
    };
  }

  async function recover(
    before: string,
    recoverOptions: { leaseExpiredBefore?: string } = {},
  ): Promise<number> {
    const instanceId = services.runtime.instanceId;
    const leaseExpiredBefore =
      recoverOptions.leaseExpiredBefore ?? new Date(Date.now() - INSTANCE_LEASE_MS).toISOString();
    // A claimer is live by its own heartbeat, whoever else looks at the same moment.
    await beatServerInstance(services.db, instanceId, new Date().toISOString());
    let recovered = 0;
    for (;;) {
      // What is claimed is owned by this instance from now on: the next page cannot return it again.
      const page = await claimStrandedInboxEntries(services.db, {
        instanceId,
        leaseExpiredBefore,
        receivedBefore: before,
        limit: RECOVERY_PAGE,
      });
      const jobs: Promise<void>[] = [];
      for (const entry of page) {
        const event = entry.signatureValid ? storedEventOf(entry) : null;
        if (event) {
          jobs.push(processor.submit({ entryId: entry.id, event, receivedAt: entry.receivedAt }));
        } else {
          await services.inbox.markFailed(
            entry.id,
            'recovery: the stored body no longer parses as a verified event',
            new Date().toISOString(),
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
    process: (entryId, event, receivedAt, decision) =>
      processor.submit({ entryId, event, receivedAt, decision }),
    idle: () => processor.idle(),
    recover,
  };
}
