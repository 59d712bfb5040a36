import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { SIGNED_FIELDS, type SignedEventName, webhookSignature } from '../webhook-signature.js';
import { compileIpPolicy } from './ip-policy.js';
import { parseWebhookBody, parseWebhookEvent } from './parse-webhook.js';
import {
  ECHO_BODY_LIMIT,
  echoResponse,
  headerValue,
  type ReadWebhookOptions,
  readWebhook,
} from './read-webhook.js';

const SECRET = 'f0e1d2c3b4a5968778f9';
const IN = 'in_3f0a3c6e8d2b4a19b7e5c1d2a4f6b8c0d1e2f3a4';
const OUT = 'out_9b1c7d2e4f6a8b0c1d3e5f7a9b2c4d6e8f0a1b3c';
const START_SIG = 'MGRhZjkyYWEyMDgyNzI2NjFmZTE1MzEzNTVmYWIwYjg5NmQ2NGFlYw==';
const OUT_SIG = 'YjkxN2M0NzJlZmQ3YjE3OTEzOGU0OGY2OWEyOTJkYzJiNTcxOWY0OQ==';
const FORM = 'application/x-www-form-urlencoded';
const ZADARMA_IP = '185.45.152.42';

/** docs/zadarma-protocol.md §5.6: the body Zadarma posts, its Signature, and what the typed event must contain. */
const VECTORS: { body: string; signature: string; expect: Record<string, unknown> }[] = [
  {
    body: `event=NOTIFY_START&call_start=2024-05-14+10%3A15%3A30&pbx_call_id=${IN}&caller_id=442037691880&called_did=442037691999`,
    signature: START_SIG,
    expect: { event: 'NOTIFY_START', call_start: '2024-05-14 10:15:30', caller_id: '442037691880' },
  },
  {
    body: `event=NOTIFY_INTERNAL&call_start=2024-05-14+10%3A15%3A30&pbx_call_id=${IN}&caller_id=442037691880&called_did=442037691999&internal=101&calltype=normal`,
    signature: START_SIG,
    expect: { event: 'NOTIFY_INTERNAL', internal: '101', calltype: 'normal' },
  },
  {
    body: `event=NOTIFY_ANSWER&caller_id=442037691880&destination=101&call_start=2024-05-14+10%3A15%3A30&pbx_call_id=${IN}&internal=101`,
    signature: 'MjdjOTE4NmRhNjJkZWQwYTQxZTg1ZjIyNjRmYTQ5ZDgyYzFkYTllZA==',
    expect: { event: 'NOTIFY_ANSWER', destination: '101' },
  },
  {
    body: `event=NOTIFY_END&call_start=2024-05-14+10%3A15%3A30&pbx_call_id=${IN}&caller_id=442037691880&called_did=442037691999&internal=101&duration=67&status_code=16&is_recorded=1&call_id_with_rec=1715681730.4567890&last_internal=101&calltype=normal&disposition=answered`,
    signature: START_SIG,
    expect: {
      event: 'NOTIFY_END',
      duration: '67',
      disposition: 'answered',
      call_id_with_rec: '1715681730.4567890',
    },
  },
  {
    body: `event=NOTIFY_OUT_START&call_start=2024-05-14+11%3A02%3A07&pbx_call_id=${OUT}&internal=102&destination=442037691881&caller_id=442037691999`,
    signature: OUT_SIG,
    expect: { event: 'NOTIFY_OUT_START', internal: '102', destination: '442037691881' },
  },
  {
    body: `event=NOTIFY_OUT_START&call_start=2024-05-14+11%3A02%3A07&pbx_call_id=${OUT}&destination=442037691881&caller_id=442037691999`,
    signature: 'MjA0YTkxZWViNmVkOTg3M2NiMDg4ZTUzZjU4OGU5ZmZkYzk3OWFkYw==',
    expect: { event: 'NOTIFY_OUT_START', destination: '442037691881', caller_id: '442037691999' },
  },
  {
    body: `event=NOTIFY_OUT_END&call_start=2024-05-14+11%3A02%3A07&pbx_call_id=${OUT}&caller_id=442037691999&destination=442037691881&internal=102&duration=35&status_code=16&is_recorded=1&call_id_with_rec=1715684527.4568123&calltype=normal&disposition=answered`,
    signature: OUT_SIG,
    expect: { event: 'NOTIFY_OUT_END', duration: '35' },
  },
  {
    body: `event=NOTIFY_RECORD&call_id_with_rec=1715681730.4567890&pbx_call_id=${IN}`,
    signature: 'MmUyNDk5ZTc5ZmIxNWIwOTk1NDA3ZjVlMmYxZmVkNTg3MzYwYjFiYQ==',
    expect: { event: 'NOTIFY_RECORD', call_id_with_rec: '1715681730.4567890', pbx_call_id: IN },
  },
  {
    body: `event=NOTIFY_IVR&call_start=2024-05-14+10%3A15%3A30&pbx_call_id=${IN}&caller_id=442037691880&called_did=442037691999&wait_dtmf%5Bname%5D=main_menu&wait_dtmf%5Bdigits%5D=2`,
    signature: START_SIG,
    expect: { event: 'NOTIFY_IVR', wait_dtmf: { name: 'main_menu', digits: '2' } },
  },
  {
    body: 'event=SMS&result=%7B%22caller_did%22%3A%22442037691999%22%2C%22caller_id%22%3A%22442037691880%22%2C%22text%22%3A%22Hello+from+a+customer%22%7D',
    signature: 'MWNmMzE5NDgwN2Q2NDhjZDk2N2RkN2RmODBmN2I4NjlhNTYyMGQ0NQ==',
    expect: {
      event: 'SMS',
      result: '{"caller_did":"442037691999","caller_id":"442037691880","text":"Hello from a customer"}',
      data: { caller_did: '442037691999', caller_id: '442037691880', text: 'Hello from a customer' },
    },
  },
  {
    body: `event=NUMBER_LOOKUP&result=${encodeURIComponent('{"mcc":"234","mnc":"10","mccName":"United Kingdom","mncName":"O2","ported":false,"roaming":false,"errorDescription":"No Error","number":"447700900123"}')}`,
    signature: 'YmEyYWUxYmM0YjQwODZlMGZmMGEwMTgwZDc1YTg5YmQyZTUwYmNkZQ==',
    expect: { event: 'NUMBER_LOOKUP', data: expect.objectContaining({ mncName: 'O2', ported: false }) },
  },
  {
    body: `event=CALL_TRACKING&result=${encodeURIComponent('{"synthetic":"call tracking payload shape not documented"}')}`,
    signature: 'ZjkzMGU5ZGQ2MDY3NmFhOGQ0ZGJlZDg2MDQxMDRmMTMxZDM1MjU3MA==',
    expect: { event: 'CALL_TRACKING', data: { synthetic: 'call tracking payload shape not documented' } },
  },
  {
    body: `event=SPEECH_RECOGNITION&result=${encodeURIComponent('{"words":[{"result":[{"s":0.02,"e":0.22,"w":"hello"}],"channel":1}]}')}`,
    signature: 'ZjIyZTY4OTUyMzE4NzcyYTQwMGIxN2YwZTJiNTY4NGE2MDkyMzIwNg==',
    expect: {
      event: 'SPEECH_RECOGNITION',
      data: { words: [{ result: [{ s: 0.02, e: 0.22, w: 'hello' }], channel: 1 }] },
    },
  },
  {
    body: `event=DOCUMENT&result=${encodeURIComponent('{"synthetic":"document payload shape not documented"}')}`,
    signature: 'MjFiNzQyNGFkODEzYWM2NmU2YWJlNjExYTk4OGFmNGI0ZTllZmM4OA==',
    expect: { event: 'DOCUMENT', data: { synthetic: 'document payload shape not documented' } },
  },
];

function post(body: string, headers: Record<string, string>, extra: Partial<ReadWebhookOptions> = {}) {
  return readWebhook({
    method: 'POST',
    headers,
    body: Buffer.from(body),
    contentType: FORM,
    secret: SECRET,
    remoteAddress: ZADARMA_IP,
    ...extra,
  });
}

/** A multipart body the way Zadarma sends it: the delimiter has an extra `--` (docs/zadarma-protocol.md §5.3). */
function zadarmaMultipart(fields: [string, string][], boundary: string): Buffer {
  const delimiter = `----${boundary}`;
  const parts = fields.map(
    ([name, value]) => `${delimiter}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  return Buffer.from(`${parts.join('')}${delimiter}--\r\n`, 'utf8');
}

describe('readWebhook — every §5.6 vector', () => {
  for (const v of VECTORS) {
    const name = v.expect.event as string;
    it(`accepts ${name} with its golden Signature and types it`, () => {
      const result = post(v.body, { Signature: v.signature }, { ipPolicy: compileIpPolicy() });
      expect(result.kind).toBe('event');
      expect(result.kind === 'event' && result.event).toMatchObject(v.expect);
    });

    it(`refuses ${name} when one signed character changes`, () => {
      const field = SIGNED_FIELDS[name as SignedEventName].find((f) => v.body.includes(`&${f}=`)) as string;
      const tampered = v.body.replace(`&${field}=`, `&${field}=9`);
      expect(tampered).not.toBe(v.body);
      expect(post(tampered, { Signature: v.signature })).toMatchObject({
        kind: 'rejected',
        status: 403,
        reason: 'bad_signature',
      });
    });
  }
});

describe('readWebhook — order of checks and failure modes', () => {
  const start = VECTORS[0] as (typeof VECTORS)[number];

  it('answers zd_echo on GET before the IP check, without a signature', () => {
    const result = readWebhook({
      method: 'GET',
      query: '?zd_echo=abc123',
      headers: {},
      secret: SECRET,
      remoteAddress: '203.0.113.9',
      ipPolicy: compileIpPolicy(),
    });
    expect(result).toEqual({ kind: 'echo', echo: 'abc123', bytes: Buffer.from('abc123') });
  });

  it('answers zd_echo from a parsed query object and from a POST body', () => {
    expect(readWebhook({ method: 'GET', query: { zd_echo: 'tok' }, headers: {}, secret: '' })).toEqual({
      kind: 'echo',
      echo: 'tok',
      bytes: Buffer.from('tok'),
    });
    expect(post('zd_echo=from+body', {}, { remoteAddress: '203.0.113.9', ipPolicy: {} })).toEqual({
      kind: 'echo',
      echo: 'from body',
      bytes: Buffer.from('from body'),
    });
  });

  it('sends the echo back as plain text so a hostile token cannot become HTML', () => {
    expect(echoResponse('<script>')).toEqual({
      status: 200,
      headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' },
      body: '<script>',
    });
  });

  it('refuses a correctly signed event from an address outside the allow-list', () => {
    const result = post(
      start.body,
      { Signature: start.signature },
      {
        remoteAddress: '203.0.113.9',
        ipPolicy: { allow: ['185.45.152.40/30'] },
      },
    );
    expect(result).toMatchObject({ kind: 'rejected', status: 403, reason: 'ip_not_allowed' });
  });

  it('refuses a forged X-Forwarded-For unless the socket is a trusted proxy', () => {
    const headers = { Signature: start.signature, 'X-Forwarded-For': ZADARMA_IP };
    expect(post(start.body, headers, { remoteAddress: '203.0.113.9', ipPolicy: {} })).toMatchObject({
      reason: 'ip_not_allowed',
    });
    expect(
      post(start.body, headers, { remoteAddress: '127.0.0.1', ipPolicy: { trustedProxies: ['127.0.0.1'] } })
        .kind,
    ).toBe('event');
  });

  it('joins repeated X-Forwarded-For headers behind a trusted proxy', () => {
    const result = readWebhook({
      method: 'POST',
      headers: { signature: start.signature, 'x-forwarded-for': ['203.0.113.9', ZADARMA_IP] },
      body: Buffer.from(start.body),
      contentType: FORM,
      secret: SECRET,
      remoteAddress: '10.0.0.1',
      ipPolicy: compileIpPolicy({ trustedProxies: ['10.0.0.0/8'] }),
    });
    expect(result.kind).toBe('event');
  });

  it('finds the Signature header whatever its case, and in a Fetch Headers object', () => {
    expect(post(start.body, { signature: start.signature }).kind).toBe('event');
    expect(post(start.body, { SIGNATURE: start.signature }).kind).toBe('event');
    expect(headerValue(new Headers({ Signature: 'x' }), 'signature')).toBe('x');
  });

  it('fails closed: missing, empty, repeated or raw-digest signatures, and an empty secret', () => {
    expect(post(start.body, {})).toMatchObject({ status: 403, reason: 'missing_signature' });
    expect(post(start.body, { Signature: '' })).toMatchObject({ status: 403, reason: 'missing_signature' });
    expect(
      readWebhook({
        method: 'POST',
        headers: { signature: [start.signature, start.signature] },
        body: Buffer.from(start.body),
        contentType: FORM,
        secret: SECRET,
      }),
    ).toMatchObject({ status: 403, reason: 'missing_signature' });
    expect(post(start.body, { Signature: 'Da+SqiCCcmYf4VMTVfqwuJbWSuw=' })).toMatchObject({
      reason: 'bad_signature',
    });
    expect(post(start.body, { Signature: start.signature }, { secret: '' })).toMatchObject({
      status: 403,
      reason: 'no_secret',
    });
  });

  it('counts a missing signed field as empty, like PHP (NOTIFY_OUT_START without internal)', () => {
    const v = VECTORS[5] as (typeof VECTORS)[number];
    expect(post(v.body, { Signature: v.signature }).kind).toBe('event');
  });

  it('refuses an unknown event by default and reports it only when asked', () => {
    const body = 'event=NOTIFY_FUTURE&foo=bar';
    expect(post(body, { Signature: 'x' })).toMatchObject({ status: 403, reason: 'unknown_event' });
    expect(post(body, {}, { unknownEvents: 'report' })).toEqual({
      kind: 'unknown',
      event: 'NOTIFY_FUTURE',
      fields: { event: 'NOTIFY_FUTURE', foo: 'bar' },
    });
  });

  it('keeps extra fields Zadarma adds', () => {
    const result = post(`${start.body}&calltype=normal&brand_new=1`, { Signature: start.signature });
    expect(result.kind === 'event' && result.event).toMatchObject({ calltype: 'normal', brand_new: '1' });
  });

  it('answers 400 for malformed signed bodies with a reason, never throwing', () => {
    const signed = { Signature: start.signature };
    expect(post(start.body, signed, { contentType: 'application/json' })).toMatchObject({
      status: 400,
      reason: 'unsupported_content_type',
    });
    expect(post('', {})).toMatchObject({ status: 400, reason: 'missing_event' });
    expect(post('foo=bar', signed)).toMatchObject({ status: 400, reason: 'missing_event' });
    expect(post('x', signed, { contentType: 'multipart/form-data' })).toMatchObject({
      status: 400,
      reason: 'malformed_body',
    });
    expect(
      post('--b\r\nContent-Disposition: form-data; name="event"\r\n\r\nSMS', signed, {
        contentType: 'multipart/form-data; boundary=b',
      }),
    ).toMatchObject({ status: 400, reason: 'malformed_body' });
    expect(readWebhook({ method: 'PUT', headers: {}, secret: SECRET })).toMatchObject({
      status: 400,
      reason: 'unsupported_method',
    });
    expect(readWebhook({ method: 'GET', headers: {}, secret: SECRET })).toMatchObject({ status: 400 });
  });

  it('answers 400 for a signed event whose fields do not fit its schema', () => {
    const fields = { event: 'NOTIFY_RECORD', pbx_call_id: IN };
    const body = `event=NOTIFY_RECORD&pbx_call_id=${IN}&call_id_with_rec%5Bx%5D=1`;
    expect(post(body, { Signature: webhookSignature(fields, SECRET) })).toMatchObject({
      status: 400,
      reason: 'invalid_fields',
    });
    const sms = { event: 'SMS', result: '{not json' };
    expect(post('event=SMS&result=%7Bnot+json', { Signature: webhookSignature(sms, SECRET) })).toMatchObject({
      status: 400,
      reason: 'invalid_result_json',
    });
  });

  it('refuses a forged body before looking at its schema (403, not 400)', () => {
    expect(post('event=NOTIFY_RECORD', { Signature: 'forged' })).toMatchObject({ status: 403 });
  });

  it('reads Zadarma multipart bodies with the extra -- in the delimiter', () => {
    const body = zadarmaMultipart(
      [
        ['event', 'NOTIFY_IVR'],
        ['call_start', '2024-05-14 10:15:30'],
        ['pbx_call_id', IN],
        ['caller_id', '442037691880'],
        ['called_did', '442037691999'],
        ['wait_dtmf[name]', 'main_menu'],
        ['wait_dtmf[digits]', '2'],
      ],
      'zdBoundary42',
    );
    const result = readWebhook({
      method: 'POST',
      headers: { Signature: START_SIG },
      body,
      contentType: 'multipart/form-data; boundary=zdBoundary42',
      secret: SECRET,
    });
    expect(result.kind === 'event' && result.event).toMatchObject({
      event: 'NOTIFY_IVR',
      wait_dtmf: { name: 'main_menu', digits: '2' },
    });
  });
});

describe('readWebhook — hostile input is refused cheaply', () => {
  const start = VECTORS[0] as (typeof VECTORS)[number];

  it('refuses an unsigned POST without decoding its body', () => {
    const body = Buffer.from(`${start.body}&${'a[]&'.repeat(16 * 1024)}`);
    const decode = vi.spyOn(body, 'toString');
    const subarray = vi.spyOn(body, 'subarray');
    expect(readWebhook({ method: 'POST', headers: {}, body, contentType: FORM, secret: SECRET })).toEqual({
      kind: 'rejected',
      status: 403,
      reason: 'missing_signature',
      message: 'the notification arrived without a Signature header',
    });
    expect(decode).not.toHaveBeenCalled();
    expect(subarray).not.toHaveBeenCalled();
  });

  it('refuses a signed body past a limit with that limit as the reason', () => {
    const signed = { Signature: start.signature };
    expect(post(`${start.body}&${'a[]&'.repeat(16 * 1024)}`, signed)).toMatchObject({
      status: 400,
      reason: 'too_many_fields',
    });
    expect(post(`${start.body}&a${'[x]'.repeat(9)}=1`, signed)).toMatchObject({
      status: 400,
      reason: 'too_deep',
    });
    expect(post(start.body, signed, { limits: { maxFields: 4 } })).toMatchObject({
      reason: 'too_many_fields',
    });
    expect(
      readWebhook({ method: 'GET', query: 'x&'.repeat(1001), headers: {}, secret: SECRET }),
    ).toMatchObject({ status: 400, reason: 'too_many_fields' });
  });

  it('looks for zd_echo only in a small POST body', () => {
    expect(post('zd_echo=tok', {})).toMatchObject({ kind: 'echo', echo: 'tok' });
    const big = `zd_echo=tok&pad=${'x'.repeat(ECHO_BODY_LIMIT)}`;
    expect(post(big, {})).toMatchObject({ kind: 'rejected', reason: 'missing_signature' });
  });

  it('echoes an invalid UTF-8 zd_echo byte for byte, from the query and from a body', () => {
    const query = readWebhook({ method: 'GET', query: '?zd_echo=%FF%FEa%00', headers: {}, secret: SECRET });
    expect(query.kind === 'echo' && [...query.bytes]).toEqual([0xff, 0xfe, 0x61, 0x00]);
    const body = post('zd_echo=%C3%28', {});
    expect(body.kind === 'echo' && [...body.bytes]).toEqual([0xc3, 0x28]);
    expect(query.kind === 'echo' && echoResponse(query.bytes).body).toEqual(
      Buffer.from([0xff, 0xfe, 0x61, 0]),
    );
  });

  it('hands back the decoded (unverified) fields of a refused body it did decode', () => {
    const result = post(start.body, { Signature: 'forged' });
    expect(result).toMatchObject({
      kind: 'rejected',
      reason: 'bad_signature',
      fields: { event: 'NOTIFY_START', pbx_call_id: IN },
    });
  });
});

describe('readWebhook — secret rotation', () => {
  const start = VECTORS[0] as (typeof VECTORS)[number];
  const NEW_SECRET = 'a1b2c3d4e5f60718293a';

  it('says which secret verified the event: current, else the previous one during its grace', () => {
    expect(post(start.body, { Signature: start.signature })).toMatchObject({
      kind: 'event',
      secretUsed: 'current',
    });
    expect(
      post(start.body, { Signature: start.signature }, { secret: NEW_SECRET, previousSecret: SECRET }),
    ).toMatchObject({ kind: 'event', secretUsed: 'previous' });
    const fields = {
      event: 'NOTIFY_START',
      caller_id: '442037691880',
      called_did: '442037691999',
      call_start: '2024-05-14 10:15:30',
    };
    const signedWithNew = webhookSignature(fields, NEW_SECRET);
    expect(
      post(start.body, { Signature: signedWithNew }, { secret: NEW_SECRET, previousSecret: SECRET }),
    ).toMatchObject({ kind: 'event', secretUsed: 'current' });
  });

  it('refuses a signature that matches neither secret, and accepts no previous secret when none is given', () => {
    expect(
      post(start.body, { Signature: start.signature }, { secret: NEW_SECRET, previousSecret: 'other' }),
    ).toMatchObject({ kind: 'rejected', reason: 'bad_signature' });
    expect(post(start.body, { Signature: start.signature }, { secret: NEW_SECRET })).toMatchObject({
      reason: 'bad_signature',
    });
    expect(
      post(start.body, { Signature: start.signature }, { secret: NEW_SECRET, previousSecret: '' }),
    ).toMatchObject({ reason: 'bad_signature' });
  });
});

describe('parseWebhookBody / parseWebhookEvent', () => {
  it('keeps raw decoded values: no trimming, + decoded as space, %2B as plus', () => {
    const parsed = parseWebhookBody(Buffer.from('event=SMS&a=+x+&b=%2B1'), FORM);
    expect(parsed).toEqual({ ok: true, fields: { event: 'SMS', a: ' x ', b: '+1' }, files: [] });
  });

  it('reports an event name it does not know instead of throwing', () => {
    expect(parseWebhookEvent({ event: 'X', a: '1' })).toEqual({
      ok: true,
      kind: 'unknown',
      event: 'X',
      fields: { event: 'X', a: '1' },
    });
  });

  it('names the missing field of a known event', () => {
    const parsed = parseWebhookEvent({ event: 'NOTIFY_START', caller_id: '1' });
    expect(parsed).toMatchObject({ ok: false, code: 'invalid_fields' });
    expect(!parsed.ok && parsed.message).toMatch(/call_start/);
  });
});

describe('readWebhook never throws', () => {
  it('returns a result for arbitrary methods, queries, headers, bodies and content types', () => {
    const bodyText = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.constantFrom(...VECTORS.map((v) => v.body)),
      fc
        .array(fc.tuple(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 })), { maxLength: 6 })
        .map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&')),
    );
    fc.assert(
      fc.property(
        fc.constantFrom('GET', 'POST', 'post', 'PUT', ''),
        fc.option(fc.string({ maxLength: 30 }), { nil: undefined }),
        fc.dictionary(
          fc.constantFrom('signature', 'Signature', 'x-forwarded-for', 'x'),
          fc.string({ maxLength: 60 }),
        ),
        bodyText,
        fc.constantFrom(
          FORM,
          'multipart/form-data; boundary=b',
          'multipart/form-data',
          'text/plain',
          undefined,
        ),
        fc.option(fc.oneof(fc.ipV4(), fc.ipV6(), fc.string({ maxLength: 10 })), { nil: undefined }),
        (method, query, headers, body, contentType, remoteAddress) => {
          const result = readWebhook({
            method,
            query,
            headers,
            body: Buffer.from(body),
            contentType,
            secret: SECRET,
            remoteAddress,
            ipPolicy: compileIpPolicy({ trustedProxies: ['0.0.0.0/0'] }),
            unknownEvents: 'report',
          });
          expect(['echo', 'event', 'unknown', 'rejected']).toContain(result.kind);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
