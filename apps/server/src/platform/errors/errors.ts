/**
 * Every error the API can return, in one catalogue: a stable code operators can grep for, and its HTTP status.
 * Routes throw `AppError`; the HTTP edge (platform/errors/error-handler.ts) turns it into `{ error: { code, message, details } }`.
 */
const ERROR_STATUS = {
  SB_ERR_VALIDATION: 400,
  SB_ERR_BAD_REQUEST: 400,
  SB_ERR_UNAUTHENTICATED: 401,
  SB_ERR_INVALID_CREDENTIALS: 401,
  SB_ERR_FORBIDDEN: 403,
  SB_ERR_CSRF: 403,
  SB_ERR_ACCOUNT_DISABLED: 403,
  SB_ERR_NOT_FOUND: 404,
  SB_ERR_CONFLICT: 409,
  SB_ERR_REQUEST_TIMEOUT: 408,
  SB_ERR_PAYLOAD_TOO_LARGE: 413,
  SB_ERR_UNSUPPORTED_MEDIA_TYPE: 415,
  SB_ERR_RATE_LIMITED: 429,
  SB_ERR_INTERNAL: 500,
  SB_ERR_UNAVAILABLE: 503,
  SB_ERR_TELEPHONY_NOT_CONFIGURED: 409,
  SB_ERR_NO_EXTENSION: 409,
  SB_ERR_DO_NOT_CALL: 409,
  SB_ERR_INSUFFICIENT_BALANCE: 402,
  SB_ERR_ZADARMA_UNAUTHORIZED: 502,
  SB_ERR_ZADARMA_REFUSED: 502,
  SB_ERR_ZADARMA_UNREACHABLE: 504,
  SB_ERR_ZADARMA_RATE_LIMITED: 429,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** The HTTP status of a catalogue code. */
export function statusOf(code: ErrorCode): number {
  return ERROR_STATUS[code];
}

/**
 * The catalogue code an error carries: an AppError's, or the `code` of an error class that names one (domain
 * errors cannot import AppError, so they declare `readonly code = 'SB_ERR_…'`); null for anything else.
 * Why: every error class of the server leaves as a catalogue code, never as an anonymous 500.
 */
export function catalogueCodeOf(error: unknown): ErrorCode | null {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return error instanceof Error && typeof code === 'string' && Object.hasOwn(ERROR_STATUS, code)
    ? (code as ErrorCode)
    : null;
}

/**
 * One problem with one field. `message` is English for logs and API clients; `reason` (a zod issue code such
 * as `too_big`, or one of ours such as `phone_invalid`) and `params` let the web say it in the user's language.
 */
export interface ErrorDetail {
  readonly path: string;
  readonly message: string;
  readonly reason?: string;
  readonly params?: Readonly<Record<string, string | number>>;
}

export class AppError extends Error {
  override readonly name = 'AppError';
  readonly code: ErrorCode;
  readonly details: readonly ErrorDetail[] | undefined;

  constructor(code: ErrorCode, message: string, details?: readonly ErrorDetail[]) {
    super(message);
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}
