/**
 * Zadarma API request signing (docs/zadarma-protocol.md §2.2): `base64(hex(HMAC-SHA1(path + q + md5(q), secret)))`
 * where `q` is the `ksort`ed, PHP-encoded parameter string. The Base64 is of the 40 hex characters, not of
 * the raw digest, so a signature is always 56 characters.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { canonicalQuery, type QueryParams, type QueryValue } from './php-query.js';

/** `base64(hex(HMAC-SHA1(message, secret)))` — the wrapping both API signatures and webhook signatures use. */
export function hmacSha1HexBase64(message: string, secret: string): string {
  const hex = createHmac('sha1', secret).update(message, 'utf8').digest('hex');
  return Buffer.from(hex, 'ascii').toString('base64');
}

export interface SignRequestOptions {
  /** The URL path exactly as sent, e.g. `/v1/info/balance/` (no host, no query). */
  readonly path: string;
  /** Every parameter sent, including `format=json` when the client adds it. */
  readonly params: QueryParams | ReadonlyMap<string, QueryValue>;
  readonly secret: string;
}

/** The signature part of the `Authorization` header for one request. */
export function signRequest({ path, params, secret }: SignRequestOptions): string {
  const q = canonicalQuery(params);
  const md5 = createHash('md5').update(q, 'utf8').digest('hex');
  return hmacSha1HexBase64(path + q + md5, secret);
}

/** `Authorization: <key>:<signature>` — no space after the colon (docs/zadarma-protocol.md §2.1). */
export function authorizationHeader(key: string, signature: string): string {
  return `${key}:${signature}`;
}

/** Splits an `Authorization` header at its first `:`; `null` when it has no colon. */
export function parseAuthorizationHeader(header: string): { key: string; signature: string } | null {
  const colon = header.indexOf(':');
  if (colon <= 0) {
    return null;
  }
  return { key: header.slice(0, colon), signature: header.slice(colon + 1).trim() };
}

/** Constant-time comparison of two signature strings (lengths may differ). */
export function signaturesEqual(expected: string, provided: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(provided, 'utf8');
  if (a.length !== b.length) {
    // Compare against itself so a length mismatch costs the same as a content mismatch.
    timingSafeEqual(a, a);
    return false;
  }
  return timingSafeEqual(a, b);
}

/** Server side of §2.5: recompute the signature over the received parameters and compare in constant time. */
export function verifyRequestSignature(options: SignRequestOptions & { readonly provided: string }): boolean {
  return signaturesEqual(signRequest(options), options.provided);
}
