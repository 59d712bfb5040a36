/**
 * `GET|POST /zadarma`: Zadarma's notification endpoint, outside `/api` (no session, CSRF-exempt: requests are
 * authenticated by their own `Signature`, PROTOCOL.md §5.4). Bodies are read raw, as bytes, whatever their
 * content type, because the signature is over the decoded form fields exactly as Zadarma sent them.
 * Never answers 5xx: Zadarma may stop sending the rest of a call's events after an error (§7).
 * Two adapters over one `answerWebhook`: a raw node:http route (the served path, http/raw-routes.ts) and the
 * Fastify route (`app.inject()` in tests, and anything the raw route declines).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { RawHandler } from '../../../http/raw-routes.js';
import type { Ingest, WebhookRequest } from './ingest-webhook.js';

export interface WebhookRoutesOptions {
  readonly ingest: Ingest;
}

export const WEBHOOK_PATH = '/zadarma';
/** Zadarma's notifications are a few hundred bytes; anything near this is not one of them. */
export const WEBHOOK_BODY_LIMIT = 1024 * 1024;

const JSON_TYPE = 'application/json; charset=utf-8';

interface Answer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
  readonly after?: () => Promise<void>;
}

function badRequest(status: number, message: string): Answer {
  return {
    status,
    contentType: JSON_TYPE,
    body: JSON.stringify({ error: { code: 'SB_ERR_BAD_REQUEST', message } }),
  };
}

/** The ingest's answer, its refusal logged; an internal error becomes `{}` (never a 5xx). */
async function answerWebhook(
  ingest: Ingest,
  request: WebhookRequest,
  log: FastifyBaseLogger,
): Promise<Answer> {
  try {
    const answer = await ingest.handle(request);
    if (answer.rejected) {
      log.warn(
        { reason: answer.rejected.reason, remoteAddress: request.remoteAddress },
        `zadarma webhook refused (${answer.status}): ${answer.rejected.message}`,
      );
    }
    return answer;
  } catch (error) {
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

function toWebhookRequest(raw: IncomingMessage, body: Buffer): WebhookRequest {
  return {
    method: raw.method ?? 'GET',
    query: queryOf(raw.url),
    headers: raw.headers,
    body,
    contentType: raw.headers['content-type'],
    remoteAddress: raw.socket.remoteAddress,
  };
}

/**
 * `/zadarma` served from node:http: GET and POST only (the rest goes on to Fastify), the body read up to
 * `WEBHOOK_BODY_LIMIT` (413 beyond), then the same answer as the Fastify route.
 */
export function rawWebhookHandler(ingest: Ingest, log: FastifyBaseLogger): RawHandler {
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
  return (request, response) => {
    if (request.method !== 'POST' && request.method !== 'GET') {
      return false;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    request.on('data', (chunk: Buffer) => {
      if (refused) {
        return;
      }
      size += chunk.length;
      if (size > WEBHOOK_BODY_LIMIT) {
        refused = true;
        log.warn(
          { remoteAddress: request.socket.remoteAddress },
          'zadarma webhook refused (413): body too large',
        );
        response.shouldKeepAlive = false;
        send(response, badRequest(413, `body larger than ${WEBHOOK_BODY_LIMIT} bytes`));
        request.resume();
        return;
      }
      chunks.push(chunk);
    });
    request.on('error', (error) => {
      log.warn({ err: error }, 'zadarma webhook: request stream failed');
    });
    request.on('end', () => {
      if (refused) {
        return;
      }
      const body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size);
      void answerWebhook(ingest, toWebhookRequest(request, body), log).then((answer) =>
        send(response, answer),
      );
    });
    return true;
  };
}

/** Registers `/zadarma` in its own encapsulated context (its raw-body parsers stay local). */
export async function webhookRoutes(app: FastifyInstance, options: WebhookRoutesOptions): Promise<void> {
  const { ingest } = options;
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
    request.log.warn({ err: error }, `zadarma webhook refused: ${error.message}`);
    const answer = badRequest(clientError, error.message);
    return reply.code(answer.status).type(answer.contentType).send(answer.body);
  });
  app.route({
    method: ['GET', 'POST'],
    url: WEBHOOK_PATH,
    schema: { hide: true },
    handler: async (request, reply) => {
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const answer = await answerWebhook(ingest, toWebhookRequest(request.raw, body), request.log);
      runAfterAnswer(reply.raw, answer.after, request.log);
      return reply.code(answer.status).type(answer.contentType).send(answer.body);
    },
  });
}
