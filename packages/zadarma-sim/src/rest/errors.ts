/** REST errors in Zadarma's envelope: `{"status":"error","message":…}` with 400/401/404/405/429 (docs/zadarma-protocol.md §3). */

export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;
  readonly headers: Record<string, string>;
  constructor(status: number, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.status = status;
    this.headers = headers;
  }
}

/** 400 for a missing or invalid parameter; the message names it. */
export function badParam(name: string, problem: string): ApiError {
  return new ApiError(400, `Wrong parameter '${name}': ${problem}`);
}
