import { createServer, request as httpRequest, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { webhookSignature } from '@switchboard/zadarma';
import type { FastifyBaseLogger } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRawRoutes } from '../../../platform/http/raw-routes.js';
import { SIM_SECRET, simCallStart, useTelephonyTest } from '../test-support/test-telephony.js';
import type { Ingest, WebhookOutcome } from '../use-cases/receive-webhook.js';
import { rawWebhookHandler, runAfterAnswer, WEBHOOK_BODY_LIMIT } from './webhook-routes.js';

function signed(pbxCallId: string, callStart: string): { body: string; signature: string } {
  const fields = {
    event: 'NOTIFY_INTERNAL',
    call_start: callStart,
    pbx_call_id: pbxCallId,
    caller_id: '33612345678',
    called_did: '442037691999',
    internal: '101',
  };
  return { body: new URLSearchParams(fields).toString(), signature: webhookSignature(fields, SIM_SECRET) };
}

describe('/zadarma served from node:http and through Fastify', () => {
  const t = useTelephonyTest('sqlite');

  async function inboxStatus(pbxCallId: string): Promise<string | undefined> {
    await t.live.ingest.idle();
    const row = await t.database.db
      .selectFrom('webhook_inbox')
      .select('status')
      .where('pbx_call_id', '=', pbxCallId)
      .executeTakeFirst();
    return row?.status;
  }

  it('answers a signed notification over real HTTP, stores it and processes it', async () => {
    const { body, signature } = signed('in_raw_http', simCallStart(t.sim));
    const res = await fetch(`${t.url}/zadarma`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', signature },
      body,
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('{}');
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await inboxStatus('in_raw_http')).toBe('processed');
  });

  it('gives the same answer through app.inject (the Fastify route)', async () => {
    const { body, signature } = signed('in_raw_inject', simCallStart(t.sim));
    const res = await t.app.inject({
      method: 'POST',
      url: '/zadarma',
      headers: { 'content-type': 'application/x-www-form-urlencoded', signature },
      payload: body,
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('{}');
    expect(await inboxStatus('in_raw_inject')).toBe('processed');
  });

  it('refuses a body over the limit with 413 and a message naming the limit, and keeps serving', async () => {
    const tooLarge = {
      error: { code: 'SB_ERR_PAYLOAD_TOO_LARGE', message: `body larger than ${WEBHOOK_BODY_LIMIT} bytes` },
    };
    const res = await fetch(`${t.url}/zadarma`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `event=NOTIFY_START&pad=${'x'.repeat(WEBHOOK_BODY_LIMIT)}`,
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual(tooLarge);
    // Without a Content-Length (chunked), the streamed count refuses it.
    const chunks = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 20; i++) {
          controller.enqueue(new TextEncoder().encode('x'.repeat(64 * 1024)));
        }
        controller.close();
      },
    });
    const streamed = await fetch(`${t.url}/zadarma`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: chunks,
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(await streamed.json()).toEqual(tooLarge);
    const echo = await fetch(`${t.url}/zadarma?zd_echo=still-here`);
    expect(await echo.text()).toBe('still-here');
  });

  it('refuses a declared Content-Length over the limit before one byte of the body arrives', async () => {
    const port = Number(new URL(t.url).port);
    const answer = await rawExchange(
      port,
      `POST /zadarma HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${WEBHOOK_BODY_LIMIT + 1}\r\n\r\n`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer).toContain('SB_ERR_PAYLOAD_TOO_LARGE');
  });

  it('leaves other methods to Fastify, which does not route them', async () => {
    const res = await fetch(`${t.url}/zadarma`, { method: 'PUT', body: 'x' });
    expect(res.status).toBe(404);
    const other = await fetch(`${t.url}/zadarma/extra`, { method: 'POST', body: 'x' });
    expect(other.status).toBe(404);
  });
});

/** Writes `text` on a raw connection and resolves with everything the server sent once it closes. */
function rawExchange(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(text));
    let received = '';
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(received));
  });
}

describe('/zadarma raw adapter under hostile clients', () => {
  const lines: string[] = [];
  const log = {
    warn: (_object: unknown, message: string) => lines.push(message),
    error: () => {},
  } as unknown as FastifyBaseLogger;
  let handled = 0;
  /** An ingest refusing everything, like a forged request (each has its own log budget). */
  const refusingIngest = () =>
    ({
      async handle() {
        handled += 1;
        return {
          kind: 'refused',
          refusal: 'forbidden',
          reason: 'missing_signature',
          message: 'no Signature',
        } satisfies WebhookOutcome;
      },
    }) as unknown as Ingest;
  let server: Server;
  let port: number;

  beforeAll(async () => {
    const raw = createRawRoutes();
    raw.routes.add('/zadarma', rawWebhookHandler(refusingIngest(), log, { bodyTimeoutMs: 200 }));
    raw.routes.add('/flooded', rawWebhookHandler(refusingIngest(), log));
    server = raw.serverFactory((_request, response) => {
      response.statusCode = 404;
      response.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('answers 408 and closes the connection when the body does not arrive within its deadline', async () => {
    const before = handled;
    const answer = await rawExchange(
      port,
      'POST /zadarma HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nevent=NOTIFY',
    );
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(answer).toContain('body not received within 200 ms');
    expect(answer).toContain('SB_ERR_REQUEST_TIMEOUT');
    expect(answer.toLowerCase()).toContain('connection: close');
    expect(handled).toBe(before);
  });

  it('logs at most 20 refusals per window and then says how many more it suppressed', async () => {
    lines.length = 0;
    for (let i = 0; i < 30; i++) {
      const res = await fetch(`http://127.0.0.1:${port}/flooded`, { method: 'POST', body: 'event=x' });
      expect(res.status).toBe(403);
    }
    expect(lines).toHaveLength(20);
    expect(lines.every((line) => line.startsWith('zadarma webhook refused (403)'))).toBe(true);
  });
});

describe('processing after the answer', () => {
  const log = { error: () => {} } as unknown as Parameters<typeof runAfterAnswer>[2];

  /** A server whose handler gets the response; the client hangs up once the request is out. */
  async function hangUpOn(handler: (response: ServerResponse) => void): Promise<void> {
    const server = createServer((_request, response) => handler(response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const request = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/zadarma' });
    request.on('error', () => {});
    request.end('x', () => request.destroy());
    await new Promise((resolve) => setTimeout(resolve, 100));
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }

  it('runs once the connection is gone, when the caller hung up before the answer', async () => {
    let runs = 0;
    await hangUpOn((response) => {
      // The answer is ready only after the caller has gone (the inbox commit took longer than it waited).
      response.socket?.once('close', () => {
        setImmediate(() => {
          runAfterAnswer(
            response,
            async () => {
              runs += 1;
            },
            log,
          );
          response.end('{}');
        });
      });
    });
    expect(runs).toBe(1);
  });

  it('runs once when the caller hangs up after the answer was prepared', async () => {
    let runs = 0;
    await hangUpOn((response) => {
      runAfterAnswer(
        response,
        async () => {
          runs += 1;
        },
        log,
      );
      response.socket?.once('close', () => response.end('{}'));
    });
    expect(runs).toBe(1);
  });
});
