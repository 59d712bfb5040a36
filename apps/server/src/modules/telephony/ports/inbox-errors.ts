/**
 * The failure an inbox's `append` may reject with (ports/calls.ts `InboxRepository`). Why beside the ports: the
 * receiver (http/webhook-routes.ts) must tell it apart — stored nowhere, so answered 503 and never acknowledged
 * — without knowing which adapter stores the inbox.
 */
import type { ErrorCode } from '../../../platform/errors/errors.js';

/** Thrown when an entry could be stored neither in the database nor in the journal: answer 5xx, never 200. */
export class InboxNotStoredError extends Error {
  override readonly name = 'InboxNotStoredError';
  readonly statusCode = 503;
  readonly code: ErrorCode = 'SB_ERR_UNAVAILABLE';
}
