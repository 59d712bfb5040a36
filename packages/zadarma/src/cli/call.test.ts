import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type LocalZadarmaServer, startLocalZadarmaServer } from '../client/testing/local-zadarma-server.js';
import { runCall } from './call.js';

const KEY = 'a0b1c2d3e4f5a6b7c8d9';
const SECRET = 'f0e1d2c3b4a5968778f9';

let server: LocalZadarmaServer;

beforeAll(async () => {
  server = await startLocalZadarmaServer({ key: KEY, secret: SECRET });
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.received.length = 0;
  server.rejected.length = 0;
  server.respond(() => ({ body: { status: 'success', balance: 10.34, currency: 'USD' } }));
});

function io(env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { stdout: { write: (t: string) => out.push(t) }, stderr: { write: (t: string) => err.push(t) }, env },
    stdout: () => out.join(''),
    stderr: () => err.join(''),
  };
}

describe('zadarma call', () => {
  it('performs the signed GET with format=json and prints the JSON answer', async () => {
    const t = io();
    const code = await runCall(
      ['GET', '/v1/info/balance/', '--key', KEY, '--secret', SECRET, '--base-url', server.url],
      t.io,
    );
    expect(code).toBe(0);
    expect(JSON.parse(t.stdout())).toEqual({ status: 'success', balance: 10.34, currency: 'USD' });
    expect(server.rejected).toEqual([]);
    expect(server.received[0]).toMatchObject({
      method: 'GET',
      path: '/v1/info/balance/',
      params: { format: 'json' },
    });
  });

  it('takes key, secret and base URL from io.env and sends --param values in the body of a PUT', async () => {
    server.respond(() => ({ body: { status: 'success', sip: '00001', new_caller_id: '442037691880' } }));
    const t = io({ ZADARMA_KEY: KEY, ZADARMA_SECRET: SECRET, ZADARMA_BASE_URL: server.url });
    const code = await runCall(
      ['put', '/v1/sip/callerid/', '--param', 'id=00001', '--param', 'number=442037691880'],
      t.io,
    );
    expect(code).toBe(0);
    expect(server.received[0]).toMatchObject({
      method: 'PUT',
      body: 'id=00001&number=442037691880&format=json',
      params: { id: '00001', number: '442037691880', format: 'json' },
    });
  });

  it('nests PHP bracket parameters exactly as Zadarma decodes them, so the signature holds', async () => {
    const t = io({ ZADARMA_KEY: KEY, ZADARMA_SECRET: SECRET, ZADARMA_BASE_URL: server.url });
    const code = await runCall(
      ['POST', '/v1/info/number_lookup/', '--param', 'numbers[0]=442037691880', '--param', 'numbersZ=1'],
      t.io,
    );
    expect(code).toBe(0);
    expect(server.rejected).toEqual([]);
    expect(server.received[0]?.params).toEqual({
      numbers: { 0: '442037691880' },
      numbersZ: '1',
      format: 'json',
    });
  });

  it("prints Zadarma's message and the HTTP status on stderr and exits 1 when refused", async () => {
    const t = io();
    const code = await runCall(
      ['GET', '/v1/info/balance/', '--key', KEY, '--secret', 'wrong', '--base-url', server.url],
      t.io,
    );
    expect(code).toBe(1);
    expect(t.stdout()).toBe('');
    expect(t.stderr()).toContain('HTTP 401');
    expect(t.stderr()).toContain('Not authorized');
  });

  it('reports a 400 answer with its message', async () => {
    server.respond(() => ({ status: 400, body: { status: 'error', message: "Check phone's number" } }));
    const t = io({ ZADARMA_KEY: KEY, ZADARMA_SECRET: SECRET });
    const code = await runCall(['POST', 'sms/send', '--base-url', server.url, '--param', 'number=1'], t.io);
    expect(code).toBe(1);
    expect(t.stderr()).toMatch(/HTTP 400: Check phone's number/);
  });

  it('prints status and rate-limit headers with --verbose', async () => {
    server.respond(() => ({
      body: { status: 'success', balance: 1, currency: 'USD' },
      headers: { 'X-RateLimit-Remaining': '99' },
    }));
    const t = io({ ZADARMA_KEY: KEY, ZADARMA_SECRET: SECRET, ZADARMA_BASE_URL: server.url });
    expect(await runCall(['GET', 'info/balance', '--verbose'], t.io)).toBe(0);
    expect(t.stderr()).toContain('HTTP 200');
    expect(t.stderr()).toContain('x-ratelimit-remaining: 99');
  });

  it('uses the injected fetch', async () => {
    const urls: string[] = [];
    const fake = (async (input: string | URL | Request) => {
      urls.push(String(input));
      return new Response('{"status":"success","key":"k1"}', { status: 200 });
    }) as typeof fetch;
    const t = io({ ZADARMA_KEY: KEY, ZADARMA_SECRET: SECRET });
    const code = await runCall(['GET', '/v1/webrtc/get_key/', '--sandbox', '--param', 'sip=100'], {
      ...t.io,
      fetch: fake,
    });
    expect(code).toBe(0);
    expect(urls).toEqual(['https://api-sandbox.zadarma.com/v1/webrtc/get_key/?sip=100&format=json']);
  });

  it.each([
    [['GET'], /method and a path/],
    [['FETCH', '/v1/info/balance/'], /unsupported HTTP method/],
    [['GET', '/v1/info/balance/?format=json'], /not in the path/],
    [['GET', '/v1/info/balance/', '--param', 'novalue'], /key=value/],
    [['GET', '/v1/info/balance/', '--bogus'], /bogus/],
  ])('exits 2 with a usage message for %j', async (argv, message) => {
    const t = io({ ZADARMA_KEY: KEY, ZADARMA_SECRET: SECRET });
    expect(await runCall(argv, t.io)).toBe(2);
    expect(t.stderr()).toMatch(message);
    expect(server.received).toHaveLength(0);
  });

  it('exits 2 when no key or secret is given', async () => {
    const noKey = io({ ZADARMA_SECRET: SECRET });
    expect(await runCall(['GET', '/v1/info/balance/'], noKey.io)).toBe(2);
    expect(noKey.stderr()).toContain('ZADARMA_KEY');
    const noSecret = io({ ZADARMA_KEY: KEY });
    expect(await runCall(['GET', '/v1/info/balance/'], noSecret.io)).toBe(2);
    expect(noSecret.stderr()).toContain('ZADARMA_SECRET');
  });

  it('prints help', async () => {
    const t = io();
    expect(await runCall(['--help'], t.io)).toBe(0);
    expect(t.stdout()).toContain('Usage: zadarma call');
  });
});
