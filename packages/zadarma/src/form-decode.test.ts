import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeComponentBytes,
  decodeMultipart,
  decodeUrlEncoded,
  decodeUrlEncodedFields,
  FormDecodeError,
  FormLimitError,
  foldFields,
  multipartBoundary,
  multipartValueBytes,
  phpArrayToObject,
  urlEncodedValueBytes,
} from './form-decode.js';
import { signRequest } from './signing.js';

const SECRET = 'f0e1d2c3b4a5968778f9';

interface Part {
  readonly name: string;
  readonly value: string | Buffer;
  readonly filename?: string;
  readonly type?: string;
}

/** Builds a multipart body; `extraDashes` reproduces Zadarma's delimiter quirk (docs/zadarma-protocol.md §5.3). */
function multipart(parts: readonly Part[], boundary: string, extraDashes = false): Buffer {
  const delimiter = `${extraDashes ? '----' : '--'}${boundary}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    let head = `${delimiter}\r\nContent-Disposition: form-data; name="${p.name}"`;
    if (p.filename !== undefined) {
      head += `; filename="${p.filename}"\r\nContent-Type: ${p.type ?? 'application/octet-stream'}`;
    }
    chunks.push(Buffer.from(`${head}\r\n\r\n`, 'utf8'), Buffer.from(p.value), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`${delimiter}--\r\n`));
  return Buffer.concat(chunks);
}

describe('decodeMultipart', () => {
  const fields: Part[] = [
    { name: 'event', value: 'NOTIFY_START' },
    { name: 'call_start', value: '2024-05-14 10:15:30' },
    { name: 'caller_id', value: '+442037691880' },
  ];

  it('reads a standard body', () => {
    const body = multipart(fields, 'abc123');
    expect(decodeMultipart(body, 'multipart/form-data; boundary=abc123')).toEqual({
      fields: fields.map(({ name, value }) => ({ name, value })),
      files: [],
    });
  });

  it('reads Zadarma bodies whose delimiter carries an extra -- compared to the header', () => {
    const body = multipart(fields, 'abc123', true);
    expect(decodeMultipart(body, 'multipart/form-data; boundary=abc123').fields).toHaveLength(3);
    expect(decodeMultipart(body, 'multipart/form-data; boundary="abc123"').fields[2]).toEqual({
      name: 'caller_id',
      value: '+442037691880',
    });
  });

  it('keeps UTF-8 names and values and values with CRLF or dashes inside', () => {
    const parts = [
      { name: 'message', value: 'Привіт,\r\n--світ--' },
      { name: 'имя', value: '😀' },
    ];
    const decoded = decodeMultipart(multipart(parts, 'b'), 'multipart/form-data; boundary=b');
    expect(decoded.fields).toEqual(parts);
  });

  it('returns file parts apart, byte for byte, and leaves them out of the signature', () => {
    const bytes = Buffer.from([0, 255, 13, 10, 45, 45, 1]);
    const parts: Part[] = [
      { name: 'pbx_number', value: '100' },
      { name: 'greeting_file', value: bytes, filename: 'hello.mp3', type: 'audio/mpeg' },
      { name: 'format', value: 'json' },
    ];
    const decoded = decodeMultipart(multipart(parts, 'XyZ'), 'multipart/form-data; boundary=XyZ');
    expect(decoded.files).toEqual([
      { name: 'greeting_file', filename: 'hello.mp3', contentType: 'audio/mpeg', data: bytes },
    ]);
    // PHP drops object values (CURLFile) before signing (docs/zadarma-protocol.md §2.2): only the scalar parts count.
    const signed = signRequest({
      path: '/v1/pbx/redirection/',
      params: foldFields(decoded.fields),
      secret: SECRET,
    });
    expect(signed).toBe(
      signRequest({
        path: '/v1/pbx/redirection/',
        params: { pbx_number: '100', format: 'json' },
        secret: SECRET,
      }),
    );
  });

  it('round-trips random fields, with or without the extra dashes', () => {
    const text = fc.string({ unit: 'binary', maxLength: 30 });
    const name = fc
      .string({ unit: 'binary', minLength: 1, maxLength: 10 })
      .filter((n) => !/["\\\r\n]/.test(n));
    fc.assert(
      fc.property(
        fc.array(fc.record({ name, value: text }), { maxLength: 6 }),
        fc.boolean(),
        (parts, dashes) => {
          const boundary = 'zadarmaBoundary7MA4YWxkTrZu0gW';
          const decoded = decodeMultipart(
            multipart(parts, boundary, dashes),
            `multipart/form-data; boundary=${boundary}`,
          );
          expect(decoded.fields).toEqual(parts);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('throws FormDecodeError naming what is wrong', () => {
    const body = multipart(fields, 'b');
    expect(() => decodeMultipart(body, 'multipart/form-data')).toThrow(/without a boundary/);
    expect(() => decodeMultipart(body, 'multipart/form-data; boundary=other')).toThrow(
      /does not contain its boundary/,
    );
    const cut = body.subarray(0, body.length - 8);
    expect(() => decodeMultipart(cut, 'multipart/form-data; boundary=b')).toThrow(FormDecodeError);
    const nameless = Buffer.from('--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b--\r\n');
    expect(() => decodeMultipart(nameless, 'multipart/form-data; boundary=b')).toThrow(
      /without a form-data name/,
    );
  });

  it('reads the boundary parameter, quoted or not', () => {
    expect(multipartBoundary('multipart/form-data; boundary=abc')).toBe('abc');
    expect(multipartBoundary('multipart/form-data; charset=utf-8; boundary="a b"')).toBe('a b');
    expect(multipartBoundary('multipart/form-data')).toBeNull();
  });
});

describe('decodeUrlEncoded', () => {
  it('decodes + as space and %2B as plus, without trimming', () => {
    expect(decodeUrlEncodedFields('a=+1+&b=%2B1&c&=v')).toEqual([
      { name: 'a', value: ' 1 ' },
      { name: 'b', value: '+1' },
      { name: 'c', value: '' },
      { name: '', value: 'v' },
    ]);
  });

  it('keeps a malformed percent sequence literally, as PHP urldecode does', () => {
    expect(decodeUrlEncoded('a=100%&b=%zz&c=%4').get('a')).toBe('100%');
    expect(phpArrayToObject(decodeUrlEncoded('a=100%&b=%zz&c=%4'))).toEqual({ a: '100%', b: '%zz', c: '%4' });
  });

  it('folds bracket keys like $_POST: nesting, [] appends, a repeated key keeps its place and last value', () => {
    const folded = decodeUrlEncoded('wait_dtmf%5Bname%5D=menu&n[]=a&n[]=b&x=1&wait_dtmf[digits]=2&x=3');
    expect(phpArrayToObject(folded)).toEqual({
      wait_dtmf: { name: 'menu', digits: '2' },
      n: { 0: 'a', 1: 'b' },
      x: '3',
    });
    expect([...folded.keys()]).toEqual(['wait_dtmf', 'n', 'x']);
  });
});

describe('form limits (hostile bodies cost little and are refused early)', () => {
  const flood = (bytes: number) => 'a[]&'.repeat(bytes / 4);

  it('refuses a 64 KB and a 512 KB body of a[] appends at the field limit instead of folding them', () => {
    for (const body of [flood(64 * 1024), flood(512 * 1024)]) {
      expect(() => decodeUrlEncoded(body)).toThrow(
        expect.objectContaining({ name: 'FormLimitError', code: 'too_many_fields' }),
      );
    }
  });

  it('keeps a next index per array, so appends follow PHP (largest integer key + 1) at any count', () => {
    const folded = decodeUrlEncoded('a[]=x&a[]=y&a[7]=z&a[]=w&a[k]=v&a[]=u&b[x]=1&b[]=2', {
      maxFields: 50_000,
    });
    expect(phpArrayToObject(folded)).toEqual({
      a: { 0: 'x', 1: 'y', 7: 'z', 8: 'w', k: 'v', 9: 'u' },
      b: { x: '1', 0: '2' },
    });
    const many = decodeUrlEncoded(flood(40_000 * 4), { maxFields: 50_000 }).get('a') as Map<string, string>;
    expect(many.size).toBe(40_000);
    expect(many.has('39999')).toBe(true);
  });

  it('accepts exactly 1000 fields (PHP max_input_vars) and refuses the 1001st', () => {
    const fields = (n: number) => Array.from({ length: n }, (_, i) => `k${i}=1`).join('&');
    expect(decodeUrlEncoded(fields(1000)).size).toBe(1000);
    expect(() => decodeUrlEncoded(fields(1001))).toThrow(FormLimitError);
    expect(() => foldFields(Array.from({ length: 1001 }, (_, i) => ({ name: `k${i}`, value: '' })))).toThrow(
      /more than 1000 fields/,
    );
  });

  it('refuses names nested deeper than 8 levels, and names or values past their length', () => {
    expect(decodeUrlEncoded(`a${'[x]'.repeat(8)}=1`).size).toBe(1);
    expect(() => decodeUrlEncoded(`a${'[x]'.repeat(9)}=1`)).toThrow(
      expect.objectContaining({ code: 'too_deep' }),
    );
    expect(() => decodeUrlEncoded(`a${'[]'.repeat(5000)}=1`)).toThrow(
      expect.objectContaining({ code: 'name_too_long' }),
    );
    expect(() => decodeUrlEncoded(`a=${'v'.repeat(11)}`, { maxValueLength: 10 })).toThrow(
      expect.objectContaining({ code: 'value_too_long' }),
    );
  });

  it('refuses a multipart body of more parts than the field limit', () => {
    const parts = Array.from({ length: 1001 }, (_, i) => ({ name: `p${i}`, value: 'v' }));
    expect(() => decodeMultipart(multipart(parts, 'b'), 'multipart/form-data; boundary=b')).toThrow(
      expect.objectContaining({ code: 'too_many_fields' }),
    );
    expect(
      decodeMultipart(multipart(parts.slice(0, 1000), 'b'), 'multipart/form-data; boundary=b').fields,
    ).toHaveLength(1000);
  });

  it('never lets a __proto__ key become the prototype of the decoded fields', () => {
    const fields = phpArrayToObject(decodeUrlEncoded('__proto__[event]=NOTIFY_START&x=1'));
    expect(Object.getPrototypeOf(fields)).toBe(Object.prototype);
    expect((fields as { event?: unknown }).event).toBeUndefined();
  });
});

describe('byte-level values (zd_echo goes back byte for byte)', () => {
  it('percent-decodes to the exact bytes, even when they are not UTF-8', () => {
    expect([...decodeComponentBytes('%FF%FE+a%zz%4')]).toEqual([
      0xff, 0xfe, 0x20, 0x61, 0x25, 0x7a, 0x7a, 0x25, 0x34,
    ]);
    expect(decodeComponentBytes('é😀').toString('utf8')).toBe('é😀');
  });

  it('finds one value of a urlencoded string: the last one, none for an array, within the field limit', () => {
    expect(urlEncodedValueBytes('zd_echo=1&x=2&zd%5Fecho=%FF', 'zd_echo')).toEqual(Buffer.from([0xff]));
    expect(urlEncodedValueBytes('zd_echo=1&zd_echo[]=2', 'zd_echo')).toBeNull();
    expect(urlEncodedValueBytes('zd_echo', 'zd_echo')).toEqual(Buffer.alloc(0));
    expect(urlEncodedValueBytes('x=1', 'zd_echo')).toBeNull();
    expect(() => urlEncodedValueBytes('a&'.repeat(1001), 'zd_echo')).toThrow(FormLimitError);
  });

  it('finds one value of a multipart body as its raw bytes', () => {
    const body = multipart([{ name: 'zd_echo', value: Buffer.from([0xff, 0x00, 0xfe]) }], 'b');
    expect(multipartValueBytes(body, 'multipart/form-data; boundary=b', 'zd_echo')).toEqual(
      Buffer.from([0xff, 0x00, 0xfe]),
    );
  });
});
