import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ZadarmaApiError } from './errors.js';
import {
  type LocalZadarmaServer,
  type ReceivedRequest,
  startLocalZadarmaServer,
} from './testing/local-zadarma-server.js';
import { createZadarmaClient, type ZadarmaClient } from './zadarma-client.js';

const KEY = 'a0b1c2d3e4f5a6b7c8d9';
const SECRET = 'f0e1d2c3b4a5968778f9';

let server: LocalZadarmaServer;
let client: ZadarmaClient;

beforeAll(async () => {
  server = await startLocalZadarmaServer({ key: KEY, secret: SECRET });
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.received.length = 0;
  server.rejected.length = 0;
  client = createZadarmaClient({ key: KEY, secret: SECRET, baseUrl: server.url, rateLimits: false });
});

function answer(body: Record<string, unknown>): void {
  server.respond(() => ({ body: { status: 'success', ...body } }));
}

function only(): ReceivedRequest {
  expect(server.rejected).toEqual([]);
  expect(server.received).toHaveLength(1);
  return server.received[0] as ReceivedRequest;
}

interface Case {
  readonly name: string;
  readonly call: (c: ZadarmaClient) => Promise<unknown>;
  readonly method: string;
  readonly path: string;
  readonly params: Record<string, unknown>;
  readonly answer: Record<string, unknown>;
  readonly expected: Record<string, unknown>;
}

const cases: Case[] = [
  {
    name: 'getBalance',
    call: (c) => c.getBalance(),
    method: 'GET',
    path: '/v1/info/balance/',
    params: { format: 'json' },
    answer: { balance: '10.34', currency: 'USD' },
    expected: { balance: 10.34, currency: 'USD' },
  },
  {
    name: 'getTimezone',
    call: (c) => c.getTimezone(),
    method: 'GET',
    path: '/v1/info/timezone/',
    params: { format: 'json' },
    answer: { unixtime: 1483228800, datetime: '2017-01-01 00:00:00', timezone: 'UTC+3' },
    expected: { unixtime: 1483228800, timezone: 'UTC+3' },
  },
  {
    name: 'getPrice',
    call: (c) => c.getPrice({ number: '442037691880', caller_id: '442037691881' }),
    method: 'GET',
    path: '/v1/info/price/',
    params: { number: '442037691880', caller_id: '442037691881', format: 'json' },
    answer: {
      info: { prefix: '4420', description: 'United Kingdom, London', price: '0.009', currency: 'USD' },
    },
    expected: {
      info: { prefix: '4420', description: 'United Kingdom, London', price: 0.009, currency: 'USD' },
    },
  },
  {
    name: 'getPbxInternal',
    call: (c) => c.getPbxInternal(),
    method: 'GET',
    path: '/v1/pbx/internal/',
    params: { format: 'json' },
    answer: { pbx_id: 1234, numbers: [100, 101] },
    expected: { pbx_id: '1234', numbers: ['100', '101'] },
  },
  {
    name: 'getPbxInternalStatus',
    call: (c) => c.getPbxInternalStatus('100'),
    method: 'GET',
    path: '/v1/pbx/internal/100/status/',
    params: { format: 'json' },
    answer: { pbx_id: 1234, number: 100, is_online: 'false' },
    expected: { number: '100', is_online: false },
  },
  {
    name: 'getPbxInternalInfo',
    call: (c) => c.getPbxInternalInfo('101'),
    method: 'GET',
    path: '/v1/pbx/internal/101/info/',
    params: { format: 'json' },
    answer: { number: 101, name: 'Anna', caller_id_app_change: 'true', lines: '3', record_email: 'false' },
    expected: { number: '101', name: 'Anna', caller_id_app_change: true, lines: 3, record_email: 'false' },
  },
  {
    name: 'requestCallback',
    call: (c) => c.requestCallback({ from: '100', to: '+442037691881', sip: '100', predicted: true }),
    method: 'GET',
    path: '/v1/request/callback/',
    params: { from: '100', to: '+442037691881', sip: '100', predicted: 'predicted', format: 'json' },
    answer: { from: '100', to: '442037691881', time: 1752855279 },
    expected: { from: '100', to: '442037691881', time: 1752855279 },
  },
  {
    name: 'getStatistics',
    call: (c) =>
      c.getStatistics({
        start: '2024-05-01 00:00:00',
        end: '2024-05-31 23:59:59',
        sip: '00001',
        skip: 0,
        limit: 10,
      }),
    method: 'GET',
    path: '/v1/statistics/',
    params: {
      start: '2024-05-01 00:00:00',
      end: '2024-05-31 23:59:59',
      sip: '00001',
      skip: '0',
      limit: '10',
      format: 'json',
    },
    answer: { stats: [{ id: '155112249', sip: '00001', billseconds: '12', cost: 0.195, currency: 'USD' }] },
    expected: { stats: [{ id: '155112249', sip: '00001', billseconds: 12, cost: 0.195, currency: 'USD' }] },
  },
  {
    name: 'getPbxStatistics',
    call: (c) =>
      c.getPbxStatistics({ start: '2024-05-01 00:00:00', end: '2024-05-31 23:59:59', call_type: 'in' }),
    method: 'GET',
    path: '/v1/statistics/pbx/',
    params: {
      start: '2024-05-01 00:00:00',
      end: '2024-05-31 23:59:59',
      version: '2',
      call_type: 'in',
      format: 'json',
    },
    answer: {
      stats: [
        {
          call_id: '1759098756.12265976',
          sip: '100',
          callstart: '2024-05-02 10:00:00',
          clid: 'Name (48539923725)',
          destination: '100',
          disposition: 'answered',
          seconds: '42',
          is_recorded: 'true',
          pbx_call_id: 'in_ae6b03b3b0765d127ec0b739209346bbc4f0d52d',
        },
      ],
    },
    expected: {
      stats: [expect.objectContaining({ call_id: '1759098756.12265976', seconds: 42, is_recorded: true })],
    },
  },
  {
    name: 'getRecording',
    call: (c) =>
      c.getRecording({ pbx_call_id: 'in_ae6b03b3b0765d127ec0b739209346bbc4f0d52d', lifetime: 5184000 }),
    method: 'GET',
    path: '/v1/pbx/record/request/',
    params: {
      pbx_call_id: 'in_ae6b03b3b0765d127ec0b739209346bbc4f0d52d',
      lifetime: '5184000',
      format: 'json',
    },
    answer: { links: ['https://x/1.mp3', 'https://x/2.mp3'], lifetime_till: '2024-07-01 00:00:00' },
    expected: { links: ['https://x/1.mp3', 'https://x/2.mp3'] },
  },
  {
    name: 'deleteRecording',
    call: (c) => c.deleteRecording({ call_id: '1-1458313316.343456-100-2016-01-11-100155' }),
    method: 'DELETE',
    path: '/v1/pbx/record/request/',
    params: { call_id: '1-1458313316.343456-100-2016-01-11-100155', format: 'json' },
    answer: { file_name: 'filename.mp3' },
    expected: { file_name: 'filename.mp3' },
  },
  {
    name: 'getDirectNumbers',
    call: (c) => c.getDirectNumbers(),
    method: 'GET',
    path: '/v1/direct_numbers/',
    params: { format: 'json' },
    answer: { info: [{ number: '442037691880', status: 'on', autorenew: 'true', monthly_fee: '2.5' }] },
    expected: { info: [{ number: '442037691880', status: 'on', autorenew: true, monthly_fee: 2.5 }] },
  },
  {
    name: 'getSips',
    call: (c) => c.getSips(),
    method: 'GET',
    path: '/v1/sip/',
    params: { format: 'json' },
    answer: { sips: [{ id: '00001', display_name: 'SIP 1', lines: 3 }], left: 3 },
    expected: { sips: [{ id: '00001', display_name: 'SIP 1', lines: 3 }], left: 3 },
  },
  {
    name: 'setSipCallerId',
    call: (c) => c.setSipCallerId({ id: '00001', number: '442037691880' }),
    method: 'PUT',
    path: '/v1/sip/callerid/',
    params: { id: '00001', number: '442037691880', format: 'json' },
    answer: { sip: '00001', new_caller_id: '442037691880' },
    expected: { sip: '00001', new_caller_id: '442037691880' },
  },
  {
    name: 'getPbxRedirection',
    call: (c) => c.getPbxRedirection('100'),
    method: 'GET',
    path: '/v1/pbx/redirection/',
    params: { pbx_number: '100', format: 'json' },
    answer: {
      current_status: 'on',
      pbx_id: '1234',
      pbx_name: '100',
      type: 'phone',
      destination: '442037691880',
    },
    expected: { current_status: 'on', type: 'phone' },
  },
  {
    name: 'setPbxRedirection',
    call: (c) =>
      c.setPbxRedirection({
        pbx_number: '100',
        status: 'on',
        type: 'phone',
        destination: '442037691880',
        condition: 'noanswer',
        set_caller_id: 'off',
      }),
    method: 'POST',
    path: '/v1/pbx/redirection/',
    params: {
      pbx_number: '100',
      status: 'on',
      type: 'phone',
      destination: '442037691880',
      condition: 'noanswer',
      set_caller_id: 'off',
      format: 'json',
    },
    answer: { current_status: 'on', pbx_id: '1234', pbx_name: '100' },
    expected: { current_status: 'on' },
  },
  {
    name: 'getCallInfo',
    call: (c) => c.getCallInfo(),
    method: 'GET',
    path: '/v1/pbx/callinfo/',
    params: { format: 'json' },
    answer: {
      url: 'https://crm.example/zadarma',
      notifications: { notify_start: 'true', notify_end: 'false' },
    },
    expected: {
      url: 'https://crm.example/zadarma',
      notifications: { notify_start: true, notify_end: false },
    },
  },
  {
    name: 'setCallInfoUrl',
    call: (c) => c.setCallInfoUrl({ url: 'https://crm.example/zadarma?x=1&y=~' }),
    method: 'POST',
    path: '/v1/pbx/callinfo/url/',
    params: { url: 'https://crm.example/zadarma?x=1&y=~', format: 'json' },
    answer: { url: 'https://crm.example/zadarma?x=1&y=~' },
    expected: { url: 'https://crm.example/zadarma?x=1&y=~' },
  },
  {
    name: 'deleteCallInfoUrl',
    call: (c) => c.deleteCallInfoUrl({ user_id: 42 }),
    method: 'DELETE',
    path: '/v1/pbx/callinfo/url/',
    params: { user_id: '42', format: 'json' },
    answer: { url: '' },
    expected: { url: '' },
  },
  {
    name: 'setCallInfoNotifications',
    call: (c) => c.setCallInfoNotifications({ notify_start: true, notify_answer: false }),
    method: 'POST',
    path: '/v1/pbx/callinfo/notifications/',
    params: { notify_start: 'true', notify_answer: 'false', format: 'json' },
    answer: { notifications: { notify_start: 'true', notify_answer: 'false' } },
    expected: { notifications: { notify_start: true, notify_answer: false } },
  },
  {
    name: 'getWebhooks',
    call: (c) => c.getWebhooks(),
    method: 'GET',
    path: '/v1/pbx/webhooks/',
    params: { format: 'json' },
    answer: { url: '', hooks: { sms: 'true', speech_recognition: 'false' } },
    expected: { url: '', hooks: { sms: true, speech_recognition: false } },
  },
  {
    name: 'setWebhooksUrl',
    call: (c) => c.setWebhooksUrl({ url: 'https://crm.example/events' }),
    method: 'POST',
    path: '/v1/pbx/webhooks/url/',
    params: { url: 'https://crm.example/events', format: 'json' },
    answer: { url: 'https://crm.example/events' },
    expected: { url: 'https://crm.example/events' },
  },
  {
    name: 'deleteWebhooksUrl',
    call: (c) => c.deleteWebhooksUrl(),
    method: 'DELETE',
    path: '/v1/pbx/webhooks/url/',
    params: { format: 'json' },
    answer: { url: '' },
    expected: { url: '' },
  },
  {
    name: 'setWebhookHooks',
    call: (c) => c.setWebhookHooks({ sms: true, speech_recognition: true, user_id: '7' }),
    method: 'POST',
    path: '/v1/pbx/webhooks/hooks/',
    params: { sms: 'true', speech_recognition: 'true', user_id: '7', format: 'json' },
    answer: { hooks: { sms: 'true', speech_recognition: 'true' } },
    expected: { hooks: { sms: true, speech_recognition: true } },
  },
  {
    name: 'sendSms',
    call: (c) =>
      c.sendSms({
        number: ['442037691880', '442037691881'],
        message: "Hi! It's a (test) *call* ~ ok",
        sender: 'ACME',
      }),
    method: 'POST',
    path: '/v1/sms/send/',
    params: {
      number: '442037691880,442037691881',
      message: "Hi! It's a (test) *call* ~ ok",
      sender: 'ACME',
      format: 'json',
    },
    answer: { messages: 2, cost: 0.12, currency: 'USD' },
    expected: { messages: 2, cost: 0.12, currency: 'USD' },
  },
  {
    name: 'getSpeechRecognition',
    call: (c) =>
      c.getSpeechRecognition({ call_id: '1759098756.12265976', return: 'words', alternatives: false }),
    method: 'GET',
    path: '/v1/speech_recognition/',
    params: { call_id: '1759098756.12265976', return: 'words', alternatives: '0', format: 'json' },
    answer: {
      lang: 'en-EN',
      recognitionStatus: 'recognized',
      words: [{ result: [{ s: 0.02, e: 0.22, w: 'hello' }], channel: 1 }],
    },
    expected: {
      recognitionStatus: 'recognized',
      words: [{ result: [{ s: 0.02, e: 0.22, w: 'hello' }], channel: 1 }],
    },
  },
  {
    name: 'requestSpeechRecognition',
    call: (c) => c.requestSpeechRecognition({ call_id: '1759098756.12265976', lang: 'ru-RU' }),
    method: 'PUT',
    path: '/v1/speech_recognition/',
    params: { call_id: '1759098756.12265976', lang: 'ru-RU', format: 'json' },
    answer: {},
    expected: { status: 'success' },
  },
  {
    name: 'getWebrtcKey',
    call: (c) => c.getWebrtcKey('100'),
    method: 'GET',
    path: '/v1/webrtc/get_key/',
    params: { sip: '100', format: 'json' },
    answer: { key: 'abc123xyz' },
    expected: { key: 'abc123xyz' },
  },
];

describe('ZadarmaClient against a local signature-checking server', () => {
  it.each(cases)(
    '$name sends the signed $method $path with its parameters and types the answer',
    async (c) => {
      answer(c.answer);
      const result = await c.call(client);
      const request = only();
      expect(request.method).toBe(c.method);
      expect(request.path).toBe(c.path);
      expect(request.params).toEqual(c.params);
      if (c.method === 'GET') {
        expect(request.body).toBe('');
      } else {
        expect(request.query).toBe('');
        expect(request.contentType).toBe('application/x-www-form-urlencoded');
      }
      expect(result).toMatchObject(c.expected);
    },
  );

  it('covers every public method of the client with a case', () => {
    const methods = Object.getOwnPropertyNames(Object.getPrototypeOf(client)).filter(
      (name) => !['constructor', 'request', 'iteratePbxStatistics', 'collectPbxStatistics'].includes(name),
    );
    expect(new Set(cases.map((c) => c.name))).toEqual(new Set(methods));
  });

  it('sends GET parameters in insertion order with format last, which the server re-sorts to verify', async () => {
    answer({ from: '100', to: '442037691881', time: 1 });
    await client.requestCallback({ from: '100', to: '+442037691881', sip: '100' });
    expect(only().query).toBe('from=100&to=%2B442037691881&sip=100&format=json');
  });

  it('keeps unknown answer fields', async () => {
    answer({ balance: 1, currency: 'EUR', sandbox: true, credit: '5' });
    await expect(client.getBalance()).resolves.toEqual({
      status: 'success',
      balance: 1,
      currency: 'EUR',
      sandbox: true,
      credit: '5',
    });
  });

  it("is refused with 401 when the secret is wrong, and reports Zadarma's message", async () => {
    const wrong = createZadarmaClient({ key: KEY, secret: 'nope', baseUrl: server.url, rateLimits: false });
    const error = await wrong.getBalance().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZadarmaApiError);
    expect(error).toMatchObject({
      code: 'unauthorized',
      httpStatus: 401,
      zadarmaMessage: 'Not authorized',
      path: '/v1/info/balance/',
      httpMethod: 'GET',
      attempts: 1,
    });
    expect(server.rejected).toHaveLength(1);
  });

  it("signs values PHP encodes differently from URLSearchParams (UTF-8, * ~ ! ' ( ))", async () => {
    answer({ messages: 1 });
    await client.sendSms({ number: '380501234567', message: "Привіт, світ *~!'()" });
    expect(only().params).toMatchObject({ message: "Привіт, світ *~!'()" });
  });

  it('turns a 400 envelope into a bad_request error with the message', async () => {
    server.respond(() => ({ status: 400, body: { status: 'error', message: "Check phone's number" } }));
    await expect(client.sendSms({ number: '1', message: 'x' })).rejects.toMatchObject({
      code: 'bad_request',
      httpStatus: 400,
      zadarmaMessage: "Check phone's number",
    });
  });

  it('treats HTTP 200 with status "error" as a failure', async () => {
    server.respond(() => ({ body: { status: 'error', message: 'Wrong parameters' } }));
    await expect(client.getBalance()).rejects.toMatchObject({
      code: 'api_error',
      httpStatus: 200,
      zadarmaMessage: 'Wrong parameters',
    });
  });

  it('reports an answer that does not match the schema as invalid_response', async () => {
    answer({ currency: 'USD' });
    await expect(client.getBalance()).rejects.toMatchObject({ code: 'invalid_response', httpStatus: 200 });
  });

  it('reports a non-JSON answer as invalid_response', async () => {
    server.respond(() => ({ body: '<html>maintenance</html>' }));
    await expect(client.getBalance()).rejects.toMatchObject({ code: 'invalid_response' });
  });

  it('returns the rate-limit headers with the answer from request()', async () => {
    server.respond(() => ({
      body: { status: 'success', balance: 3, currency: 'USD' },
      headers: {
        'X-RateLimit-Limit': '100',
        'X-RateLimit-Remaining': '97',
        'X-RateLimit-Reset': '1714521600',
        'X-Zadarma-Method': 'info/balance',
      },
    }));
    const response = await client.request({ method: 'GET', path: 'info/balance' });
    expect(response.status).toBe(200);
    expect(response.data).toMatchObject({ balance: 3 });
    expect(response.limits).toMatchObject({
      limit: 100,
      remaining: 97,
      reset: 1714521600,
      method: 'info/balance',
    });
    expect(response.limits.headers['x-ratelimit-remaining']).toBe('97');
    expect(only().path).toBe('/v1/info/balance/');
  });

  it('times out a request whose answer does not come in time', async () => {
    server.respond(() => ({ body: { status: 'success', balance: 1, currency: 'USD' }, delayMs: 500 }));
    const error = await client.getBalance({ timeoutMs: 50 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'timeout', httpStatus: null });
  });

  it('aborts an in-flight request when the caller signal fires', async () => {
    server.respond(() => ({ body: { status: 'success', balance: 1, currency: 'USD' }, delayMs: 500 }));
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('user left')), 30);
    const error = await client.getBalance({ signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'aborted' });
    expect((error as Error).cause).toEqual(new Error('user left'));
  });

  it('reports a refused connection as a network error', async () => {
    const closed = await startLocalZadarmaServer({ key: KEY, secret: SECRET });
    await closed.close();
    const offline = createZadarmaClient({
      key: KEY,
      secret: SECRET,
      baseUrl: closed.url,
      rateLimits: false,
      retry: false,
    });
    await expect(offline.getBalance()).rejects.toMatchObject({ code: 'network', httpStatus: null });
  });

  it('retries a GET after a 503 and succeeds', async () => {
    let calls = 0;
    server.respond(() => {
      calls++;
      return calls === 1
        ? { status: 503, body: 'Service Unavailable' }
        : { body: { status: 'success', balance: 2, currency: 'USD' } };
    });
    const retrying = createZadarmaClient({
      key: KEY,
      secret: SECRET,
      baseUrl: server.url,
      rateLimits: false,
      retry: { baseDelayMs: 1 },
    });
    const response = await retrying.request({ method: 'GET', path: '/v1/info/balance/' });
    expect(response.attempts).toBe(2);
    expect(server.received).toHaveLength(2);
  });

  it('pages statistics/pbx with skip/limit inside each ≤30-day window', async () => {
    const rows = (n: number, from: number) =>
      Array.from({ length: n }, (_, i) => ({
        call_id: String(from + i),
        callstart: '2024-05-02 10:00:00',
        disposition: 'answered',
        seconds: 1,
        pbx_call_id: `in_${from + i}`,
      }));
    server.respond((r) => {
      const skip = Number(r.params.skip);
      const first = r.params.start === '2024-04-01 00:00:00';
      return { body: { status: 'success', stats: first ? rows(skip === 0 ? 2 : 1, skip) : [] } };
    });
    const all = await client.collectPbxStatistics({
      start: '2024-04-01 00:00:00',
      end: '2024-05-15 23:59:59',
      pageSize: 2,
    });
    expect(all.map((r) => r.call_id)).toEqual(['0', '1', '2']);
    expect(server.received.map((r) => [r.params.start, r.params.end, r.params.skip, r.params.limit])).toEqual(
      [
        ['2024-04-01 00:00:00', '2024-04-30 23:59:59', '0', '2'],
        ['2024-04-01 00:00:00', '2024-04-30 23:59:59', '2', '2'],
        ['2024-05-01 00:00:00', '2024-05-15 23:59:59', '0', '2'],
      ],
    );
    expect(server.received.every((r) => r.params.version === '2')).toBe(true);
  });
});
