/**
 * Zadarma's API authentication, server side (docs/zadarma-protocol.md §2.5): split `Authorization` at the first `:`,
 * re-sort and re-encode the received parameters PHP-style, sign with the key's secret over the exact path
 * the client sent, compare in constant time.
 */
import { type PhpArray, parseAuthorizationHeader, verifyRequestSignature } from '@switchboard/zadarma';

export interface ApiCredentials {
  readonly key: string;
  readonly secret: string;
}

export interface AuthCheck {
  /** The path as sent, without host or query, e.g. `/v1/info/balance/`. */
  readonly path: string;
  /** Decoded parameters (query for GET, body otherwise; file parts excluded). */
  readonly params: PhpArray;
  readonly authorization: string | undefined;
}

/** The key a request is signed with, or `null` when it must be refused with 401. */
export function authenticate(check: AuthCheck, credentials: readonly ApiCredentials[]): string | null {
  if (!check.authorization) {
    return null;
  }
  const parsed = parseAuthorizationHeader(check.authorization);
  if (!parsed) {
    return null;
  }
  const account = credentials.find((c) => c.key === parsed.key);
  if (!account) {
    return null;
  }
  const ok = verifyRequestSignature({
    path: check.path,
    params: check.params,
    secret: account.secret,
    provided: parsed.signature,
  });
  return ok ? account.key : null;
}
