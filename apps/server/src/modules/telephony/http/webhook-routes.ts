/**
 * `GET|POST /zadarma`: Zadarma's notification endpoint, outside `/api` (no session, CSRF-exempt: requests are
 * authenticated by their own `Signature`, docs/zadarma-protocol.md §5.4). Bodies are read raw, as bytes, whatever their
 * content type, because the signature is over the decoded form fields exactly as Zadarma sent them.
 * Never answers 5xx: Zadarma may stop sending the rest of a call's events after an error (§7).
 * Two adapters over one `answerWebhook`: a raw node:http route (the served path, http/raw-routes.ts) and the
 * Fastify route (`app.inject()` in tests, and anything the raw route declines).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { echoResponse } from '@switchboard/zadarma';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { ErrorCode } from '../../../platform/errors/errors.js';
import type { RawHandler } from '../../../platform/http/raw-routes.js';
import { InboxNotStoredError } from '../ports.js';
import type { Ingest, WebhookOutcome, WebhookRequest } from '../use-cases/receive-webhook.js';
import { createRefusalBudget, type RefusalBudget, SMALL_BODY_BYTES } from './refusal-budget.js';
import { createRefusalLog, type RefusalLog } from './refusal-log.js';

export interface WebhookRoutesOptions {
  readonly ingest: Ingest;
}

export const WEBHOOK_PATH = '/zadarma';
/**
 * Zadarma's call notifications are a few hundred bytes; the largest body it sends is a transcript
 * (SPEECH_RECOGNITION, tens of KB for an hour's call). 256 KiB leaves room for that and bounds what one hostile
 * request costs to read, hash and parse (about a millisecond, `npm run bench`).
 */
export const WEBHOOK_BODY_LIMIT = 256 * 1024;
/**
 * The whole body must arrive within this after the headers (the raw server's own limit, 60 s, is sized for
 * CSV uploads). Zadarma's body travels in the same packet as its headers; a body still trickling in after
 * 10 s is a slow-loris holding a connection.
 */
const WEBHOOK_BODY_TIMEOUT_MS = 10_000;

const JSON_TYPE = 'application/json; charset=utf-8';

interface Answer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string | Buffer;
  readonly after?: () => Promise<void>;
}

const TRANSPORT_CODES: Readonly<Record<number, ErrorCode>> = {
  408: 'SB_ERR_REQUEST_TIMEOUT',
  413: 'SB_ERR_PAYLOAD_TOO_LARGE',
  429: 'SB_ERR_RATE_LIMITED',
};

function refusal(status: number, message: string): Answer {
  const code: ErrorCode = TRANSPORT_CODES[status] ?? 'SB_ERR_BAD_REQUEST';
  return {
    status,
    contentType: JSON_TYPE,
    body: JSON.stringify({ error: { code, message } }),
  };
}

// One log budget per ingest, shared by its raw and Fastify adapters (telephony-module.ts builds both over one ingest).
const refusalLogs = new WeakMap<Ingest, RefusalLog>();

/** The rate-limited refusal log of an ingest's `/zadarma` adapters. */
function refusalLogOf(ingest: Ingest): RefusalLog {
  let refused = refusalLogs.get(ingest);
  if (!refused) {
    refused = createRefusalLog();
    refusalLogs.set(ingest, refused);
  }
  return refused;
}

// One refusal budget per ingest, kept by the raw adapter (the served path; the Fastify route serves inject()).
const refusalBudgets = new WeakMap<Ingest, RefusalBudget>();

function refusalBudgetOf(ingest: Ingest): RefusalBudget {
  let budget = refusalBudgets.get(ingest);
  if (!budget) {
    budget = createRefusalBudget();
    refusalBudgets.set(ingest, budget);
  }
  return budget;
}

/** The HTTP answer of the use case's outcome. Why: the use case knows no status codes or content types. */
function answerOf(outcome: WebhookOutcome): Answer {
  switch (outcome.kind) {
    case 'echo': {
      const echo = echoResponse(outcome.token);
      return { status: echo.status, contentType: echo.headers['content-type'] as string, body: echo.body };
    }
    case 'refused': {
      const forbidden = outcome.refusal === 'forbidden';
      return {
        status: forbidden ? 403 : 400,
        contentType: JSON_TYPE,
        body: JSON.stringify({
          error: { code: forbidden ? 'SB_ERR_FORBIDDEN' : 'SB_ERR_BAD_REQUEST', message: outcome.reason },
        }),
      };
    }
    case 'accepted':
      return { status: 200, contentType: JSON_TYPE, body: outcome.reply, after: outcome.after };
  }
}

/** The ingest's answer, its refusal logged (rate-limited); an internal error becomes `{}` (never a 5xx). */
async function answerWebhook(
  ingest: Ingest,
  request: WebhookRequest,
  log: FastifyBaseLogger,
): Promise<Answer> {
  try {
    const outcome = await ingest.handle(request);
    const answer = answerOf(outcome);
    if (outcome.kind === 'refused') {
      refusalLogOf(ingest)(
        log,
        { reason: outcome.reason, remoteAddress: request.remoteAddress },
        `zadarma webhook refused (${answer.status}): ${outcome.message}`,
      );
    }
    return answer;
  } catch (error) {
    if (error instanceof InboxNotStoredError) {
      // Stored nowhere, so not acknowledged: a 200 would tell the PBX an event it will not resend arrived.
      log.error({ err: error }, 'zadarma webhook could not be stored; answered 503');
      return {
        status: 503,
        contentType: JSON_TYPE,
        body: JSON.stringify({
          error: { code: 'SB_ERR_UNAVAILABLE', message: 'the notification could not be stored' },
        }),
      };
    }
    // After verification nothing may become a 5xx: `{}` leaves the PBX scenario in charge (§6).
    log.error({ err: error }, 'zadarma webhook failed internally; answered {}');
    return { status: 200, contentType: JSON_TYPE, body: '{}' };
  }
}

/**
 * Runs `after` (the stored event's processing) once the answer has left — or once the connection is gone
 * without it, before or after this is called (the PBX gave up waiting): the event is stored, so it is processed
 * either way, exactly once.
 */
export function runAfterAnswer(
  response: ServerResponse,
  after: (() => Promise<void>) | undefined,
  log: FastifyBaseLogger,
): void {
  if (!after) {
    return;
  }
  let started = false;
  const run = () => {
    if (started) {
      return;
    }
    started = true;
    after().catch((error: unknown) => log.error({ err: error }, 'webhook processing failed'));
  };
  if (response.socket === null || response.socket.destroyed) {
    run();
    return;
  }
  response.once('finish', run);
  response.once('close', run);
}

function queryOf(url: string | undefined): string {
  const q = url?.indexOf('?') ?? -1;
  return q >= 0 ? (url as string).slice(q + 1) : '';
}

function toWebhookRequest(raw: IncomingMessage, body: Buffer, arrivedAt: number): WebhookRequest {
  return {
    method: raw.method ?? 'GET',
    query: queryOf(raw.url),
    headers: raw.headers,
    body,
    contentType: raw.headers['content-type'],
    remoteAddress: raw.socket.remoteAddress,
    arrivedAt,
  };
}

/** Options of the raw adapter (tests pass a short body deadline). */
export interface RawWebhookOptions {
  readonly bodyTimeoutMs?: number;
}

/**
 * `/zadarma` served from node:http: GET and POST only (the rest goes on to Fastify), a body over
 * `WEBHOOK_BODY_LIMIT` refused with 413 before it is read when its Content-Length says so, and as soon as the
 * streamed count passes it otherwise, a body not complete within `bodyTimeoutMs` refused with 408 and the
 * connection closed; then the same answer as the Fastify route.
 */
export function rawWebhookHandler(
  ingest: Ingest,
  log: FastifyBaseLogger,
  options: RawWebhookOptions = {},
): RawHandler {
  const bodyTimeoutMs = options.bodyTimeoutMs ?? WEBHOOK_BODY_TIMEOUT_MS;
  const refused = refusalLogOf(ingest);
  const budget = refusalBudgetOf(ingest);
  const send = (response: ServerResponse, answer: Answer) => {
    response.writeHead(answer.status, {
      'content-type': answer.contentType,
      'content-length': Buffer.byteLength(answer.body),
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    });
    runAfterAnswer(response, answer.after, log);
    response.end(answer.body);
  };
  /** Answers a refusal of the transport (size, time) and closes the connection once the answer is out. */
  const refuseTransport = (
    request: IncomingMessage,
    response: ServerResponse,
    status: 408 | 413 | 429,
    why: string,
  ) => {
    if (status !== 429) {
      budget.charge(request.socket.remoteAddress ?? '');
    }
    refused(
      log,
      { remoteAddress: request.socket.remoteAddress },
      `zadarma webhook refused (${status}): ${why}`,
    );
    response.shouldKeepAlive = false;
    send(response, refusal(status, why));
  };
  return (request, response) => {
    if (request.method !== 'POST' && request.method !== 'GET') {
      return false;
    }
    // The NOTIFY_START budget counts from here: reading the body is part of the reply's time.
    const arrivedAt = Date.now();
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared) && declared > WEBHOOK_BODY_LIMIT) {
      // Refused from the header alone: not one byte of the body is read or buffered.
      refuseTransport(request, response, 413, `body larger than ${WEBHOOK_BODY_LIMIT} bytes`);
      request.resume();
      return true;
    }
    const source = request.socket.remoteAddress ?? '';
    if (request.method === 'POST' && !budget.mayRead(source, declared)) {
      // This source's refusals spent its budget: a large body is refused unread (refusal-budget.ts).
      refuseTransport(
        request,
        response,
        429,
        `too many refused requests from ${source}: bodies over ${SMALL_BODY_BYTES} bytes are refused for a few seconds`,
      );
      // Drained unparsed (cheap: no copy, no decoding): closing with unread data would reset the connection
      // before the client reads the 429. The connection closes once the answer is out.
      request.resume();
      return true;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    // Node closes the connection once a refusal (keep-alive off) is written, read or not the rest of the body.
    const deadline = setTimeout(() => {
      if (!done) {
        done = true;
        refuseTransport(request, response, 408, `body not received within ${bodyTimeoutMs} ms`);
      }
    }, bodyTimeoutMs);
    deadline.unref();
    response.once('close', () => clearTimeout(deadline));
    request.on('data', (chunk: Buffer) => {
      if (done) {
        return;
      }
      size += chunk.length;
      if (size > WEBHOOK_BODY_LIMIT) {
        done = true;
        chunks.length = 0;
        refuseTransport(request, response, 413, `body larger than ${WEBHOOK_BODY_LIMIT} bytes`);
        request.resume();
        return;
      }
      chunks.push(chunk);
    });
    request.on('error', (error) => {
      log.warn({ err: error }, 'zadarma webhook: request stream failed');
    });
    request.on('end', () => {
      clearTimeout(deadline);
      if (done) {
        return;
      }
      done = true;
      const body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size);
      void answerWebhook(ingest, toWebhookRequest(request, body, arrivedAt), log).then((answer) => {
        if (answer.status >= 400 && answer.status < 500) {
          budget.charge(source);
        }
        send(response, answer);
      });
    });
    return true;
  };
}

/** Registers `/zadarma` in its own encapsulated context (its raw-body parsers stay local). */
export async function webhookRoutes(app: FastifyInstance, options: WebhookRoutesOptions): Promise<void> {
  const { ingest } = options;
  const arrivals = new WeakMap<IncomingMessage, number>();
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    '*',
    { parseAs: 'buffer', bodyLimit: WEBHOOK_BODY_LIMIT },
    (_request, body, done) => {
      done(null, body);
    },
  );
  app.setErrorHandler((raw, request, reply) => {
    const error = raw instanceof Error ? raw : new Error(String(raw));
    const status = (error as { statusCode?: number }).statusCode;
    const clientError = typeof status === 'number' && status >= 400 && status < 500 ? status : 400;
    refusalLogOf(ingest)(request.log, { err: error }, `zadarma webhook refused: ${error.message}`);
    const answer = refusal(clientError, error.message);
    return reply.code(answer.status).type(answer.contentType).send(answer.body);
  });
  app.route({
    method: ['GET', 'POST'],
    url: WEBHOOK_PATH,
    schema: { hide: true },
    onRequest: async (request) => {
      // The NOTIFY_START budget counts from the request's arrival, before its body is read.
      arrivals.set(request.raw, Date.now());
    },
    handler: async (request, reply) => {
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const arrivedAt = arrivals.get(request.raw) ?? Date.now();
      const answer = await answerWebhook(ingest, toWebhookRequest(request.raw, body, arrivedAt), request.log);
      runAfterAnswer(reply.raw, answer.after, request.log);
      return reply.code(answer.status).type(answer.contentType).send(answer.body);
    },
  });
}
