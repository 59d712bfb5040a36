import { describe, expect, it } from 'vitest';
import { ZadarmaApiError } from './errors.js';
import { FakeClock, flushAsync } from './testing/fake-clock.js';
import { methodPath, type ZadarmaTransportOptions } from './transport.js';
import { createZadarmaClient } from './zadarma-client.js';

interface FetchCall {
  readonly url: string;
  readonly method: string;
  readonly body: string | undefined;
  readonly at: number;
  readonly signal: AbortSignal;
}

type Handler = (call: FetchCall, index: number) => Response | Promise<Response>;

function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

const ok = (extra: Record<string, unknown> = {}) => json({ status: 'success', ...extra });
const balance = () => ok({ balance: 1, currency: 'USD' });
const stats = () => ok({ stats: [] });

function never(call: FetchCall): Promise<Response> {
  return new Promise((_, reject) => {
    call.signal.addEventListener('abort', () => reject(call.signal.reason), { once: true });
  });
}

function setup(handler: Handler, options: Partial<ZadarmaTransportOptions> = {}) {
  const clock = new FakeClock();
  const calls: FetchCall[] = [];
  const fetchFn = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const call: FetchCall = {
      url: String(input),
      method: init?.method ?? 'GET',
      body: init?.body as string | undefined,
      at: clock.now(),
      signal: init?.signal as AbortSignal,
    };
    calls.push(call);
    return handler(call, calls.length - 1);
  };
  const client = createZadarmaClient({
    key: 'k',
    secret: 's',
    baseUrl: 'https://api.test',
    fetch: fetchFn as typeof fetch,
    clock,
    retry: { random: () => 0 },
    ...options,
  });
  const t0 = clock.now();
  const times = () => calls.map((c) => c.at - t0);
  return { clock, calls, client, times };
}

async function settle<T>(promise: Promise<T>, clock: FakeClock, ms = 600_000): Promise<T | unknown> {
  const caught = promise.catch((e: unknown) => e);
  await clock.advance(ms);
  return caught;
}

describe('retries', () => {
  it('retries a GET on 5xx with exponential backoff and jitter, then succeeds', async () => {
    const { client, clock, calls } = setup((_, i) =>
      i < 2 ? json({ status: 'error', message: 'boom' }, 502) : balance(),
    );
    const result = await settle(client.request({ method: 'GET', path: 'info/balance' }), clock);
    expect(result).toMatchObject({ attempts: 3, status: 200 });
    expect(calls).toHaveLength(3);
    // random() = 0 → half of each step: 500/2, 1000/2.
    expect(clock.sleeps.filter((ms) => ms !== 30_000)).toEqual([250, 500]);
  });

  it('spreads backoff with jitter between half and the whole step', async () => {
    const { client, clock } = setup((_, i) => (i < 1 ? json({}, 500) : balance()), {
      retry: { random: () => 0.999 },
    });
    await settle(client.getBalance(), clock);
    expect(clock.sleeps.filter((ms) => ms !== 30_000)).toEqual([500]);
  });

  it('gives up after maxAttempts and reports the last error with the attempt count', async () => {
    const { client, clock, calls } = setup(() => json({ status: 'error', message: 'down' }, 503));
    const error = await settle(client.getBalance(), clock);
    expect(error).toBeInstanceOf(ZadarmaApiError);
    expect(error).toMatchObject({ code: 'server', httpStatus: 503, zadarmaMessage: 'down', attempts: 3 });
    expect(calls).toHaveLength(3);
  });

  it('retries a network error on an idempotent request', async () => {
    const { client, clock, calls } = setup((_, i) => {
      if (i === 0) {
        throw new TypeError('fetch failed');
      }
      return balance();
    });
    await expect(settle(client.getBalance(), clock)).resolves.toMatchObject({ balance: 1 });
    expect(calls).toHaveLength(2);
  });

  it('honours Retry-After on 429 instead of the backoff', async () => {
    const { client, clock, times } = setup((_, i) =>
      i === 0
        ? json({ status: 'error', message: 'You exceeded the rate limit' }, 429, { 'Retry-After': '7' })
        : balance(),
    );
    await settle(client.getBalance(), clock);
    expect(times()).toEqual([0, 7000]);
  });

  it('honours Retry-After given as an HTTP date', async () => {
    const { client, clock, times } = setup((_, i) =>
      i === 0 ? json({}, 429, { 'Retry-After': new Date(clock.now() + 12_000).toUTCString() }) : balance(),
    );
    await settle(client.getBalance(), clock);
    expect(times()).toEqual([0, 12_000]);
  });

  it('does not wait for a Retry-After longer than maxRetryAfterMs and exposes it on the error', async () => {
    const { client, clock, calls } = setup(() =>
      json({ status: 'error', message: 'slow down' }, 429, { 'Retry-After': '3600' }),
    );
    const error = await settle(client.getBalance(), clock);
    expect(error).toMatchObject({ code: 'rate_limited', retryAfterMs: 3_600_000, attempts: 1 });
    expect(calls).toHaveLength(1);
  });

  it.each([
    [
      '429',
      () => json({ status: 'error', message: 'You exceeded the rate limit' }, 429, { 'Retry-After': '1' }),
    ],
    ['503', () => json({}, 503)],
    [
      'a network error',
      () => {
        throw new TypeError('fetch failed');
      },
    ],
  ])('never retries request/callback after %s, even though it is a GET', async (_, respond) => {
    const { client, clock, calls } = setup(respond);
    const error = await settle(client.requestCallback({ from: '100', to: '442037691881' }), clock);
    expect(error).toBeInstanceOf(ZadarmaApiError);
    expect(calls).toHaveLength(1);
  });

  it('never retries sms/send, even when the caller marks it idempotent', async () => {
    const { client, clock, calls } = setup(() => json({}, 500));
    await settle(client.sendSms({ number: '442037691880', message: 'hi' }), clock);
    await settle(
      client.request({
        method: 'POST',
        path: 'sms/send',
        params: { number: '1', message: 'x' },
        idempotent: true,
      }),
      clock,
    );
    await settle(client.request({ method: 'GET', path: 'request/callback', idempotent: true }), clock);
    expect(calls).toHaveLength(3);
  });

  it('does not retry a POST unless it is marked idempotent', async () => {
    const { client, clock, calls } = setup(() => json({}, 500));
    await settle(client.request({ method: 'POST', path: 'pbx/callinfo/url', params: { url: 'x' } }), clock);
    expect(calls).toHaveLength(1);
    await settle(client.setCallInfoUrl({ url: 'https://crm.example/z' }), clock);
    expect(calls).toHaveLength(4);
  });

  it('does not retry a 400, a 401 or a status:"error" answer', async () => {
    const answers = [
      json({ status: 'error', message: 'bad' }, 400),
      json({ status: 'error', message: 'Not authorized' }, 401),
      json({ status: 'error', message: 'nope' }, 200),
    ];
    const { client, clock, calls } = setup((_, i) => answers[i] as Response);
    expect(await settle(client.getBalance(), clock)).toMatchObject({
      code: 'bad_request',
      zadarmaMessage: 'bad',
    });
    expect(await settle(client.getBalance(), clock)).toMatchObject({ code: 'unauthorized' });
    expect(await settle(client.getBalance(), clock)).toMatchObject({
      code: 'api_error',
      zadarmaMessage: 'nope',
    });
    expect(calls).toHaveLength(3);
  });

  it('can be switched off', async () => {
    const { client, clock, calls } = setup(() => json({}, 503), { retry: false });
    await settle(client.getBalance(), clock);
    expect(calls).toHaveLength(1);
  });
});

describe('rate limiting', () => {
  it('lets at most 3 statistics calls through per minute and queues the rest', async () => {
    const { client, clock, times } = setup(stats);
    const query = { start: '2024-05-01 00:00:00', end: '2024-05-31 23:59:59' };
    const all = Promise.all(Array.from({ length: 7 }, () => client.getPbxStatistics(query)));
    await clock.advance(0);
    expect(times()).toEqual([0, 0, 0]);
    await clock.advance(59_999);
    expect(times()).toHaveLength(3);
    await settle(all, clock, 120_001);
    expect(times()).toEqual([0, 0, 0, 60_000, 60_000, 60_000, 120_000]);
  });

  it('does not hold back other methods while statistics wait', async () => {
    const { client, clock, times } = setup((c) => (c.url.includes('/statistics/') ? stats() : balance()));
    const query = { start: '2024-05-01 00:00:00', end: '2024-05-31 23:59:59' };
    const queued = Promise.all(Array.from({ length: 4 }, () => client.getStatistics(query)));
    await clock.advance(1000);
    await client.getBalance();
    expect(times()).toEqual([0, 0, 0, 1000]);
    await settle(queued, clock);
  });

  it('limits everything to 100 per minute by default', async () => {
    const { client, clock, times } = setup(balance, { timeoutMs: 0 });
    const all = Promise.all(Array.from({ length: 101 }, () => client.getBalance()));
    await settle(all, clock, 60_000);
    expect(times().filter((t) => t === 0)).toHaveLength(100);
    expect(times().at(-1)).toBe(60_000);
  });

  it('takes configured limits and can be disabled', async () => {
    const query = { start: '2024-05-01 00:00:00', end: '2024-05-31 23:59:59' };
    const ten = setup(stats, { rateLimits: { statistics: { requests: 10, perMs: 60_000 } } });
    await settle(
      Promise.all(Array.from({ length: 11 }, () => ten.client.getPbxStatistics(query))),
      ten.clock,
    );
    expect(ten.times().filter((t) => t === 0)).toHaveLength(10);
    const off = setup(stats, { rateLimits: false });
    await settle(
      Promise.all(Array.from({ length: 11 }, () => off.client.getPbxStatistics(query))),
      off.clock,
      0,
    );
    expect(off.times()).toEqual(Array(11).fill(0));
  });

  it('aborts a request waiting for a token without sending it', async () => {
    const { client, clock, calls } = setup(stats);
    const query = { start: '2024-05-01 00:00:00', end: '2024-05-31 23:59:59' };
    await Promise.all([1, 2, 3].map(() => client.getPbxStatistics(query)));
    const controller = new AbortController();
    const waiting = client.getPbxStatistics(query, { signal: controller.signal }).catch((e: unknown) => e);
    await clock.advance(10_000);
    controller.abort(new Error('navigated away'));
    expect(await waiting).toMatchObject({ code: 'aborted', attempts: 0 });
    await clock.advance(120_000);
    expect(calls).toHaveLength(3);
  });
});

describe('timeouts and cancellation', () => {
  it('times out an attempt after timeoutMs of the injected clock', async () => {
    const { client, clock } = setup(never, { timeoutMs: 5000, retry: false });
    const pending = client.getBalance().catch((e: unknown) => e);
    await clock.advance(4999);
    let settled = false;
    void pending.then(() => {
      settled = true;
    });
    await flushAsync();
    expect(settled).toBe(false);
    await clock.advance(1);
    expect(await pending).toMatchObject({ code: 'timeout', path: '/v1/info/balance/' });
  });

  it('does not retry after a timeout', async () => {
    const { client, clock, calls } = setup(never, { timeoutMs: 1000 });
    expect(await settle(client.getBalance(), clock)).toMatchObject({ code: 'timeout', attempts: 1 });
    expect(calls).toHaveLength(1);
  });

  it('aborts during the backoff sleep', async () => {
    const { client, clock, calls } = setup(() => json({}, 503));
    const controller = new AbortController();
    const pending = client.getBalance({ signal: controller.signal }).catch((e: unknown) => e);
    await clock.advance(100);
    controller.abort();
    expect(await pending).toMatchObject({ code: 'aborted', attempts: 1 });
    expect(calls).toHaveLength(1);
  });

  it('refuses to start with an already aborted signal', async () => {
    const { client, calls } = setup(balance);
    await expect(client.getBalance({ signal: AbortSignal.abort() })).rejects.toMatchObject({
      code: 'aborted',
    });
    expect(calls).toHaveLength(0);
  });
});

describe('request shape', () => {
  it('sends the Authorization headers of the docs/zadarma-protocol.md §2.6 golden vectors A1, A3 and A9', async () => {
    const headers: string[] = [];
    const fetchFn = (async (_input: string | URL | Request, init?: RequestInit) => {
      headers.push(new Headers(init?.headers).get('authorization') ?? '');
      return new Response(
        '{"status":"success","from":"100","to":"1","time":1,"sip":"00001","new_caller_id":"1"}',
      );
    }) as typeof fetch;
    const client = createZadarmaClient({
      key: 'a0b1c2d3e4f5a6b7c8d9',
      secret: 'f0e1d2c3b4a5968778f9',
      fetch: fetchFn,
      rateLimits: false,
      timeoutMs: 0,
    });
    await client.request({ method: 'GET', path: '/v1/info/balance/' });
    await client.requestCallback({ from: '100', to: '+442037691881', sip: '100', predicted: true });
    await client.setSipCallerId({ id: '00001', number: '442037691880' });
    expect(headers).toEqual([
      'a0b1c2d3e4f5a6b7c8d9:NTEyMjBmOWIwMjFlMjEzYmUzOGIwYzMyNmVmNDFlZjE3OGYyYjNiZg==',
      'a0b1c2d3e4f5a6b7c8d9:NTQyMTQyNDIwMTk3NTgyMTIxMmRhOTliYTg2NDZjMjYzZjRmZTgxYg==',
      'a0b1c2d3e4f5a6b7c8d9:N2Q1ZjU5YzdmMDIwYjlmMGUwODc4NDk5ZjdiNjBiYzZkOTYyZTMxMw==',
    ]);
  });

  it('sends format=json in the query of a GET and in the body of a PUT', async () => {
    const { client, calls } = setup(() => ok({ sip: '00001', new_caller_id: '1' }), { timeoutMs: 0 });
    await client.request({ method: 'GET', path: 'info/balance' });
    await client.setSipCallerId({ id: '00001', number: '442037691880' });
    expect(calls[0]?.url).toBe('https://api.test/v1/info/balance/?format=json');
    expect(calls[1]).toMatchObject({
      url: 'https://api.test/v1/sip/callerid/',
      method: 'PUT',
      body: 'id=00001&number=442037691880&format=json',
    });
  });

  it('normalises method paths to /v1/<method>/ but leaves Teamsale paths without the slash', () => {
    expect(methodPath('info/balance')).toBe('/v1/info/balance/');
    expect(methodPath('/v1/info/balance')).toBe('/v1/info/balance/');
    expect(methodPath('/v1/pbx/internal/100/status/')).toBe('/v1/pbx/internal/100/status/');
    expect(methodPath('/v1/zcrm/leads')).toBe('/v1/zcrm/leads');
    expect(() => methodPath('/v1/info/balance/?format=json')).toThrow(/query/);
  });

  it('rejects an extension that would change the signed path', () => {
    const { client } = setup(balance);
    expect(() => client.getPbxInternalStatus('100/../../sms/send')).toThrow(/digits/);
  });

  it('refuses to build a client without credentials', () => {
    expect(() => createZadarmaClient({ key: '', secret: 's' })).toThrow(/key and a secret/);
  });
});
