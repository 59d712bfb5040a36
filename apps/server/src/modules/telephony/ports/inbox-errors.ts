/**
 * The failure an inbox's `append` may reject with (ports/calls.ts `InboxRepository`). Why beside the ports: the
 * receiver (http/webhook-routes.ts) must tell it apart — stored nowhere, so answered 503 and never acknowledged
 * — without knowing which adapter stores the inbox.
 */
import { AppError, type ErrorCode } from '../../../platform/errors/errors.js';

/** Thrown when an entry could be stored neither in the database nor in the journal: answer 5xx, never 200. */
export class InboxNotStoredError extends Error {
  override readonly name = 'InboxNotStoredError';
  readonly statusCode = 503;
  readonly code: ErrorCode = 'SB_ERR_UNAVAILABLE';
}

/** How many entries `InboxRepository.list` answers when the query names no limit. */
const DEFAULT_INBOX_LIST_LIMIT = 100;

/**
 * The limit of an `InboxRepository.list` query: the default when absent, refused (`SB_ERR_VALIDATION`) unless a
 * whole number ≥ 1. Why refused rather than answered empty: the admin route refuses `pageSize=0` with a 400, and
 * a 0 reaching the port is a caller's mistake that was silently turned into 1 — both adapters check it here.
 */
export function inboxListLimit(limit: number | undefined): number {
  if (limit === undefined) {
    return DEFAULT_INBOX_LIST_LIMIT;
  }
  if (!Number.isInteger(limit) || limit < 1) {
    throw new AppError('SB_ERR_VALIDATION', `an inbox list limit must be a whole number ≥ 1, not ${limit}`);
  }
  return limit;
}
