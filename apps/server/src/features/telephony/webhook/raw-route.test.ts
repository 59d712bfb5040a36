import { createServer, request as httpRequest, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { webhookSignature } from '@switchboard/zadarma';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAfterAnswer, WEBHOOK_BODY_LIMIT } from './routes.js';
import { openTelephonyTest, SIM_SECRET, type TelephonyTestContext } from './test-telephony.js';

function signed(pbxCallId: string): { body: string; signature: string } {
  const fields = {
    event: 'NOTIFY_INTERNAL',
    call_start: '2026-11-25 10:15:30',
    pbx_call_id: pbxCallId,
    caller_id: '33612345678',
    called_did: '442037691999',
    internal: '101',
  };
  return { body: new URLSearchParams(fields).toString(), signature: webhookSignature(fields, SIM_SECRET) };
}

describe('/zadarma served from node:http and through Fastify', () => {
  let t: TelephonyTestContext;

  beforeAll(async () => {
    t = await openTelephonyTest('sqlite');
  }, 60_000);

  afterAll(async () => {
    await t?.close();
  });

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
    const { body, signature } = signed('in_raw_http');
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
    const { body, signature } = signed('in_raw_inject');
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
    const res = await fetch(`${t.url}/zadarma`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `event=NOTIFY_START&pad=${'x'.repeat(WEBHOOK_BODY_LIMIT)}`,
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({
      error: { code: 'SB_ERR_BAD_REQUEST', message: `body larger than ${WEBHOOK_BODY_LIMIT} bytes` },
    });
    const echo = await fetch(`${t.url}/zadarma?zd_echo=still-here`);
    expect(await echo.text()).toBe('still-here');
  });

  it('leaves other methods to Fastify, which does not route them', async () => {
    const res = await fetch(`${t.url}/zadarma`, { method: 'PUT', body: 'x' });
    expect(res.status).toBe(404);
    const other = await fetch(`${t.url}/zadarma/extra`, { method: 'POST', body: 'x' });
    expect(other.status).toBe(404);
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
