import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeUrlEncoded, type PhpArray } from './form-decode.js';
import {
  canonicalQuery,
  comparePhpKeys,
  httpBuildQuery,
  phpUrlEncode,
  type QueryValue,
} from './php-query.js';
import { signRequest, verifyRequestSignature } from './signing.js';

const SECRET = 'f0e1d2c3b4a5968778f9';
const PATH = '/v1/sms/send/';

/**
 * Oracle for PHP `urlencode`, written from a different starting point than the implementation: take
 * `encodeURIComponent` (RFC 3986, UTF-8, uppercase hex) and patch the places where PHP's RFC 1738 mode
 * differs — `! ' ( ) * ~` are escaped and a space is `+` (docs/zadarma-protocol.md §2.3, php.net/urlencode).
 */
function oracleUrlEncode(text: string): string {
  return encodeURIComponent(text)
    .replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

type Tree = string | Map<string, Tree>;

/** Oracle for `http_build_query`: flatten to raw `a[b][c]` names first, then encode name and value whole. */
function oracleBuildQuery(params: Map<string, Tree>): string {
  const flat: [string, string][] = [];
  const walk = (name: string, value: Tree) => {
    if (typeof value === 'string') {
      flat.push([name, value]);
    } else {
      for (const [k, v] of value) {
        walk(`${name}[${k}]`, v);
      }
    }
  };
  for (const [k, v] of params) {
    walk(k, v);
  }
  return flat.map(([n, v]) => `${oracleUrlEncode(n)}=${oracleUrlEncode(v)}`).join('&');
}

// Any Unicode (astral planes included), with the characters encoders most often get wrong mixed in.
const SPECIALS = [' ', '~', '*', '!', "'", '(', ')', '+', '&', '=', '%', '[', ']', '.', '-', '_'];
const unit = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom(...SPECIALS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
);
const anyText = fc.string({ unit, maxLength: 24 });
// A key that survives bracket parsing as one segment (PHP would nest `a[b]` too) and is not empty.
const plainKey = fc.string({ unit, minLength: 1, maxLength: 12 }).filter((k) => !/[[\]]/.test(k));

function entriesToMap(entries: readonly [string, Tree][]): Map<string, Tree> {
  return new Map(entries);
}

const nested: fc.Arbitrary<Tree> = fc.oneof(
  { weight: 4, arbitrary: anyText },
  {
    weight: 1,
    arbitrary: fc
      .uniqueArray(fc.tuple(plainKey, anyText), { minLength: 1, maxLength: 3, selector: ([k]) => k })
      .map(entriesToMap),
  },
);
const paramMap = fc
  .uniqueArray(fc.tuple(plainKey, nested), { maxLength: 8, selector: ([k]) => k })
  .map(entriesToMap);

const PHP_NUMERIC = /^[ \t\n\r\v\f]*[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?[ \t\n\r\v\f]*$/;

describe('phpUrlEncode / httpBuildQuery against an independent oracle', () => {
  it('encodes any Unicode string exactly like the oracle', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        expect(phpUrlEncode(text)).toBe(oracleUrlEncode(text));
      }),
      {
        numRuns: 2000,
      },
    );
  });

  it('builds any nested parameter map exactly like the oracle', () => {
    fc.assert(
      fc.property(paramMap, (params) => {
        expect(httpBuildQuery(params as ReadonlyMap<string, QueryValue>)).toBe(oracleBuildQuery(params));
      }),
      { numRuns: 500 },
    );
  });

  it('encodes the §2.3 table characters as PHP does', () => {
    expect(phpUrlEncode("~*!'()+:,@/[] a-_.Zz09")).toBe('%7E%2A%21%27%28%29%2B%3A%2C%40%2F%5B%5D+a-_.Zz09');
    expect(phpUrlEncode('😀é')).toBe('%F0%9F%98%80%C3%A9');
  });
});

describe('decodeUrlEncoded(httpBuildQuery(params)) round-trips', () => {
  it('gives back every key and value, nesting and order', () => {
    fc.assert(
      fc.property(paramMap, (params) => {
        const decoded: PhpArray = decodeUrlEncoded(httpBuildQuery(params as ReadonlyMap<string, QueryValue>));
        expect(decoded).toEqual(params);
        expect([...decoded.keys()]).toEqual([...params.keys()]);
      }),
      { numRuns: 500 },
    );
  });
});

describe('signatures over random parameters', () => {
  // PHP 8 compares numeric-looking keys as numbers ("1e1" == "10"), which is not a total order; Zadarma's
  // keys are never numeric, so the order-independence property is stated for non-numeric keys.
  const nonNumericParams = paramMap.filter((m) => [...m.keys()].every((k) => !PHP_NUMERIC.test(k)));

  it('does not depend on the insertion order of the parameters', () => {
    fc.assert(
      fc.property(
        nonNumericParams.chain((m) =>
          fc.tuple(fc.constant(m), fc.shuffledSubarray([...m], { minLength: m.size })),
        ),
        ([params, shuffled]) => {
          const a = signRequest({
            path: PATH,
            params: params as ReadonlyMap<string, QueryValue>,
            secret: SECRET,
          });
          const b = signRequest({
            path: PATH,
            params: new Map(shuffled) as ReadonlyMap<string, QueryValue>,
            secret: SECRET,
          });
          expect(b).toBe(a);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('is accepted by a verifier that re-decodes the unsorted body and re-sorts it', () => {
    fc.assert(
      fc.property(nonNumericParams, (params) => {
        const map = params as ReadonlyMap<string, QueryValue>;
        const provided = signRequest({ path: PATH, params: map, secret: SECRET });
        // The PHP client sends the body in insertion order and signs the sorted string (docs/zadarma-protocol.md §2.4).
        const received = decodeUrlEncoded(httpBuildQuery(map));
        expect(verifyRequestSignature({ path: PATH, params: received, secret: SECRET, provided })).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('is refused when one character of any value changes', () => {
    const withValue = nonNumericParams.filter((m) => [...m.values()].some((v) => typeof v === 'string'));
    fc.assert(
      fc.property(withValue, fc.nat(), fc.nat(), unit, (params, pick, at, replacement) => {
        const keys = [...params.keys()].filter((k) => typeof params.get(k) === 'string');
        const key = keys[pick % keys.length] as string;
        const value = params.get(key) as string;
        const chars = [...value];
        const index = chars.length === 0 ? 0 : at % chars.length;
        fc.pre(chars[index] !== replacement);
        chars.splice(index, chars.length === 0 ? 0 : 1, replacement);
        const changed = new Map(params).set(key, chars.join(''));
        const provided = signRequest({
          path: PATH,
          params: params as ReadonlyMap<string, QueryValue>,
          secret: SECRET,
        });
        expect(
          verifyRequestSignature({
            path: PATH,
            params: changed as ReadonlyMap<string, QueryValue>,
            secret: SECRET,
            provided,
          }),
        ).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});

describe('ksort order', () => {
  it('sorts integer keys numerically and others bytewise, as PHP 8 ksort does', () => {
    const keys = ['b', '10', '_x', '2', 'a', 'B', '0'];
    expect([...keys].sort(comparePhpKeys)).toEqual(['0', '2', '10', 'B', '_x', 'a', 'b']);
    expect(canonicalQuery({ caller_id: '1', call_id: '2', callback: '3' })).toBe(
      'call_id=2&callback=3&caller_id=1',
    );
  });
});
