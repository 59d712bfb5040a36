import { request } from 'node:http';
import { ZadarmaClient } from '@switchboard/zadarma';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildQuery, callApi, sign } from '../../test/independent-zadarma.js';
import { createSimulator, type Simulator } from '../simulator.js';

const creds = { key: 'a0b1c2d3e4f5a6b7c8d9', secret: 'f0e1d2c3b4a5968778f9' };
let sim: Simulator;

beforeAll(async () => {
  sim = await createSimulator({ ...creds, rateLimits: false });
});
afterAll(async () => {
  await sim.close();
});

describe('independent signer', () => {
  it('reproduces the docs/zadarma-protocol.md §2.6 vectors A1, A4 and A7', () => {
    expect(sign('/v1/info/balance/', { format: 'json' }, creds.secret)).toBe(
      'NTEyMjBmOWIwMjFlMjEzYmUzOGIwYzMyNmVmNDFlZjE3OGYyYjNiZg==',
    );
    expect(
      sign(
        '/v1/statistics/pbx/',
        {
          start: '2024-05-01 00:00:00',
          end: '2024-05-31 23:59:59',
          version: '2',
          call_type: 'in',
          format: 'json',
        },
        creds.secret,
      ),
    ).toBe('M2ExY2M0NGY3MDViZTZmYTc0OWY0N2VlMTAzNWZmNjQxMTkwZWU3Mg==');
    expect(
      buildQuery({
        number: '442037691880',
        message: "Hi! It's a (test) *call* ~ ok",
        sender: 'MyCompany',
        format: 'json',
      }),
    ).toBe(
      'format=json&message=Hi%21+It%27s+a+%28test%29+%2Acall%2A+%7E+ok&number=442037691880&sender=MyCompany',
    );
  });
});

describe('REST authentication', () => {
  it('accepts a GET signed by an independent implementation, query sent unsorted', async () => {
    const res = await callApi(sim.url, creds, 'GET', '/v1/info/balance/');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'success', balance: 100, currency: 'USD' });
  });

  it('accepts the path without its trailing slash when it was signed that way', async () => {
    const res = await callApi(sim.url, creds, 'GET', '/v1/info/balance');
    expect(res.status).toBe(200);
  });

  it('refuses a signature made over another form of the path', async () => {
    const res = await callApi(
      sim.url,
      creds,
      'GET',
      '/v1/info/balance',
      {},
      { signPath: '/v1/info/balance/' },
    );
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ status: 'error', message: 'Not authorized' });
  });

  it('accepts a GET with no parameters at all (vector A2 style)', async () => {
    const signature = sign('/v1/info/timezone/', {}, creds.secret);
    const res = await fetch(`${sim.url}/v1/info/timezone/`, {
      headers: { Authorization: `${creds.key}:${signature}` },
    });
    expect(res.status).toBe(200);
  });

  it('accepts POST form bodies with characters PHP encodes specially (*, ~, UTF-8)', async () => {
    const res = await callApi(sim.url, creds, 'POST', '/v1/sms/send/', {
      number: '442037691880',
      message: "Hi! It's a (test) *call* ~ ok — Привіт",
      sender: 'MyCompany',
    });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('success');
  });

  it('accepts PUT and DELETE bodies', async () => {
    const put = await callApi(sim.url, creds, 'PUT', '/v1/sip/callerid/', {
      id: '00001',
      number: '442037691999',
    });
    expect(put.status).toBe(200);
    const del = await callApi(sim.url, creds, 'DELETE', '/v1/pbx/callinfo/url/');
    expect(del.body).toEqual({ status: 'success', url: '' });
  });

  it('accepts multipart bodies, signing only the scalar parts', async () => {
    const params = {
      pbx_number: '101',
      status: 'on',
      type: 'voicemail',
      destination: 'a@b.c',
      condition: 'always',
      format: 'json',
    };
    const form = new FormData();
    for (const [k, v] of Object.entries(params)) {
      form.append(k, v);
    }
    form.append('greeting_file', new Blob([Buffer.from('RIFF')], { type: 'audio/wav' }), 'hello.wav');
    const res = await fetch(`${sim.url}/v1/pbx/redirection/`, {
      method: 'POST',
      headers: { Authorization: `${creds.key}:${sign('/v1/pbx/redirection/', params, creds.secret)}` },
      body: form,
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as Record<string, unknown>).current_status).toBe('on');
  });

  it('refuses a one-character change in any parameter value or name', async () => {
    const params = {
      start: '2024-05-01 00:00:00',
      end: '2024-05-31 23:59:59',
      version: '2',
      call_type: 'in',
    };
    const signed = { ...params, format: 'json' };
    for (const key of Object.keys(signed) as (keyof typeof signed)[]) {
      const tampered = { ...signed, [key]: `${signed[key]}x` };
      const res = await callApi(sim.url, creds, 'GET', '/v1/statistics/pbx/', tampered, {
        signParams: signed,
      });
      expect(res.status, `changing ${key}`).toBe(401);
      const renamed: Record<string, string> = { ...signed };
      delete renamed[key];
      renamed[`${key}_`] = signed[key];
      const res2 = await callApi(sim.url, creds, 'GET', '/v1/statistics/pbx/', renamed, {
        signParams: signed,
      });
      expect(res2.status, `renaming ${key}`).toBe(401);
    }
  });

  it('refuses a missing header, an unknown key, a wrong secret and a header with a space', async () => {
    const noHeader = await fetch(`${sim.url}/v1/info/balance/?format=json`);
    expect(noHeader.status).toBe(401);
    const badKey = await callApi(
      sim.url,
      creds,
      'GET',
      '/v1/info/balance/',
      {},
      { authorization: `nobody:${sign('/v1/info/balance/', { format: 'json' }, creds.secret)}` },
    );
    expect(badKey.status).toBe(401);
    const badSecret = await callApi(sim.url, { ...creds, secret: 'other' }, 'GET', '/v1/info/balance/');
    expect(badSecret.status).toBe(401);
    expect(badSecret.body).toEqual({ status: 'error', message: 'Not authorized' });
  });

  it('answers an unknown method with the error envelope', async () => {
    const res = await callApi(sim.url, creds, 'GET', '/v1/no/such/method/');
    expect(res.status).toBe(404);
    expect(res.body.status).toBe('error');
    expect(res.body.message).toContain('/v1/no/such/method/');
  });

  it('answers a missing parameter with 400 naming it', async () => {
    const res = await callApi(sim.url, creds, 'GET', '/v1/info/price/');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ status: 'error', message: "Wrong parameter 'number': is required" });
  });
});

/** POSTs raw bytes with exactly the headers given: `fetch` would add a Content-Type to a string body. */
function postRaw(
  path: string,
  body: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${sim.url}${path}`,
      { method: 'POST', headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          text += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('REST bodies PHP does not read into $_POST', () => {
  const sms = { number: '442037691880', message: 'Hello', format: 'json' };
  const form = buildQuery(sms, false);
  const signedAuth = `${creds.key}:${sign('/v1/sms/send/', sms, creds.secret)}`;

  it('the same signed form body is accepted with its urlencoded Content-Type (control)', async () => {
    const res = await postRaw('/v1/sms/send/', form, {
      Authorization: signedAuth,
      'Content-Type': 'application/x-www-form-urlencoded; charset=UTF-8',
    });
    expect(res.status).toBe(200);
  });

  it("refuses a signed form body sent without a Content-Type: 401 in Zadarma's envelope", async () => {
    const res = await postRaw('/v1/sms/send/', form, { Authorization: signedAuth });
    expect(res).toEqual({ status: 401, body: { status: 'error', message: 'Not authorized' } });
  });

  it('refuses it with a Content-Type that is not a form (text/plain, application/json)', async () => {
    for (const type of ['text/plain', 'application/json']) {
      const res = await postRaw('/v1/sms/send/', form, { Authorization: signedAuth, 'Content-Type': type });
      expect(res.status, type).toBe(401);
    }
  });

  it('signed over no parameters, the body is still unread: the parameters are missing (400)', async () => {
    const auth = `${creds.key}:${sign('/v1/sms/send/', {}, creds.secret)}`;
    const res = await postRaw('/v1/sms/send/', form, { Authorization: auth });
    expect(res).toEqual({
      status: 400,
      body: { status: 'error', message: "Wrong parameter 'number': is required" },
    });
  });

  it("the SDK's own client labels every body it sends, so its POST, PUT and DELETE calls pass", async () => {
    const own = await createSimulator({ ...creds, rateLimits: false });
    try {
      const sent: (string | null)[] = [];
      const client = new ZadarmaClient({
        ...creds,
        baseUrl: own.url,
        retry: false,
        fetch: (input, init) => {
          if (init?.body !== undefined) {
            sent.push(new Headers(init.headers).get('content-type'));
          }
          return fetch(input, init);
        },
      });
      await client.sendSms({ number: '442037691880', message: 'Hello' });
      await client.setSipCallerId({ id: '00001', number: '442037691999' });
      await client.deleteCallInfoUrl();
      expect(sent).toEqual(Array(3).fill('application/x-www-form-urlencoded'));
    } finally {
      await own.close();
    }
  });

  it('the request log says why the body was not read', async () => {
    await postRaw('/v1/sms/send/', form, { Authorization: signedAuth });
    const log = (await (await fetch(`${sim.url}/_sim/requests`)).json()) as { note?: string }[];
    expect(log.at(-1)?.note).toBe(
      'body not read: Content-Type missing (PHP reads only application/x-www-form-urlencoded and multipart/form-data)',
    );
  });
});

describe('REST authentication, any parameters', () => {
  const params = fc.dictionary(
    fc.stringMatching(/^[a-z_]{1,8}$/).filter((k) => k !== 'format'),
    fc.string({ unit: 'grapheme', maxLength: 12 }),
    { minKeys: 1, maxKeys: 4 },
  );

  it('accepts what an independent signer signs and refuses a one-character change, GET and POST', async () => {
    await fc.assert(
      fc.asyncProperty(params, fc.constantFrom('GET', 'POST'), fc.nat(), async (p, method, pick) => {
        // The method path does not matter for authentication; an unknown one answers 404 once authenticated.
        const ok = await callApi(sim.url, creds, method as 'GET' | 'POST', '/v1/prop/check/', p);
        expect(ok.status).toBe(404);
        const keys = Object.keys(p);
        const key = keys[pick % keys.length] as string;
        const value = p[key] as string;
        const chars = [...value];
        const at = chars.length === 0 ? 0 : pick % chars.length;
        const changed =
          chars.length === 0
            ? 'x'
            : [...chars.slice(0, at), chars[at] === 'a' ? 'b' : 'a', ...chars.slice(at + 1)].join('');
        const signed = { ...p, format: 'json' };
        const bad = await callApi(
          sim.url,
          creds,
          method as 'GET' | 'POST',
          '/v1/prop/check/',
          { ...p, [key]: changed },
          { signParams: signed },
        );
        expect(bad.status).toBe(401);
      }),
      { numRuns: 60 },
    );
  });
});

describe('rate limits', () => {
  it('answers 429 with the documented body after 3 statistics requests a minute, per key', async () => {
    const limited = await createSimulator({ ...creds, rateLimits: { general: 5, statistics: 3 } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        statuses.push(
          (await callApi(limited.url, creds, 'GET', '/v1/statistics/pbx/', { version: '2' })).status,
        );
      }
      expect(statuses).toEqual([200, 200, 200, 429]);
      const res = await callApi(limited.url, creds, 'GET', '/v1/statistics/pbx/', { version: '2' });
      expect(res.body).toEqual({ status: 'error', message: 'You exceeded the rate limit' });
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      // General limit 5: three statistics calls counted, two more pass, the next is refused.
      expect((await callApi(limited.url, creds, 'GET', '/v1/info/balance/')).status).toBe(200);
      expect((await callApi(limited.url, creds, 'GET', '/v1/info/balance/')).status).toBe(200);
      expect((await callApi(limited.url, creds, 'GET', '/v1/info/balance/')).status).toBe(429);
    } finally {
      await limited.close();
    }
  });
});
