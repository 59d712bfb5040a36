/**
 * Verified notifications and the stored inbox entries of the batch-processing tests, on the in-memory ports or
 * the real adapters (both dialects): one copy of the events, the failure on demand, and the Kysely set-up.
 */
import { randomBytes } from 'node:crypto';
import { type TWebhookEvent, webhookSignature } from '@switchboard/zadarma';
import { loadConfig } from '../../../platform/config/config.js';
import { createSecretBox } from '../../../platform/crypto/secret-box.js';
import type { EventBus } from '../../../platform/events/event-bus.js';
import { createInProcessEventBus } from '../../../platform/events/in-process-event-bus.js';
import type { TestDatabase } from '../../../test-support/test-database.js';
import {
  createTelephonyRuntime,
  type TelephonyRuntimeControl,
} from '../adapters/zadarma/telephony-runtime.js';
import type { CallProcessingPorts, InboxRepository } from '../ports.js';
import { createTelephonyAdapters } from '../telephony-module.js';
import type { WebhookRequest } from '../use-cases/receive-webhook.js';
import type { TelephonyAdapters } from '../webhook-ports.js';

/**
 * The request the HTTP adapter hands the ingest for a POST of `fields` as Zadarma sends it: form-encoded, signed
 * with `secret` (no `Signature` header when `secret` is null), from one of Zadarma's addresses.
 */
export function signedWebhookRequest(fields: Record<string, string>, secret: string | null): WebhookRequest {
  return {
    method: 'POST',
    query: '',
    headers: secret === null ? {} : { signature: webhookSignature(fields, secret) },
    body: Buffer.from(new URLSearchParams(fields).toString()),
    contentType: 'application/x-www-form-urlencoded',
    remoteAddress: '185.45.152.42',
  };
}

/** The account time every fixture call started at, unless told otherwise. */
const CALL_START = '2026-11-25 10:15:30';
const DID = '442037691999';

/**
 * Each call's own caller (a French mobile derived from its id), unless told otherwise. Why: two calls signing the
 * same caller and start would be one signature replayed, and the second would open no card (handle-call-ringing.ts).
 */
function callerOf(pbxCallId: string): string {
  let hash = 0;
  for (const char of pbxCallId) {
    hash = (hash * 31 + char.charCodeAt(0)) % 100_000_000;
  }
  return `336${hash.toString().padStart(8, '0')}`;
}

/** A NOTIFY_INTERNAL: the call rings `extension`. Its signed fields are caller_id, called_did and call_start. */
export function notifyInternal(
  pbxCallId: string,
  extension: string,
  signed: { readonly caller?: string; readonly start?: string } = {},
): TWebhookEvent {
  return {
    event: 'NOTIFY_INTERNAL',
    call_start: signed.start ?? CALL_START,
    pbx_call_id: pbxCallId,
    caller_id: signed.caller ?? callerOf(pbxCallId),
    called_did: DID,
    internal: extension,
  } as TWebhookEvent;
}

/** The end of an unanswered call rung at extension 101. */
export function unansweredEnd(pbxCallId: string, start = CALL_START): TWebhookEvent {
  return {
    event: 'NOTIFY_END',
    call_start: start,
    pbx_call_id: pbxCallId,
    caller_id: callerOf(pbxCallId),
    called_did: DID,
    internal: '101',
    duration: '0',
    status_code: '19',
    is_recorded: '0',
    calltype: 'normal',
    disposition: 'no answer',
  } as TWebhookEvent;
}

/** The extension whose lookup throws inside a unit of work (`failingOnExtension`). */
export const FAILING_EXTENSION = '666';

/** The ports of a unit of work, but the extension lookup of `FAILING_EXTENSION` throws: a failure on demand. */
export function failingOnExtension(ports: CallProcessingPorts): CallProcessingPorts {
  return {
    ...ports,
    directory: {
      ...ports.directory,
      userOf: async (extension) => {
        if (extension === FAILING_EXTENSION) {
          throw new Error('extension lookup failed on purpose');
        }
        return ports.directory.userOf(extension);
      },
    },
  };
}

/** Stores `event` in `inbox` as a verified webhook and returns the batch processor's job for it. */
export async function storedJob(
  inbox: Pick<InboxRepository, 'append'>,
  event: TWebhookEvent,
  receivedAt = new Date().toISOString(),
) {
  const entry = await inbox.append({
    receivedAt,
    remoteIp: '127.0.0.1',
    event: event.event,
    pbxCallId: (event as { pbx_call_id: string }).pbx_call_id,
    body: '',
    contentType: null,
    signatureValid: true,
    status: 'received',
  });
  return { entryId: entry.id, event, receivedAt: entry.receivedAt };
}

/** The real adapters over a test database, with a runtime that has credentials but no reachable Zadarma. */
export interface TelephonyTestAdapters {
  readonly runtime: TelephonyRuntimeControl;
  readonly bus: EventBus;
  readonly adapters: TelephonyAdapters;
  /** A second runtime on the same database: what a restart (a new instance) would build. */
  restartedRuntime(): TelephonyRuntimeControl;
  close(): Promise<void>;
}

/** Builds them; the timezone lookup fails fast (nothing listens on port 9) and processing falls back to UTC+0. */
export async function openTelephonyTestAdapters(database: TestDatabase): Promise<TelephonyTestAdapters> {
  const runtimeOptions = {
    db: database.db,
    box: createSecretBox(randomBytes(32)),
    config: loadConfig({ LOG_LEVEL: 'silent' }),
    clientOptions: { retry: false as const, timeoutMs: 200 },
  };
  const runtimes = [createTelephonyRuntime(runtimeOptions)];
  const runtime = runtimes[0] as TelephonyRuntimeControl;
  await runtime.update({ apiKey: 'k', apiSecret: 's', apiBaseUrl: 'http://127.0.0.1:9' });
  const bus = createInProcessEventBus({ db: database.db, sqlite: database.sqlite });
  return {
    runtime,
    bus,
    adapters: createTelephonyAdapters({ database, runtime, bus }),
    restartedRuntime() {
      const restarted = createTelephonyRuntime(runtimeOptions);
      runtimes.push(restarted);
      return restarted;
    },
    async close() {
      await bus.close();
      for (const r of runtimes) {
        await r.close();
      }
    },
  };
}
