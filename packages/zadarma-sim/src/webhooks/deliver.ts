/**
 * Delivers one call's notifications: signed (docs/zadarma-protocol.md §5.4), encoded (§5.3), posted one after another
 * so a receiver sees them in the order the PBX produced them, without ever blocking the call engine — only
 * the replies to NOTIFY_START / NOTIFY_IVR are awaited, and never longer than the reply deadline (§6.3).
 */
import { performance } from 'node:perf_hooks';
import { webhookSignature } from '@switchboard/zadarma';
import { sendHttp } from '../http/client.js';
import {
  encodeMultipart,
  encodeUrlEncoded,
  type FieldList,
  fieldsObject,
  type WebhookFormat,
} from './encode.js';

/** One notification as the trace shows it. */
export interface DeliveryRecord {
  event: string;
  url: string | null;
  format: WebhookFormat;
  fields: Record<string, string>;
  /** The `Signature` header sent. */
  signature: string;
  /** Virtual time the notification was sent, in the account's timezone. */
  sentAt: string;
  httpStatus: number | null;
  replyBody: string | null;
  /** Real milliseconds until the reply (or the failure). */
  latencyMs: number | null;
  error: string | null;
  /** A repeat sent because `duplicateEvents` is on. */
  duplicate: boolean;
  /** Why it was not sent, or what the PBX made of a steering reply. */
  note: string | null;
}

export interface DeliveryConfig {
  readonly secret: string;
  readonly format: WebhookFormat;
  readonly multipartQuirk: boolean;
  readonly duplicateEvents: boolean;
  readonly deliveryTimeoutMs: number;
}

export interface Outgoing {
  readonly fields: FieldList;
  /** Target URL, or `null` when nothing may be sent. */
  readonly url: string | null;
  /** Why it is not sent (no URL, notification switched off); recorded in the trace. */
  readonly skipReason?: string;
  readonly sentAt: string;
}

interface SteeringReply {
  readonly record: DeliveryRecord;
  /** The reply body when it came in time with HTTP 200; `null` otherwise (and `record.note` says why). */
  readonly body: string | null;
}

export interface DeliveryQueue {
  /** Queues a notification; resolves with its record once delivered (or failed). */
  send(outgoing: Outgoing): Promise<DeliveryRecord>;
  /** Queues NOTIFY_START / NOTIFY_IVR and resolves with the reply, at the latest after `deadlineMs`. */
  sendSteering(outgoing: Outgoing, deadlineMs: number): Promise<SteeringReply>;
  /** Resolves once every queued delivery has settled. */
  idle(): Promise<void>;
}

/**
 * Creates the delivery queue of one call. Why: in-order delivery by default gives tests an exact
 * sequence to assert, while `shuffleEvents` (in the engine) and `duplicateEvents` exercise receivers.
 */
export function createDeliveryQueue(
  config: DeliveryConfig,
  onRecord: (record: DeliveryRecord) => void,
): DeliveryQueue {
  let chain: Promise<unknown> = Promise.resolve();
  const inFlight = new Set<Promise<unknown>>();

  function track<T>(p: Promise<T>): Promise<T> {
    inFlight.add(p);
    p.finally(() => inFlight.delete(p)).catch(() => undefined);
    return p;
  }

  function newRecord(outgoing: Outgoing, duplicate: boolean): DeliveryRecord {
    const fields = fieldsObject(outgoing.fields);
    const record: DeliveryRecord = {
      event: fields.event ?? '',
      url: outgoing.url,
      format: config.format,
      fields,
      signature: webhookSignature(fields, config.secret),
      sentAt: outgoing.sentAt,
      httpStatus: null,
      replyBody: null,
      latencyMs: null,
      error: null,
      duplicate,
      note: outgoing.url === null ? (outgoing.skipReason ?? 'not sent') : null,
    };
    onRecord(record);
    return record;
  }

  function post(outgoing: Outgoing, record: DeliveryRecord): Promise<DeliveryRecord> {
    if (outgoing.url === null) {
      return Promise.resolve(record);
    }
    const encoded =
      config.format === 'multipart'
        ? encodeMultipart(outgoing.fields, config.multipartQuirk)
        : encodeUrlEncoded(outgoing.fields);
    const started = performance.now();
    return track(
      sendHttp({
        method: 'POST',
        url: outgoing.url,
        headers: {
          'Content-Type': encoded.contentType,
          Signature: record.signature,
          'User-Agent': 'zadarma-sim',
        },
        body: encoded.body,
        timeoutMs: config.deliveryTimeoutMs,
      }).then(
        (res) => {
          record.httpStatus = res.status;
          record.replyBody = res.body;
          record.latencyMs = Math.round((performance.now() - started) * 10) / 10;
          return record;
        },
        (error: Error) => {
          record.error = error.message;
          record.latencyMs = Math.round((performance.now() - started) * 10) / 10;
          return record;
        },
      ),
    );
  }

  function enqueue<T>(step: () => Promise<T>): Promise<T> {
    const result = chain.then(step);
    chain = result.catch(() => undefined);
    return track(result);
  }

  function repeat(outgoing: Outgoing): void {
    if (config.duplicateEvents && outgoing.url !== null) {
      void enqueue(() => post(outgoing, newRecord(outgoing, true)));
    }
  }

  return {
    send(outgoing) {
      const result = enqueue(() => post(outgoing, newRecord(outgoing, false)));
      repeat(outgoing);
      return result;
    },
    sendSteering(outgoing, deadlineMs) {
      const result = enqueue(
        () =>
          new Promise<SteeringReply>((resolve) => {
            const record = newRecord(outgoing, false);
            if (outgoing.url === null) {
              resolve({ record, body: null });
              return;
            }
            let decided = false;
            const timer = setTimeout(() => {
              decided = true;
              record.note = `no reply within the ${deadlineMs} ms deadline: ignored, the PBX scenario runs`;
              resolve({ record, body: null });
            }, deadlineMs);
            void post(outgoing, record).then(() => {
              if (decided) {
                if (record.httpStatus !== null) {
                  record.note = `reply came after the ${deadlineMs} ms deadline (${record.latencyMs} ms): ignored, the PBX scenario ran`;
                }
                return;
              }
              decided = true;
              clearTimeout(timer);
              if (record.error !== null) {
                record.note = `delivery failed (${record.error}): ignored, the PBX scenario runs`;
                resolve({ record, body: null });
              } else if (record.httpStatus !== 200) {
                record.note = `reply HTTP ${record.httpStatus}: ignored, the PBX scenario runs`;
                resolve({ record, body: null });
              } else {
                resolve({ record, body: record.replyBody });
              }
            });
          }),
      );
      repeat(outgoing);
      return result;
    },
    async idle() {
      while (inFlight.size > 0) {
        await Promise.allSettled([...inFlight]);
      }
    },
  };
}
