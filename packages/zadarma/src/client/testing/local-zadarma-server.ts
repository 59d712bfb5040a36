/**
 * A real `node:http` server on 127.0.0.1 that checks the client's `Authorization` exactly as Zadarma does
 * (docs/zadarma-protocol.md §2.5): it re-decodes the received query/body with `decodeUrlEncoded`, re-sorts and re-encodes
 * it, and compares signatures. Tests script the answers; a bad signature gets Zadarma's 401.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeUrlEncoded, phpArrayToObject } from '../../form-decode.js';
import { parseAuthorizationHeader, verifyRequestSignature } from '../../signing.js';

/** What the server received, after its own decoding. */
export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  /** Raw query string (without `?`). */
  readonly query: string;
  readonly body: string;
  readonly contentType: string | undefined;
  /** Decoded parameters of the query (GET) or the body (other verbs). */
  readonly params: Record<string, unknown>;
  readonly headers: IncomingHttpHeaders;
}

interface ScriptedAnswer {
  readonly status?: number;
  /** An object is sent as JSON; a string as is. */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** Wait this long before answering (real time). */
  readonly delayMs?: number;
}

export type Responder = (request: ReceivedRequest) => ScriptedAnswer | Promise<ScriptedAnswer>;

export interface LocalZadarmaServer {
  readonly url: string;
  /** Every request that passed the signature check, in arrival order. */
  readonly received: ReceivedRequest[];
  /** Requests refused with 401. */
  readonly rejected: ReceivedRequest[];
  respond(responder: Responder): void;
  close(): Promise<void>;
}

const NOT_AUTHORIZED = { status: 'error', message: 'Not authorized' };

/** Starts the server on an ephemeral port. */
export async function startLocalZadarmaServer(options: {
  readonly key: string;
  readonly secret: string;
  readonly respond?: Responder;
}): Promise<LocalZadarmaServer> {
  let responder: Responder = options.respond ?? (() => ({ body: { status: 'success' } }));
  const received: ReceivedRequest[] = [];
  const rejected: ReceivedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        const rawUrl = req.url ?? '/';
        const q = rawUrl.indexOf('?');
        const path = q < 0 ? rawUrl : rawUrl.slice(0, q);
        const query = q < 0 ? '' : rawUrl.slice(q + 1);
        const body = Buffer.concat(chunks).toString('utf8');
        const method = req.method ?? 'GET';
        const decoded = decodeUrlEncoded(method === 'GET' ? query : body);
        const request: ReceivedRequest = {
          method,
          path,
          query,
          body,
          contentType: req.headers['content-type'],
          params: phpArrayToObject(decoded),
          headers: req.headers,
        };
        const auth = parseAuthorizationHeader(req.headers.authorization ?? '');
        const valid =
          auth !== null &&
          auth.key === options.key &&
          verifyRequestSignature({ path, params: decoded, secret: options.secret, provided: auth.signature });
        let answer: ScriptedAnswer;
        if (valid) {
          received.push(request);
          answer = await responder(request);
        } else {
          rejected.push(request);
          answer = { status: 401, body: NOT_AUTHORIZED };
        }
        if (answer.delayMs) {
          await new Promise((r) => setTimeout(r, answer.delayMs));
        }
        if (res.destroyed) {
          return;
        }
        const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body ?? {});
        res.writeHead(answer.status ?? 200, { 'content-type': 'application/json', ...answer.headers });
        res.end(text);
      })().catch((error: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(error));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    rejected,
    respond: (next) => {
      responder = next;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
