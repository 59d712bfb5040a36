import { describe, expect, it } from 'vitest';
import { canonicalQuery, type QueryParams } from './php-query.js';
import {
  authorizationHeader,
  parseAuthorizationHeader,
  signRequest,
  verifyRequestSignature,
} from './signing.js';

const KEY = 'a0b1c2d3e4f5a6b7c8d9';
const SECRET = 'f0e1d2c3b4a5968778f9';

/** docs/zadarma-protocol.md §2.6 — checked against PHP's own http_build_query. */
const VECTORS: { id: string; path: string; params: QueryParams; q: string; header: string }[] = [
  {
    id: 'A1',
    path: '/v1/info/balance/',
    params: { format: 'json' },
    q: 'format=json',
    header: 'NTEyMjBmOWIwMjFlMjEzYmUzOGIwYzMyNmVmNDFlZjE3OGYyYjNiZg==',
  },
  {
    id: 'A2',
    path: '/v1/info/balance/',
    params: {},
    q: '',
    header: 'MTJlNDJhZTU1YTY2NzJkZWYxM2UwMGY1MWU0NzUxYzgzYjlmNGNmMQ==',
  },
  {
    id: 'A3',
    path: '/v1/request/callback/',
    params: { from: '100', to: '+442037691881', sip: '100', predicted: 'predicted', format: 'json' },
    q: 'format=json&from=100&predicted=predicted&sip=100&to=%2B442037691881',
    header: 'NTQyMTQyNDIwMTk3NTgyMTIxMmRhOTliYTg2NDZjMjYzZjRmZTgxYg==',
  },
  {
    id: 'A4',
    path: '/v1/statistics/pbx/',
    params: {
      start: '2024-05-01 00:00:00',
      end: '2024-05-31 23:59:59',
      version: 2,
      call_type: 'in',
      format: 'json',
    },
    q: 'call_type=in&end=2024-05-31+23%3A59%3A59&format=json&start=2024-05-01+00%3A00%3A00&version=2',
    header: 'M2ExY2M0NGY3MDViZTZmYTc0OWY0N2VlMTAzNWZmNjQxMTkwZWU3Mg==',
  },
  {
    id: 'A5',
    path: '/v1/pbx/record/request/',
    params: { pbx_call_id: 'in_ae6b03b3b0765d127ec0b739209346bbc4f0d52d', lifetime: 5184000, format: 'json' },
    q: 'format=json&lifetime=5184000&pbx_call_id=in_ae6b03b3b0765d127ec0b739209346bbc4f0d52d',
    header: 'ZjUzMGI5Y2QxMjYzZGQ2NGJjMmQxNjg2MjM3OGZkYTc5MzllMjk2MQ==',
  },
  {
    id: 'A6',
    path: '/v1/pbx/internal/100/status/',
    params: { format: 'json' },
    q: 'format=json',
    header: 'NTkxYTcwYzhiYjQ0MGIwYjUyNjNjOGM0NTk4NWZhYTc2NmNkNTc5NA==',
  },
  {
    id: 'A7',
    path: '/v1/sms/send/',
    params: {
      number: '442037691880',
      message: "Hi! It's a (test) *call* ~ ok",
      sender: 'MyCompany',
      format: 'json',
    },
    q: 'format=json&message=Hi%21+It%27s+a+%28test%29+%2Acall%2A+%7E+ok&number=442037691880&sender=MyCompany',
    header: 'NDg0MGVjOGQ2MjUxNzRiNmI2YTg0ZmJlNzRhN2JmYzBhZTc4ZjhhNA==',
  },
  {
    id: 'A8',
    path: '/v1/sms/send/',
    params: { number: '380501234567', message: 'Привіт, світ', format: 'json' },
    q: 'format=json&message=%D0%9F%D1%80%D0%B8%D0%B2%D1%96%D1%82%2C+%D1%81%D0%B2%D1%96%D1%82&number=380501234567',
    header: 'YTgwOWNkODIwOTkzMDA5YTc0MzM3ODExM2NiYjE4MTcyNmEzYWE2Mg==',
  },
  {
    id: 'A9',
    path: '/v1/sip/callerid/',
    params: { id: '00001', number: '442037691880', format: 'json' },
    q: 'format=json&id=00001&number=442037691880',
    header: 'N2Q1ZjU5YzdmMDIwYjlmMGUwODc4NDk5ZjdiNjBiYzZkOTYyZTMxMw==',
  },
  {
    id: 'A10',
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
    q: 'condition=noanswer&destination=442037691880&format=json&pbx_number=100&set_caller_id=off&status=on&type=phone',
    header: 'NzQzZDcxOGM5OTM1YzgwZTc5NmQ3MjcyNWI0YmMyNTNkMmE5NjY2ZA==',
  },
  {
    id: 'A11',
    path: '/v1/pbx/record/request/',
    params: { call_id: '1-1458313316.343456-100-2016-01-11-100155', format: 'json' },
    q: 'call_id=1-1458313316.343456-100-2016-01-11-100155&format=json',
    header: 'ZTE0ODJjZGNlY2IyNDI5NjI0MDRiYjc5MDRkZjY0MWMwZTRlNDczYg==',
  },
  {
    id: 'A12',
    path: '/v1/info/number_lookup/',
    params: { numbers: ['442037691880', '442037691881'], format: 'json' },
    q: 'format=json&numbers%5B0%5D=442037691880&numbers%5B1%5D=442037691881',
    header: 'OGQwMjk1YTZhZTIxOWI4M2Q0YzA4M2ZjMDU1ODdiYmZjYmVjODY5MA==',
  },
  {
    id: 'A13',
    path: '/v1/zcrm/leads',
    params: {
      convert: 0,
      lead: { name: 'Good Company', phones: [{ type: 'work', phone: '+44123456789' }] },
      format: 'json',
    },
    q: 'convert=0&format=json&lead%5Bname%5D=Good+Company&lead%5Bphones%5D%5B0%5D%5Btype%5D=work&lead%5Bphones%5D%5B0%5D%5Bphone%5D=%2B44123456789',
    header: 'ZmVmOTQ5MWRmOGEzZjQyZTEyOWQ3YWQyYzNhNjZmNjFiNWYwYjA1MQ==',
  },
];

describe('API request signing — docs/zadarma-protocol.md §2.6 golden vectors', () => {
  for (const v of VECTORS) {
    it(`${v.id}: canonical string and Authorization header for ${v.path}`, () => {
      expect(canonicalQuery(v.params)).toBe(v.q);
      const signature = signRequest({ path: v.path, params: v.params, secret: SECRET });
      expect(signature).toHaveLength(56);
      expect(authorizationHeader(KEY, signature)).toBe(`${KEY}:${v.header}`);
      expect(
        verifyRequestSignature({ path: v.path, params: v.params, secret: SECRET, provided: v.header }),
      ).toBe(true);
    });
  }

  it('refuses a signature when one character of a parameter changes', () => {
    const params = { from: '100', to: '+442037691882', sip: '100', predicted: 'predicted', format: 'json' };
    const provided = VECTORS[2]!.header;
    expect(verifyRequestSignature({ path: '/v1/request/callback/', params, secret: SECRET, provided })).toBe(
      false,
    );
  });

  it('refuses a signature made for another path (trailing slash included)', () => {
    const provided = VECTORS[0]!.header;
    expect(
      verifyRequestSignature({
        path: '/v1/info/balance',
        params: { format: 'json' },
        secret: SECRET,
        provided,
      }),
    ).toBe(false);
  });

  it('splits an Authorization header at the first colon', () => {
    expect(parseAuthorizationHeader(`${KEY}:${VECTORS[0]!.header}`)).toEqual({
      key: KEY,
      signature: VECTORS[0]!.header,
    });
    expect(parseAuthorizationHeader('no-colon')).toBeNull();
    expect(parseAuthorizationHeader(':sig')).toBeNull();
  });
});
