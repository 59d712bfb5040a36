/**
 * PHP's `http_build_query($params, '', '&', PHP_QUERY_RFC1738)` and `ksort`, byte for byte.
 *
 * Zadarma's server re-encodes the parameters it receives exactly like this before checking a signature,
 * so any difference here (`~`, `*`, `!`, `'`, `(`, `)`, brackets, UTF-8) is an authentication failure
 * (docs/zadarma-protocol.md §2.3, §2.7).
 */

/**
 * A parameter value as PHP would see it: scalars, lists and nested maps. `null`/`undefined` are omitted.
 * A `Map` keeps exact PHP insertion order even for integer-like keys, which plain objects reorder.
 */
export type QueryValue =
  | string
  | number
  | boolean
  | null
  | undefined
  | readonly QueryValue[]
  | QueryParams
  | ReadonlyMap<string, QueryValue>;

/** An ordered parameter map (insertion order is kept, as in a PHP array). */
export interface QueryParams {
  readonly [key: string]: QueryValue;
}

const HEX = '0123456789ABCDEF';

/** PHP `urlencode`: keeps `A-Z a-z 0-9 - _ .`, turns a space into `+`, everything else into `%XX` per UTF-8 byte. */
export function phpUrlEncode(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  let out = '';
  for (const b of bytes) {
    if (
      (b >= 0x30 && b <= 0x39) ||
      (b >= 0x41 && b <= 0x5a) ||
      (b >= 0x61 && b <= 0x7a) ||
      b === 0x2d ||
      b === 0x5f ||
      b === 0x2e
    ) {
      out += String.fromCharCode(b);
    } else if (b === 0x20) {
      out += '+';
    } else {
      out += `%${HEX[b >> 4]}${HEX[b & 15]}`;
    }
  }
  return out;
}

function scalarText(value: string | number | boolean): string {
  if (typeof value === 'boolean') {
    return value ? '1' : '0';
  }
  return String(value);
}

type Nested = readonly QueryValue[] | QueryParams | ReadonlyMap<string, QueryValue>;

function isNested(value: QueryValue): value is Nested {
  return typeof value === 'object' && value !== null;
}

function entriesOf(value: Nested): [string, QueryValue][] {
  if (Array.isArray(value)) {
    return value.map((v, i): [string, QueryValue] => [String(i), v]);
  }
  if (value instanceof Map) {
    return [...value.entries()];
  }
  return Object.entries(value as QueryParams);
}

function build(entries: [string, QueryValue][], prefix: string | null, parts: string[]): void {
  for (const [rawKey, value] of entries) {
    if (value === null || value === undefined) {
      continue;
    }
    const key = prefix === null ? phpUrlEncode(rawKey) : `${prefix}%5B${phpUrlEncode(rawKey)}%5D`;
    if (isNested(value)) {
      build(entriesOf(value), key, parts);
    } else {
      parts.push(`${key}=${phpUrlEncode(scalarText(value))}`);
    }
  }
}

/** PHP `http_build_query(..., '&', PHP_QUERY_RFC1738)` in the map's own order. */
export function httpBuildQuery(params: QueryParams | ReadonlyMap<string, QueryValue>): string {
  const parts: string[] = [];
  build(entriesOf(params), null, parts);
  return parts.join('&');
}

// --- ksort (PHP 8, SORT_REGULAR) -------------------------------------------------------------------------

const INT_KEY = /^(0|-?[1-9][0-9]*)$/;
const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;
const NUMERIC = /^[ \t\n\r\v\f]*[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?[ \t\n\r\v\f]*$/;

/** PHP turns a decimal-integer string key into an integer key (within 64 bits). */
function intKey(key: string): bigint | null {
  if (!INT_KEY.test(key)) {
    return null;
  }
  const n = BigInt(key);
  return n >= INT64_MIN && n <= INT64_MAX ? n : null;
}

function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/**
 * PHP 8 `$a <=> $b` for array keys: integers numerically; an integer against a numeric string, or two
 * numeric strings, numerically; anything else as bytes (`strcmp`).
 */
export function comparePhpKeys(a: string, b: string): number {
  const ia = intKey(a);
  const ib = intKey(b);
  if (ia !== null && ib !== null) {
    return ia < ib ? -1 : ia > ib ? 1 : 0;
  }
  if (NUMERIC.test(a) && NUMERIC.test(b)) {
    const na = Number(a);
    const nb = Number(b);
    return na < nb ? -1 : na > nb ? 1 : 0;
  }
  return compareBytes(a, b);
}

/**
 * The canonical string Zadarma signs: the top-level parameters `ksort`ed (PHP 8, stable; nested arrays
 * keep their own order) then `http_build_query`-encoded.
 */
export function canonicalQuery(params: QueryParams | ReadonlyMap<string, QueryValue>): string {
  const entries = entriesOf(params).sort(([a], [b]) => comparePhpKeys(a, b));
  const parts: string[] = [];
  build(entries, null, parts);
  return parts.join('&');
}
