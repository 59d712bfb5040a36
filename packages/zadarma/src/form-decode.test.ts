import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeMultipart,
  decodeUrlEncoded,
  decodeUrlEncodedFields,
  FormDecodeError,
  foldFields,
  multipartBoundary,
  phpArrayToObject,
} from './form-decode.js';
import { signRequest } from './signing.js';

const SECRET = 'f0e1d2c3b4a5968778f9';

interface Part {
  readonly name: string;
  readonly value: string | Buffer;
  readonly filename?: string;
  readonly type?: string;
}

/** Builds a multipart body; `extraDashes` reproduces Zadarma's delimiter quirk (PROTOCOL.md §5.3). */
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
    // PHP drops object values (CURLFile) before signing (PROTOCOL.md §2.2): only the scalar parts count.
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
